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


def test_region_is_replaced_and_the_rest_kept() -> None:
    from codegen.regions import splice

    source = "a = 1\n# START GENERATED X\nold\n# END GENERATED X\nb = 2\n"
    assert splice(source, "m.py", {"X": "new\n"}) == (
        "a = 1\n# START GENERATED X\nnew\n# END GENERATED X\nb = 2\n"
    )


def test_region_markers_are_counted() -> None:
    import pytest

    from codegen.regions import RegionError
    from codegen.regions import splice

    one = "# START GENERATED X\n# END GENERATED X\n"
    with pytest.raises(RegionError, match="expected one block each of"):
        splice("x = 1\n", "m.py", {"X": ""})
    with pytest.raises(RegionError, match="expected one block each of"):
        splice(one + one, "m.py", {"X": ""})
    with pytest.raises(RegionError, match="expected one block each of"):
        splice(one + one.replace("X", "Y"), "m.py", {"X": ""})
    with pytest.raises(RegionError, match="no '# END GENERATED X'"):
        splice("# START GENERATED X\n", "m.py", {"X": ""})


def test_hand_edit_in_a_region_is_undone() -> None:
    # So python -m codegen --check reports it as a stale file.
    from codegen.format import format_source
    from codegen.regions import splice

    source = (ROOT / "src/flask_sqlalchemy_typed/session.py").read_text("utf-8")
    start = source.index("# START GENERATED CLASS Session\n")
    end = source.index("# END GENERATED CLASS Session")
    region = source[start:end].split("\n", 1)[1]
    edited = source.replace("self._model_changes = {}", "self._model_changes = []")
    assert edited != source
    spliced = splice(edited, "session.py", {"CLASS Session": region})
    assert format_source(spliced, "session.py", fix_imports=False) == source
