"""Formatting generated code with ruff, isolated from any user configuration."""

from __future__ import annotations

import subprocess
import sys

_CONFIG = [
    "--isolated",
    "--config",
    "target-version = 'py310'",
    "--config",
    "lint.isort.force-single-line = true",
    "--config",
    "lint.isort.order-by-type = false",
    "--config",
    "lint.isort.known-first-party = ['flask_sqlalchemy_typed']",
]


def _ruff(args: list[str], source: str, filename: str) -> str:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            *args,
            *_CONFIG,
            "--stdin-filename",
            filename,
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ruff failed on {filename}:\n{proc.stderr}\n{source}")
    return proc.stdout


def format_source(source: str, filename: str, *, fix_imports: bool = True) -> str:
    """Sort imports, drop unused ones and format, as ``ruff`` would on disk.

    :param fix_imports: Sort and prune imports; off for a hand-written file with a
        generated region, whose imports are the file's own.
    """
    if fix_imports:
        source = _ruff(
            ["check", "--select", "I,F401", "--fix", "--exit-zero", "--quiet"],
            source,
            filename,
        )
    return _ruff(["format", "--quiet"], source, filename)
