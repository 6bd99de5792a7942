"""Decode speed of Tutela's runtime backends, against the memory-bandwidth bound.

For each installed local backend (torch at float32, the baseline; torch at bfloat16, the
default; llama.cpp on the GGUF file when `llama-cpp-python` is installed) the benchmark streams
the same chat request, greedy (temperature 0), for a fixed number of new tokens: one short
warm-up run, then up to `--repeats` timed runs (fewer when the next one would overrun the
`--budget` seconds per backend) whose median is reported. It measures

- time to first token: from the call to the first streamed text;
- decode rate: tokens after the first divided by the time after the first. The token count is
  the backend's own `usage.completion_tokens` (greedy decoding may stop early at end of text,
  so the actual count is reported). llama-cpp-python streams carry no usage, so for them the
  same greedy request is answered once more without streaming to read its usage.

Every backend runs with `--threads` CPU threads (default: all, as in the product), so the rows
compare like with like.

Decoding one token reads every weight once, so memory bandwidth bounds the decode rate. The
benchmark measures read bandwidth in the same run (numpy sums a 1 GiB array, split over the
decode threads; best of several) and divides it by the weight bytes read per token: the
parameter bytes in the loaded dtype for torch (tied embeddings counted once: the output layer
reads the embedding matrix), the GGUF file size for llama.cpp. It prints that bound, the
measured rate as a fraction of it, and each backend's speed-up over the torch float32 baseline.

Run it from the repository root (the models load offline; the first torch float32 run converts
the weights once, about a minute, into the model cache):

    .venv/bin/python benchmarks/decode.py
    .venv/bin/python benchmarks/decode.py --tokens 64 --repeats 5 --json /tmp/decode.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import machine
import numpy as np

from tutela.runtime import (
    ChatBackend,
    ChatDelta,
    ChatMessage,
    ChatRequest,
    backend_catalog,
    load_backend,
)
from tutela.runtime.weights import resolve_model
from tutela.settings import Settings

PROMPT = "Write a long essay about the history of banking."
WARMUP_TOKENS = 16
BANDWIDTH_BYTES = 1 << 30
BANDWIDTH_REPEATS = 5
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".tutela-test" / "models"


@dataclass(frozen=True)
class Case:
    label: str
    backend: str
    torch_dtype: str | None = None


# The first case is the baseline: torch at float32 is what transformers does by default.
CASES = (
    Case("torch float32", "torch", "float32"),
    Case("torch bfloat16", "torch", "bfloat16"),
    Case("llamacpp gguf", "llamacpp"),
)


@dataclass(frozen=True)
class Run:
    completion_tokens: int
    finish_reason: str
    first_token_s: float
    decode_tok_s: float


@dataclass(frozen=True)
class Result:
    label: str
    weight_bytes: int
    bandwidth_bytes_s: float
    runs: list[Run]
    streamed_usage: bool  # False: the stream reported no usage; the count came from complete()

    @property
    def decode_tok_s(self) -> float:
        return statistics.median(run.decode_tok_s for run in self.runs)

    @property
    def first_token_s(self) -> float:
        return statistics.median(run.first_token_s for run in self.runs)

    @property
    def bound_tok_s(self) -> float:
        return self.bandwidth_bytes_s / self.weight_bytes

    def summary(self, baseline_tok_s: float) -> dict[str, object]:
        return {
            "label": self.label,
            "weight_bytes_per_token": self.weight_bytes,
            "first_token_s": self.first_token_s,
            "decode_tok_s": self.decode_tok_s,
            "bound_tok_s": self.bound_tok_s,
            "fraction_of_bound": self.decode_tok_s / self.bound_tok_s,
            "speedup_vs_baseline": self.decode_tok_s / baseline_tok_s,
            "streamed_usage": self.streamed_usage,
            "runs": [asdict(run) for run in self.runs],
        }


@dataclass(frozen=True)
class Timing:
    first_token_s: float
    total_s: float
    last: ChatDelta


def read_bandwidth(threads: int) -> float:
    """Best memory read rate in bytes/s: numpy sums a large array, one slice per thread."""
    array = np.ones(BANDWIDTH_BYTES // 8)
    slices = np.array_split(array, threads)
    best = float("inf")
    with ThreadPoolExecutor(threads) as pool:  # numpy releases the GIL while it sums
        for _ in range(BANDWIDTH_REPEATS):
            start = time.perf_counter()
            sum(pool.map(np.sum, slices))
            best = min(best, time.perf_counter() - start)
    return array.nbytes / best


def weight_bytes(backend: ChatBackend, settings: Settings) -> int:
    """Weight bytes read to decode one token."""
    if backend.name == "llamacpp":
        return resolve_model(settings.model).path.stat().st_size
    # TorchBackend keeps its model private; parameters() yields a tied weight only once.
    model = backend._model  # type: ignore[attr-defined]
    return sum(p.numel() * p.element_size() for p in model.parameters())


def timed_stream(backend: ChatBackend, request: ChatRequest) -> Timing:
    start = time.perf_counter()
    first: float | None = None
    for delta in backend.stream(request):
        if first is None and delta.text:
            first = time.perf_counter()
    end = time.perf_counter()
    if first is None or delta.finish_reason is None:
        sys.exit(f"backend {backend.name!r} streamed no text or no final delta")
    return Timing(first - start, end - start, delta)


def measure(case: Case, args: argparse.Namespace, bandwidth: float) -> Result:
    settings = Settings.load(
        home=args.home,
        backend=case.backend,
        torch_dtype=case.torch_dtype,
        model_cache=args.model_cache,
        threads=args.threads,
    )
    backend = load_backend(settings, show_progress=True)
    try:
        messages = (ChatMessage("user", PROMPT),)
        timed_stream(backend, ChatRequest(messages, max_tokens=WARMUP_TOKENS))
        request = ChatRequest(messages, max_tokens=args.tokens, temperature=0.0)
        # Repeat up to --repeats times while the next run still fits in the time budget.
        timings = [timed_stream(backend, request)]
        deadline = time.perf_counter() - timings[0].total_s + args.budget
        while len(timings) < args.repeats and time.perf_counter() + timings[-1].total_s < deadline:
            timings.append(timed_stream(backend, request))
        streamed_usage = all(t.last.usage is not None for t in timings)
        # A stream without usage (llama-cpp-python's) is counted by the same greedy request
        # answered whole, which reports its usage.
        fallback = None if streamed_usage else backend.complete(request).usage
        runs = []
        for timing in timings:
            usage = timing.last.usage or fallback
            if usage is None or usage.completion_tokens < 2:
                sys.exit(f"{case.label}: no token usage, or fewer than two tokens generated")
            runs.append(
                Run(
                    completion_tokens=usage.completion_tokens,
                    finish_reason=str(timing.last.finish_reason),
                    first_token_s=timing.first_token_s,
                    decode_tok_s=(usage.completion_tokens - 1)
                    / (timing.total_s - timing.first_token_s),
                )
            )
        return Result(case.label, weight_bytes(backend, settings), bandwidth, runs, streamed_usage)
    finally:
        backend.close()


def environment() -> dict[str, object]:
    return machine.environment(("tutela", "torch", "transformers", "llama-cpp-python", "numpy"))


def print_table(results: list[Result], bandwidth: float) -> None:
    baseline = results[0].decode_tok_s
    print(f"\nmemory read bandwidth: {bandwidth / 1e9:.1f} GB/s (best of {BANDWIDTH_REPEATS})")
    header = (
        f"{'backend':<16}{'MB/token':>9}{'tokens':>8}{'first s':>9}"
        f"{'tok/s':>8}{'runs':>6}{'bound':>8}{'of bound':>10}{'vs fp32':>9}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        tokens = "/".join(sorted({str(run.completion_tokens) for run in result.runs}))
        mark = "" if result.streamed_usage else "*"
        print(
            f"{result.label:<16}{result.weight_bytes / 1e6:>9.0f}{tokens + mark:>8}"
            f"{result.first_token_s:>9.2f}{result.decode_tok_s:>8.1f}{len(result.runs):>6}"
            f"{result.bound_tok_s:>8.0f}"
            f"{result.decode_tok_s / result.bound_tok_s:>10.0%}"
            f"{result.decode_tok_s / baseline:>8.2f}x"
        )
    if not all(result.streamed_usage for result in results):
        print("* the stream reported no usage: tokens counted by the same request, not streamed")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=128, help="new tokens per run (128)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per backend (3)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds of timed runs per backend; fewer repeats when they do not fit (60)",
    )
    parser.add_argument(
        "--threads", type=int, default=os.cpu_count(), help="CPU threads, every backend (all)"
    )
    parser.add_argument("--home", type=Path, help="Tutela data directory (a temporary one)")
    parser.add_argument(
        "--model-cache",
        type=Path,
        default=DEFAULT_CACHE if DEFAULT_CACHE.is_dir() else None,
        help=f"converted weights, reused between runs ({DEFAULT_CACHE} when it exists)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.tokens < 2 or args.repeats < 1 or args.threads < 1 or args.budget <= 0:
        parser.error("--tokens must be at least 2, --repeats and --threads 1, --budget above 0")
    return args


def main() -> None:
    args = parse_args()
    env = environment()
    print(f"{env['cpu']}, {env['cpus']} CPUs, {env['memory_gib']} GiB; {env['versions']}")
    print(
        f"prompt {PROMPT!r}: {args.tokens} greedy tokens, {args.threads} threads, "
        f"median of up to {args.repeats} runs in {args.budget:.0f} s after a warm-up"
    )
    installed = {info.name: info for info in backend_catalog()}
    baseline = CASES[0]
    if not installed[baseline.backend].installed:
        sys.exit(f"the baseline {baseline.label} needs {installed[baseline.backend].needs}")
    load_before = os.getloadavg()
    bandwidth = read_bandwidth(args.threads)
    results: list[Result] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="tutela-bench-") as scratch:
        args.home = args.home or Path(scratch)
        for case in CASES:
            info = installed[case.backend]
            if not info.installed:
                skipped[case.label] = f"{info.name} is not installed ({info.needs})"
                print(f"skipping {case.label}: {skipped[case.label]}")
                continue
            print(f"measuring {case.label} ...", flush=True)
            results.append(measure(case, args, bandwidth))
    load_after = os.getloadavg()
    print_table(results, bandwidth)
    for label, reason in skipped.items():
        print(f"{label:<16}skipped: {reason}")
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    if args.json:
        report = {
            "environment": env,
            "command": sys.argv,
            "prompt": PROMPT,
            "tokens": args.tokens,
            "repeats": args.repeats,
            "budget_s": args.budget,
            "threads": args.threads,
            "bandwidth_bytes_s": bandwidth,
            "load_average": {"before": load_before, "after": load_after},
            "results": [result.summary(results[0].decode_tok_s) for result in results],
            "skipped": skipped,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
