"""Import time of this package's own modules next to Flask-SQLAlchemy 3.1's.

Each run is a fresh interpreter, the two packages alternating. Two figures per
package, medians over the runs:

- ``importtime``: ``python -X importtime -c "import PKG"``, the sum of the *self*
  times of the package's own modules (``PKG`` and ``PKG.*``); Flask, SQLAlchemy
  and the rest are not counted. Wall-clock time, so a busy machine inflates it.
- ``cpu``: the modules of other packages that ``import PKG`` loads are imported
  first, then the CPU time (``time.process_time``) of ``import PKG`` itself: the
  same own modules, measured in a way that other processes do not disturb.

Bytecode is written and used (``PYTHONDONTWRITEBYTECODE`` is dropped for the
runs), as for an installed wheel. ``--breakdown`` adds the median self time of
each own module, and the modules of other packages that only this package's
import loads (a cost the own-module sum would not show).

    python bench/import_time.py [--runs 21] [--breakdown]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

OURS = "flask_sqlalchemy_typed"
THEIRS = "flask_sqlalchemy"
# Compiled bytecode, as an installed wheel has: without it each run compiles the
# sources and the figure measures the compiler.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CPU_SCRIPT = """
import importlib, sys, time
for name in sys.argv[2:]:
    try:
        importlib.import_module(name)
    except Exception:
        pass
start = time.process_time_ns()
importlib.import_module(sys.argv[1])
print(time.process_time_ns() - start)
"""


def import_times(package: str) -> dict[str, int]:
    """Self time in microseconds of every module ``import package`` loads, in
    import order."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {package}"],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    times: dict[str, int] = {}
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line[len("import time:") :].split("|")
        times[name.strip()] = int(self_us)
    return times


def cpu_time(package: str, others: list[str]) -> int:
    """CPU time in nanoseconds of ``import package`` once ``others`` are loaded."""
    completed = subprocess.run(
        [sys.executable, "-c", CPU_SCRIPT, package, *others],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    return int(completed.stdout)


def own(times: dict[str, int], package: str) -> dict[str, int]:
    return {
        name: us
        for name, us in times.items()
        if name == package or name.startswith(package + ".")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--breakdown", action="store_true")
    args = parser.parse_args()

    packages = (OURS, THEIRS)
    # First runs write the .pyc files, and list each package's other modules.
    others: dict[str, list[str]] = {}
    for package in packages:
        first = import_times(package)
        # -X importtime lists a module when its import ends: dependencies first.
        others[package] = [n for n in first if n not in own(first, package)]
    runs: dict[str, list[dict[str, int]]] = {p: [] for p in packages}
    cpu: dict[str, list[int]] = {p: [] for p in packages}
    for _ in range(args.runs):
        for package in packages:
            runs[package].append(import_times(package))
            cpu[package].append(cpu_time(package, others[package]))

    print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians")
    wall = {
        p: statistics.median(sum(own(t, p).values()) for t in runs[p]) / 1000
        for p in packages
    }
    used = {p: statistics.median(cpu[p]) / 1e6 for p in packages}
    print(f"{'':24}{'importtime':>12}{'cpu':>10}")
    for package in packages:
        print(f"{package:24}{wall[package]:9.2f} ms{used[package]:7.2f} ms")
    print(
        f"{'ratio':24}{wall[OURS] / wall[THEIRS]:10.2f}x{used[OURS] / used[THEIRS]:8.2f}x"
    )

    if args.breakdown:
        print(f"\n{OURS} modules, median self time (-X importtime):")
        for name in own(runs[OURS][0], OURS):
            us = statistics.median(t.get(name, 0) for t in runs[OURS])
            print(f"  {us / 1000:6.2f} ms  {name}")
        only_ours = set(others[OURS]) - set(others[THEIRS])
        total = 0.0
        print(f"\nother modules only {OURS} loads, median self time:")
        for name in sorted(only_ours):
            us = statistics.median(t.get(name, 0) for t in runs[OURS])
            total += us
            print(f"  {us / 1000:6.2f} ms  {name}")
        print(f"  {total / 1000:6.2f} ms  total")


if __name__ == "__main__":
    main()
