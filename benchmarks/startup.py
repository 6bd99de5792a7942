"""Time to first token on a warm cache, from a fresh process, per installed local backend.

Each run starts a new Python process that imports Tutela, opens it (settings, cache check,
model load) and streams one answer until its first text arrives; the process reports how long
each phase took since the interpreter started. The baseline, measured in the same run, is a
fresh process that only imports torch: the floor every torch-based start pays. Reported: the
median of `--repeats` runs per backend and the ratio to the baseline.

The model cache must be warm (run `tutela init` or the tests once). Run it from the repository
root:

    .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = REPO / ".tutela-test" / "models"

BASELINE = """
import time, json
start = time.perf_counter()
import torch
print(json.dumps({"total": time.perf_counter() - start}))
"""

CHILD = """
import time, json, sys
start = time.perf_counter()
from tutela import Tutela
imported = time.perf_counter()
app = Tutela.open(backend=sys.argv[1], show_progress=False)
opened = time.perf_counter()
next(iter(app.stream("What is diversification?", max_tokens=8)))
first = time.perf_counter()
print(json.dumps({
    "import": imported - start, "open": opened - imported,
    "first_token": first - opened, "total": first - start,
}))
"""


def run(code: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per row (3)")
    parser.add_argument("--model-cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="tutela-startup-")
    env = {**os.environ, "TUTELA_HOME": home, "TUTELA_MODEL_CACHE": str(args.model_cache)}
    backends = ["torch"] + (["llamacpp"] if importlib.util.find_spec("llama_cpp") else [])
    run(CHILD, "torch", env=env)  # warm the cache and the OS page cache

    baseline = median_of([run(BASELINE, env=env) for _ in range(args.repeats)])
    print(f"{'row':<20}{'import':>9}{'open':>9}{'first':>9}{'total s':>9}{'x base':>9}")
    print(f"{'import torch only':<20}{'':>27}{baseline['total']:>9.2f}{1.0:>9.2f}")
    for backend in backends:
        row = median_of([run(CHILD, backend, env=env) for _ in range(args.repeats)])
        print(
            f"{backend:<20}{row['import']:>9.2f}{row['open']:>9.2f}{row['first_token']:>9.2f}"
            f"{row['total']:>9.2f}{row['total'] / baseline['total']:>9.2f}"
        )


if __name__ == "__main__":
    main()
