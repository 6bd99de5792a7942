"""What benchmark figures depend on besides the code: CPU, memory, package versions."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def environment(packages: tuple[str, ...]) -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    flags = next((line for line in cpuinfo if line.startswith("flags")), "").split()
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    found = {}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return {
        "cpu": models[0] if models else platform.processor(),
        "cpus": os.cpu_count(),
        "aes_ni": "aes" in flags,
        "memory_gib": round(pages / 2**30, 1),
        "python": platform.python_version(),
        "versions": found,
    }
