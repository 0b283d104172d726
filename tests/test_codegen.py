"""The code generator: what it reads, and what ``python -m codegen --check`` catches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_generator_never_imports_the_package() -> None:
    # A generated file with a broken import must not stop its own regeneration.
    code = (
        "import sys\n"
        "from codegen.model import py_import\n"
        "assert py_import('from flask_sqlalchemy_typed import _engines').endswith('_engines')\n"
        "assert py_import('from flask_sqlalchemy_typed.table import _Table').endswith(']')\n"
        "loaded = [m for m in sys.modules if m.startswith('flask_sqlalchemy_typed')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
