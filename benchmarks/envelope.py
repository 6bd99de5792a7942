"""Envelope encryption throughput: KeyRing.encrypt/decrypt against raw AEAD on 1 KiB records.

For each row (algorithm x key scope) the benchmark seals `--records` records of 1024 random
bytes, single thread, each under its own `Context` (tenant "acme", record type "note", record
id `r-00000000`..., field "body"), then opens them again, and does the same work with the raw
`cryptography` AEAD in the same run as the baseline:

- raw: `AESGCM` (or `AESGCMSIV` for the AES-256-GCM-SIV rows) with a fresh `os.urandom(12)`
  nonce per record and associated data of exactly the envelope's (the header bytes followed by
  the encoded `Context`, computed before the clock starts). The raw rows use as many keys as
  the envelope row has scopes (1 or `--subjects`), round-robin, so both switch keys alike.
- envelope: `KeyRing.encrypt(plaintext, context, subject=...)` and `KeyRing.decrypt`, with the
  tenant key (`subject=None`) or with `--subjects` data subjects round-robin (one DEK each).

Each of `--repeats` repetitions times raw and envelope encryption and decryption once, in
alternating order (raw first, then envelope first), so that load on a shared machine hits both
alike; the table shows the median per operation, and the ratio envelope time / raw time of the
medians (`best`: the ratio of the best repetitions; every repetition is in the JSON). The
target is a round-trip ratio under 2.0: PASS/FAIL is printed per line, the round-trip line
decides the row. Steady state includes what a long run pays again and again (re-reserving a
block of DEK uses in the database every `reserve` = 4096 encryptions of a scope) but not the
one-time cost of a scope's first use.

That first use is measured separately, on 20 fresh scopes of each row's kind (new tenants, or
new subjects of the tenant): the first encrypt of a scope creates a DEK, wraps it under the KEK
and commits it to the keystore (SQLite, WAL, a sync per commit); the first decrypt on a newly
opened keyring (cold cache) reads the wrapped DEK and unwraps it. The medians (and maxima) are
reported next to the median of a second call on the same scope.

Run it from the repository root (the keystore goes to a temporary directory, by default under
the system's temp directory; its file system decides the cost of a commit):

    .venv/bin/python benchmarks/envelope.py
    .venv/bin/python benchmarks/envelope.py --records 20000 --repeats 7 --json /tmp/env.json
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import machine
from cryptography.hazmat.backends.openssl.backend import backend as openssl_backend
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESGCMSIV

from tutela.governance.envelope import Context, parse
from tutela.governance.keyring import KeyRing
from tutela.governance.local_key_provider import LocalKeyProvider

RECORD_BYTES = 1024
TARGET_RATIO = 2.0
FIRST_USE_SCOPES = 20
WARMUP_RECORDS = 2000
SECRET = b"benchmark master secret"
TENANT = "acme"


@dataclass(frozen=True)
class Case:
    label: str
    algorithm: str
    subjects: int  # 0: the tenant key (subject=None); n: n data subjects round-robin


CASES = (
    Case("GCM tenant key", "AES-256-GCM", 0),
    Case("GCM per-subject", "AES-256-GCM", 100),
    Case("GCM-SIV tenant key", "AES-256-GCM-SIV", 0),
    Case("GCM-SIV per-subject", "AES-256-GCM-SIV", 100),
)

RAW = {"AES-256-GCM": AESGCM, "AES-256-GCM-SIV": AESGCMSIV}


@dataclass(frozen=True)
class Repeat:
    raw_encrypt_s: float
    raw_decrypt_s: float
    envelope_encrypt_s: float
    envelope_decrypt_s: float


@dataclass(frozen=True)
class FirstUse:
    """Seconds per call: first and second encrypt of a fresh scope, cold and warm decrypt."""

    first_encrypt_s: list[float]
    warm_encrypt_s: list[float]
    cold_decrypt_s: list[float]
    warm_decrypt_s: list[float]


@dataclass(frozen=True)
class Result:
    case: Case
    records: int
    associated_data_bytes: int
    ciphertext_bytes: int
    repeats: list[Repeat]
    first_use: FirstUse

    def seconds(self, op: str, kind: str, pick: Callable = statistics.median) -> float:
        """Time of `op` (encrypt, decrypt, round trip) for `kind` (raw, envelope)."""
        if op == "round trip":
            values = [
                getattr(r, f"{kind}_encrypt_s") + getattr(r, f"{kind}_decrypt_s")
                for r in self.repeats
            ]
        else:
            values = [getattr(r, f"{kind}_{op}_s") for r in self.repeats]
        return pick(values)

    def ratio(self, op: str, pick: Callable = statistics.median) -> float:
        return self.seconds(op, "envelope", pick) / self.seconds(op, "raw", pick)

    def passed(self) -> bool:
        return self.ratio("round trip") < TARGET_RATIO

    def summary(self) -> dict[str, object]:
        megabytes = self.records * RECORD_BYTES / 1e6
        ops = {}
        for op in ("encrypt", "decrypt", "round trip"):
            row = {}
            for kind in ("raw", "envelope"):
                seconds = self.seconds(op, kind)
                row[kind] = {
                    "median_s": seconds,
                    "best_s": self.seconds(op, kind, min),
                    "mb_s": megabytes / seconds,
                    "records_s": self.records / seconds,
                }
            row["ratio_median"] = self.ratio(op)
            row["ratio_best"] = self.ratio(op, min)
            row["pass"] = row["ratio_median"] < TARGET_RATIO
            ops[op] = row
        return {
            "label": self.case.label,
            "algorithm": self.case.algorithm,
            "subjects": self.case.subjects,
            "records": self.records,
            "record_bytes": RECORD_BYTES,
            "associated_data_bytes": self.associated_data_bytes,
            "ciphertext_bytes": self.ciphertext_bytes,
            "operations": ops,
            "pass": self.passed(),
            "first_use": asdict(self.first_use),
            "repeats": [asdict(r) for r in self.repeats],
        }


def open_ring(folder: Path, algorithm: str) -> KeyRing:
    return KeyRing(
        folder / "keys.db", LocalKeyProvider(folder / "kek.json", SECRET), algorithm=algorithm
    )


def measure_first_use(folder: Path, case: Case) -> FirstUse:
    """First (new DEK) and warm encrypts on fresh scopes; cold (reopened ring) and warm decrypts."""
    ring = open_ring(folder, case.algorithm)
    plaintext = os.urandom(RECORD_BYTES)
    scopes = []
    for k in range(FIRST_USE_SCOPES):
        # Fresh scopes of the row's kind: new tenants, or new subjects of the tenant.
        tenant, subject = (f"first-use-{k}", None) if case.subjects == 0 else (TENANT, f"fu-{k}")
        scopes.append((Context(tenant, "note", f"first-{k}", "body"), subject))
    first, warm, sealed = [], [], []
    for context, subject in scopes:
        for times in (first, warm):  # the first call creates the DEK, the second reuses it
            start = time.perf_counter()
            ciphertext = ring.encrypt(plaintext, context, subject=subject)
            times.append(time.perf_counter() - start)
        sealed.append(ciphertext)
    ring.close()
    ring = open_ring(folder, case.algorithm)  # empty cache: every DEK must be unwrapped again
    cold, warm_decrypt = [], []
    for (context, _), ciphertext in zip(scopes, sealed, strict=True):
        for times in (cold, warm_decrypt):
            start = time.perf_counter()
            opened = ring.decrypt(ciphertext, context)
            times.append(time.perf_counter() - start)
            if opened != plaintext:
                sys.exit(f"{case.label}: a first-use record did not decrypt to its plaintext")
    ring.close()
    return FirstUse(first, warm, cold, warm_decrypt)


def measure(case: Case, args: argparse.Namespace, folder: Path) -> Result:
    first_use = measure_first_use(folder / "first-use", case)
    n = args.records
    plaintexts = [os.urandom(RECORD_BYTES) for _ in range(n)]
    contexts = [Context(TENANT, "note", f"r-{i:08d}", "body") for i in range(n)]
    scopes = max(case.subjects, 1)
    names = [f"subject-{k:03d}" for k in range(scopes)] if case.subjects else [None]
    subjects = [names[i % scopes] for i in range(n)]

    ring = open_ring(folder / "ring", case.algorithm)
    # Every scope's first use (a new DEK) happens here, before any timed run.
    sealed = [ring.encrypt(plaintexts[i], contexts[i], subject=subjects[i]) for i in range(scopes)]
    header = parse(sealed[0])[1]  # the same length for every scope's DEK
    aads = [header + context.encode() for context in contexts]
    if len({len(aad) for aad in aads}) != 1:
        sys.exit("the associated data should have one length for every record")
    raw_keys = [RAW[case.algorithm](os.urandom(32)) for _ in range(scopes)]
    aeads = [raw_keys[i % scopes] for i in range(n)]

    def raw_encrypt(count: int) -> list[tuple[bytes, bytes]]:
        out = []
        for aead, plaintext, aad in zip(aeads[:count], plaintexts[:count], aads, strict=False):
            nonce = os.urandom(12)
            out.append((nonce, aead.encrypt(nonce, plaintext, aad)))
        return out

    def raw_decrypt(sealed: list[tuple[bytes, bytes]]) -> list[bytes]:
        return [
            aead.decrypt(nonce, body, aad)
            for aead, (nonce, body), aad in zip(aeads, sealed, aads, strict=False)
        ]

    def envelope_encrypt(count: int) -> list[bytes]:
        encrypt = ring.encrypt
        return [
            encrypt(plaintext, context, subject=subject)
            for plaintext, context, subject in zip(
                plaintexts[:count], contexts, subjects, strict=False
            )
        ]

    def envelope_decrypt(sealed: list[bytes]) -> list[bytes]:
        decrypt = ring.decrypt
        return [
            decrypt(ciphertext, context)
            for ciphertext, context in zip(sealed, contexts, strict=False)
        ]

    def timed(call: Callable, argument: object) -> tuple[float, list]:
        gc.collect()
        start = time.perf_counter()
        out = call(argument)
        return time.perf_counter() - start, out

    # Warm-up: code paths, allocator, CPU caches; every scope already has its DEK.
    raw_decrypt(raw_encrypt(WARMUP_RECORDS))
    envelope_decrypt(envelope_encrypt(WARMUP_RECORDS))

    repeats = []
    ciphertext_bytes = len(sealed[0])
    for repeat in range(args.repeats):
        times: dict[str, float] = {}
        order = ("raw", "envelope") if repeat % 2 == 0 else ("envelope", "raw")
        for kind in order:
            encrypt, decrypt = (
                (raw_encrypt, raw_decrypt)
                if kind == "raw"
                else (envelope_encrypt, envelope_decrypt)
            )
            times[f"{kind}_encrypt_s"], sealed = timed(encrypt, n)
            times[f"{kind}_decrypt_s"], opened = timed(decrypt, sealed)
            if opened != plaintexts:
                sys.exit(f"{case.label}: {kind} decryption did not return the plaintexts")
            del sealed, opened
        repeats.append(Repeat(**times))
        raw_s = times["raw_encrypt_s"] + times["raw_decrypt_s"]
        envelope_s = times["envelope_encrypt_s"] + times["envelope_decrypt_s"]
        print(
            f"  repeat {repeat + 1}: round trip raw {raw_s:.3f} s, envelope {envelope_s:.3f} s "
            f"({envelope_s / raw_s:.2f}x)",
            flush=True,
        )
    ring.close()
    return Result(case, n, len(aads[0]), ciphertext_bytes, repeats, first_use)


def environment() -> dict[str, object]:
    return {
        **machine.environment(("tutela", "cryptography")),
        "openssl": openssl_backend.openssl_version_text(),
    }


def file_system(path: Path) -> str:
    """The type of the file system holding `path` (its commits decide the first-use latency)."""
    best, kind = "", "unknown"
    for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) > 2 and str(path).startswith(fields[1]) and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def print_table(results: list[Result]) -> None:
    header = (
        f"{'row':<21}{'op':<12}{'raw MB/s':>9}{'raw rec/s':>11}{'env MB/s':>9}{'env rec/s':>11}"
        f"{'ratio':>7}{'best':>6}  verdict"
    )
    print(f"\nsteady state, {RECORD_BYTES}-byte records; ratio = envelope time / raw time")
    print(header)
    print("-" * len(header))
    for result in results:
        megabytes = result.records * RECORD_BYTES / 1e6
        for op in ("encrypt", "decrypt", "round trip"):
            raw, env = result.seconds(op, "raw"), result.seconds(op, "envelope")
            ratio = result.ratio(op)
            verdict = "PASS" if ratio < TARGET_RATIO else "FAIL"
            label = result.case.label if op == "encrypt" else ""
            print(
                f"{label:<21}{op:<12}{megabytes / raw:>9.0f}{result.records / raw:>11,.0f}"
                f"{megabytes / env:>9.0f}{result.records / env:>11,.0f}"
                f"{ratio:>7.2f}{result.ratio(op, min):>6.2f}  {verdict}"
            )
    print("\nfirst use (median / max of fresh scopes, microseconds)")
    header = f"{'row':<21}{'new-DEK enc':>16}{'warm enc':>10}{'cold dec':>16}{'warm dec':>10}"
    print(header)
    print("-" * len(header))
    for result in results:
        use = result.first_use

        def cell(values: list[float]) -> str:
            return f"{statistics.median(values) * 1e6:.0f} / {max(values) * 1e6:.0f}"

        print(
            f"{result.case.label:<21}{cell(use.first_encrypt_s):>16}"
            f"{statistics.median(use.warm_encrypt_s) * 1e6:>10.0f}"
            f"{cell(use.cold_decrypt_s):>16}{statistics.median(use.warm_decrypt_s) * 1e6:>10.0f}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000, help="records per run (50000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed repetitions per row (5)")
    parser.add_argument(
        "--subjects", type=int, default=100, help="data subjects of the per-subject rows (100)"
    )
    parser.add_argument(
        "--dir", type=Path, help="where the keystores go (a temporary directory, removed after)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    if args.records < 1 or args.repeats < 1 or args.subjects < 1:
        parser.error("--records, --repeats and --subjects must be at least 1")
    if args.subjects > args.records:
        parser.error("--subjects cannot exceed --records")
    return args


def main() -> None:
    args = parse_args()
    env = environment()
    print(
        f"{env['cpu']}, {env['cpus']} CPUs, AES-NI {'yes' if env['aes_ni'] else 'no'}, "
        f"{env['memory_gib']} GiB; Python {env['python']}, {env['openssl']}; {env['versions']}"
    )
    print(
        f"{args.records} records of {RECORD_BYTES} bytes, single thread, median of "
        f"{args.repeats} repetitions after a warm-up; target round-trip ratio < {TARGET_RATIO}"
    )
    cases = [Case(c.label, c.algorithm, args.subjects if c.subjects else 0) for c in CASES]
    load_before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory(prefix="tutela-envelope-", dir=args.dir) as scratch:
        env["keystore_file_system"] = file_system(Path(scratch).resolve())
        print(f"keystores in {scratch} ({env['keystore_file_system']})")
        for number, case in enumerate(cases):
            print(f"measuring {case.label} ...", flush=True)
            results.append(measure(case, args, Path(scratch) / str(number)))
    load_after = os.getloadavg()
    print_table(results)
    verdicts = ", ".join(
        f"{r.case.label} {'PASS' if r.passed() else 'FAIL'} ({r.ratio('round trip'):.2f}x)"
        for r in results
    )
    print(f"\nround trip against the {TARGET_RATIO}x target: {verdicts}")
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    if args.json:
        report = {
            "environment": env,
            "command": sys.argv,
            "records": args.records,
            "record_bytes": RECORD_BYTES,
            "repeats": args.repeats,
            "subjects": args.subjects,
            "target_ratio": TARGET_RATIO,
            "load_average": {"before": load_before, "after": load_after},
            "results": [result.summary() for result in results],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
