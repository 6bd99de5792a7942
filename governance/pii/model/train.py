"""Train the name and address tagger on synthetic data and save it into this package.

    .venv/bin/python -m tutela.governance.pii.model.train            # writes tagger.pt/json here
    .venv/bin/python -m tutela.governance.pii.model.train --out /tmp/tagger --examples 20000

Deterministic for a given seed and thread count (one thread by default: on a shared two-core
machine a second thread mostly waits on the first). Only synthetic data (`synthetic.generate`)
is used: the labelled corpus measures.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn

from tutela.governance.pii.model.synthetic import Example, generate
from tutela.governance.pii.model.tagger import (
    CONFIG,
    TAGS,
    WEIGHTS,
    Config,
    Features,
    TaggerModel,
    batch_tensors,
    decode,
    featurize,
)

PACKAGE = Path(__file__).resolve().parent


def token_labels(example: Example, tokens: list[tuple[int, int]]) -> np.ndarray:
    """BIO tag ids of the tokens: a token inside a labelled span takes its type."""
    labels = np.zeros(len(tokens), dtype=np.int64)
    spans = sorted(example.spans, key=lambda s: s[1])
    j = 0
    for i, (start, end) in enumerate(tokens):
        while j < len(spans) and spans[j][2] <= start:
            j += 1
        if j < len(spans) and spans[j][1] < end and start < spans[j][2]:
            kind, span_start, _ = spans[j]
            inside = start > span_start and labels[i - 1] != 0 if i else False
            labels[i] = TAGS.index(f"{'I' if inside else 'B'}-{kind}")
    return labels


def prepare(examples: list[Example], buckets: int) -> list[tuple[Features, np.ndarray]]:
    prepared = []
    for example in examples:
        features = featurize(example.text, buckets)
        if features.spans:
            prepared.append((features, token_labels(example, features.spans)))
    return prepared


def batches(data: list, size: int, rng: random.Random) -> list[list[int]]:
    """Index batches of similar lengths, in random order."""
    order = sorted(range(len(data)), key=lambda i: (len(data[i][0].spans), rng.random()))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


def evaluate(model: TaggerModel, data: list, examples: list[Example]) -> dict[str, float]:
    """Exact-span precision, recall and F1 per type on held-out synthetic examples."""
    model.eval()
    counts = {t: [0, 0, 0] for t in ("PERSON", "STREET_ADDRESS")}  # found, gold, correct
    with torch.inference_mode():
        for i in range(0, len(data), 64):
            chunk = data[i : i + 64]
            scores = model(*batch_tensors([f for f, _ in chunk]))
            probs = torch.softmax(scores, dim=-1).numpy()
            for k, (features, _) in enumerate(chunk):
                found = {
                    (s.type, s.start, s.end)
                    for s in decode(features.spans, probs[k, : len(features.spans)])
                }
                gold = set(examples[i + k].spans)
                for kind, row in counts.items():
                    f = {s for s in found if s[0] == kind}
                    g = {s for s in gold if s[0] == kind}
                    row[0] += len(f)
                    row[1] += len(g)
                    row[2] += len(f & g)
    model.train()
    result = {}
    for kind, (found, gold, correct) in counts.items():
        p = correct / found if found else 0.0
        r = correct / gold if gold else 0.0
        result[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=60000)
    parser.add_argument("--held-out", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--word-dropout", type=float, default=0.1)
    parser.add_argument("--entity-word-dropout", type=float, default=0.3)
    parser.add_argument("--out", type=Path, default=PACKAGE)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    np_rng = np.random.default_rng(args.seed)
    config = Config()
    started = time.perf_counter()

    train_examples = generate(args.examples, seed=args.seed)
    held_out = generate(args.held_out, seed=args.seed + 1000)
    train = prepare(train_examples, config.buckets)
    held = prepare(held_out, config.buckets)
    held_examples = [e for e in held_out if featurize(e.text, config.buckets).spans]
    tokens = sum(len(f.spans) for f, _ in train)
    print(
        f"data: {len(train)} texts, {tokens} tokens, {len(held)} held out "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )

    model = TaggerModel(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    total_steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: max(0.05, 1.0 - step / total_steps)
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    step = 0
    for epoch in range(1, args.epochs + 1):
        running, seen = 0.0, 0
        for group in batches(train, args.batch, rng):
            items = [train[i] for i in group]
            words, chars, shapes, lengths = batch_tensors([f for f, _ in items])
            labels = torch.full(words.shape[:2], -100, dtype=torch.int64)
            for k, (_, y) in enumerate(items):
                labels[k, : len(y)] = torch.from_numpy(y)
            # word dropout: the model must also read names from their letters and context
            drop = np_rng.random(words.shape[:2]) < args.word_dropout
            entity = (labels > 0).numpy()
            drop |= entity & (np_rng.random(words.shape[:2]) < args.entity_word_dropout)
            words[torch.from_numpy(drop)] = 0
            scores = model(words, chars, shapes, lengths)
            loss = loss_fn(scores.view(-1, len(TAGS)), labels.view(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            schedule.step()
            step += 1
            running += loss.item()
            seen += 1
            if step % 200 == 0:
                print(
                    f"epoch {epoch} step {step}/{total_steps} loss {running / seen:.4f} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                running, seen = 0.0, 0
        scores = evaluate(model, held, held_examples)
        print(
            f"epoch {epoch} held-out "
            + ", ".join(f"{k} P {p:.3f} R {r:.3f} F1 {f:.3f}" for k, (p, r, f) in scores.items())
            + f" ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )

    args.out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(args.out / WEIGHTS))
    (args.out / WEIGHTS).chmod(0o644)  # safetensors writes it readable by its owner only
    meta = {
        **config.__dict__,
        "tags": list(TAGS),
        "examples": args.examples,
        "epochs": args.epochs,
        "seed": args.seed,
        "held_out": {k: [round(x, 4) for x in v] for k, v in scores.items()},
        "train_seconds": round(time.perf_counter() - started),
    }
    (args.out / CONFIG).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    size = (args.out / WEIGHTS).stat().st_size
    print(f"saved {args.out / WEIGHTS} ({size / 1e6:.1f} MB) in {meta['train_seconds']} s")


if __name__ == "__main__":
    main()
