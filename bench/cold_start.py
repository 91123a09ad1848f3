"""Benchmark: what a cold Lambda start costs in Python, and what the deployment package weighs.

Usage:  .venv/bin/python bench/cold_start.py [--runs 10] [--skip-package]

1. The cold import of the Lambda handler (``import app`` in ``functions/``, as
   Lambda does for ``app.app``) in a fresh interpreter, ``--runs`` times: the
   median and the spread. Only the import is timed (``time.perf_counter``
   around it, inside the child), not the interpreter's own start.
2. ``python -X importtime`` of one such import: the ten imports with the most
   cumulative time, so a heavy one is named.
3. ``seklik deploy package`` for the ``prod`` stage into a scratch folder: the
   size of ``deployment.zip`` and its ten largest top-level entries.

Goals (issue 12): import ≤ 300 ms, zip ≤ 15 MB. Nothing here asserts; the
figures are printed. The Lambda runtime's own start (its Python, the
bootstrap) comes before this and is not ours to change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
IMPORT_GOAL_MS = 300
ZIP_GOAL_MB = 15

TIMED_IMPORT = (
    "import sys, time; sys.path.insert(0, '.'); t = time.perf_counter(); import app; "
    "print((time.perf_counter() - t) * 1000)"
)


def child_env() -> dict[str, str]:
    # What the handler's module level needs to import; nothing is called, so no server is needed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKLIK_")}
    env.update({"AWS_DEFAULT_REGION": "ap-southeast-3", "PYTHONDONTWRITEBYTECODE": "0"})
    return env


def cold_imports(runs: int) -> list[float]:
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, '.'); import app"], cwd=FUNCTIONS,
                   env=child_env(), check=True)  # write the .pyc files once, as the zip would carry them
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", TIMED_IMPORT], cwd=FUNCTIONS, env=child_env(),
                             capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def import_profile(top: int = 10) -> list[tuple[float, float, str]]:
    """(cumulative ms, self ms, module) of the imports that took longest, nested ones included."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import sys; sys.path.insert(0, '.'); import app"],
                         cwd=FUNCTIONS, env=child_env(), capture_output=True, text=True, check=True)
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        rows.append((int(cumulative) / 1000, int(own) / 1000, name.strip()))
    return sorted(rows, reverse=True)[:top]


def package_size() -> tuple[int, list[tuple[int, str]]]:
    with tempfile.TemporaryDirectory(prefix="seklik-bench-") as scratch:
        subprocess.run([sys.executable, "-m", "seklik.cli", "deploy", "package", "--stage", "prod", "--out", scratch],
                       cwd=ROOT, check=True, capture_output=True, text=True)
        archive = Path(scratch) / "deployment.zip"
        size = archive.stat().st_size
        by_top: dict[str, int] = defaultdict(int)
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                by_top[info.filename.split("/", 1)[0]] += info.compress_size
    return size, sorted(((n, name) for name, n in by_top.items()), reverse=True)[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--skip-package", action="store_true", help="only the import figures")
    args = parser.parse_args()

    times = cold_imports(args.runs)
    median = statistics.median(times)
    print(f"cold import of the handler (`import app`), {args.runs} fresh interpreters:")
    print(f"  median {median:.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms "
          f"(goal ≤ {IMPORT_GOAL_MS} ms: {'met' if median <= IMPORT_GOAL_MS else 'NOT met'})")
    print("\nslowest imports (one run of -X importtime; cumulative includes what each imports):")
    for cumulative, own, name in import_profile():
        print(f"  {cumulative:8.1f} ms cumulative {own:7.1f} ms own  {name}")

    if not args.skip_package:
        size, largest = package_size()
        print(f"\ndeployment.zip (seklik deploy package --stage prod): {size / 1e6:.1f} MB "
              f"(goal ≤ {ZIP_GOAL_MB} MB: {'met' if size <= ZIP_GOAL_MB * 1e6 else 'NOT met'})")
        print("largest top-level entries (compressed):")
        for n, name in largest:
            print(f"  {n / 1e6:7.2f} MB  {name}")


if __name__ == "__main__":
    main()
