"""The documentation's examples run, its pages include only what exists, and the API
reference lists every public name.

Each example under ``docs/examples/`` is a complete program: it runs here in its own
process, with warnings as errors, from an empty working directory. CI also checks
them with ``mypy --strict`` and pyright strict against the stubs (``docs/mypy.ini``,
``docs/pyrightconfig.json``), as a user's code is checked.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
import types
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.py"))
PAGES = sorted(DOCS.glob("*.rst"))


def _load_public_api() -> types.ModuleType:
    """``docs/_ext/public_api.py``, the Sphinx extension that checks the reference."""
    spec = importlib.util.spec_from_file_location(
        "public_api", DOCS / "_ext" / "public_api.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


public_api = _load_public_api()


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=_rel)
def test_example_runs(example: Path, tmp_path: Path) -> None:
    before = sorted(EXAMPLES.rglob("*"))
    result = subprocess.run(
        [sys.executable, "-W", "error", str(example)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{_rel(example)} failed:\n{result.stderr}"
    created = sorted(set(EXAMPLES.rglob("*")) - set(before))
    created = [p for p in created if "__pycache__" not in p.parts]
    assert not created, f"{_rel(example)} wrote into docs/examples: {created}"


# --- the pages -----------------------------------------------------------------

_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:-]+)::\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^\s+:(?P<name>[\w-]+):\s*(?P<value>.*)$")
_PYTHON_LANGS = {"python", "python3", "py", "py3", "pycon", "ipython", "ipython3"}
_CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "highlight"}


class Directive:
    def __init__(self, page: Path, line: int, name: str, arg: str) -> None:
        self.page = page
        self.line = line
        self.name = name
        self.arg = arg
        self.options: dict[str, str] = {}

    def where(self) -> str:
        return f"{_rel(self.page)}:{self.line}"


def _directives(page: Path) -> list[Directive]:
    found: list[Directive] = []
    current: Directive | None = None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        match = _DIRECTIVE.match(line)
        if match:
            current = Directive(page, number, match["name"], match["arg"].strip())
            found.append(current)
            continue
        option = _OPTION.match(line)
        if current is not None and option:
            current.options[option["name"]] = option["value"].strip()
        elif line.strip() or current is None:
            current = None
    return found


def _literal_blocks(page: Path) -> list[tuple[int, str]]:
    """``::`` literal blocks: (line of the ``::``, block text)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped.endswith("::") or _DIRECTIVE.match(line):
            continue
        indent = len(line) - len(line.lstrip())
        body: list[str] = []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        text = "\n".join(body).strip("\n")
        if text:
            blocks.append((i + 1, text))
    return blocks


def _looks_like_python(text: str) -> bool:
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(text))
    except SyntaxError:
        return False
    # A bare name or dotted name ("SQLALCHEMY_BINDS") is not an example.
    return not all(
        isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Attribute))
        for node in tree.body
    )


def test_pages_exist() -> None:
    assert PAGES, "no docs/*.rst pages"


def _inline_python(page: Path) -> list[str]:
    """Where a page shows Python that does not come from an example file."""
    problems = []
    for directive in _directives(page):
        language = directive.arg.split()[0].lower() if directive.arg else ""
        if directive.name in _CODE_DIRECTIVES and language in _PYTHON_LANGS:
            problems.append(f"{directive.where()}: '.. {directive.name}:: {language}'")
        if directive.name in {"doctest", "testcode"}:
            problems.append(f"{directive.where()}: '.. {directive.name}::'")
    for number, text in _literal_blocks(page):
        if _looks_like_python(text):
            problems.append(f"{_rel(page)}:{number}: a '::' literal block of Python")
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(">>> "):
            problems.append(f"{_rel(page)}:{number}: a '>>>' doctest block")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_no_inline_python(page: Path) -> None:
    """Python in a page comes from a checked example file, never inline."""
    problems = _inline_python(page)
    assert not problems, (
        "Put Python examples in docs/examples/ and include them with"
        " '.. literalinclude::':\n" + "\n".join(problems)
    )


def test_inline_python_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(
        "Title\n=====\n\n"
        ".. code-block:: python\n\n    x = 1\n\n"
        "Run this::\n\n    db.session.add(user)\n\n"
        "Shell is fine::\n\n    pip install -e .\n\n"
        "A key is fine::\n\n    SQLALCHEMY_BINDS\n\n"
        ">>> 1 + 1\n2\n\n"
        ".. code-block:: shell\n\n    python -m pytest\n",
        encoding="utf-8",
    )
    problems = _inline_python(page)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "'.. code-block:: python'",
        "a '::' literal block of Python",
        "a '>>>' doctest block",
    ]


def _includes() -> list[Directive]:
    return [
        d for page in PAGES for d in _directives(page) if d.name == "literalinclude"
    ]


def _pyobject_exists(tree: ast.Module, dotted: str) -> bool:
    body: list[ast.stmt] = tree.body
    for part in dotted.split("."):
        for node in body:
            if (
                isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name == part
            ):
                body = node.body
                break
        else:
            return False
    return True


def _include_problems(include: Directive) -> list[str]:
    """What is wrong with a ``literalinclude``: a missing file, marker or object."""
    target = (include.page.parent / include.arg).resolve()
    if not target.is_file():
        return [f"{include.where()}: no file {include.arg}"]
    problems = []
    if target.suffix == ".py" and not target.is_relative_to(EXAMPLES.resolve()):
        problems.append(f"{include.where()}: Python examples live in docs/examples/")
    text = target.read_text(encoding="utf-8")
    for option in ("start-after", "end-before", "start-at", "end-at"):
        marker = include.options.get(option)
        if marker is not None and marker not in text:
            problems.append(f"{include.where()}: no {option} marker {marker!r}")
    start = include.options.get("start-after") or include.options.get("start-at")
    end = include.options.get("end-before") or include.options.get("end-at")
    if start and end and start in text and end not in text[text.index(start) :]:
        problems.append(f"{include.where()}: {end!r} does not follow {start!r}")
    pyobject = include.options.get("pyobject")
    if pyobject is not None and not _pyobject_exists(ast.parse(text), pyobject):
        problems.append(f"{include.where()}: no {pyobject!r} in {include.arg}")
    return problems


@pytest.mark.parametrize("include", _includes(), ids=lambda d: d.where())
def test_literalinclude_resolves(include: Directive) -> None:
    problems = _include_problems(include)
    assert not problems, "\n".join(problems)


def test_broken_literalinclude_is_found(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES)
    page = tmp_path / "page.rst"
    page.write_text(
        "Title\n=====\n\n"
        ".. literalinclude:: examples/no_such_file.py\n\n"
        ".. literalinclude:: examples/quickstart.py\n"
        "    :start-after: # [start nothing]\n"
        "    :end-before: # [end model]\n\n"
        ".. literalinclude:: examples/quickstart.py\n"
        "    :start-after: # [end model]\n"
        "    :end-before: # [start model]\n\n"
        ".. literalinclude:: examples/quickstart.py\n"
        "    :pyobject: User.nothing\n\n"
        ".. literalinclude:: examples/quickstart.py\n"
        "    :pyobject: show_user\n",
        encoding="utf-8",
    )
    found = [_include_problems(d) for d in _directives(page)]
    assert [[p.split(": ", 1)[1] for p in problems] for problems in found] == [
        ["no file examples/no_such_file.py"],
        ["no start-after marker '# [start nothing]'"],
        ["'# [start model]' does not follow '# [end model]'"],
        ["no 'User.nothing' in examples/quickstart.py"],
        [],
    ]


def _readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def _example_holding(block: str) -> Path | None:
    for example in EXAMPLE_FILES:
        if block.strip("\n") in example.read_text(encoding="utf-8"):
            return example
    return None


def test_readme_python_is_an_example() -> None:
    """The README's Python is cut from an example file, so it runs and type-checks."""
    blocks = _readme_python_blocks()
    assert blocks, "the README has a typed quickstart"
    for block in blocks:
        assert _example_holding(block) is not None, (
            "README.md has Python that no docs/examples/ file holds verbatim:"
            f" copy it from one (docs/examples/readme.py):\n{block}"
        )


def test_every_example_is_shown() -> None:
    """An example no page includes is a program nobody reads: show it or delete it."""
    shown = {(d.page.parent / d.arg).resolve() for d in _includes()}
    shown |= {_example_holding(b) or ROOT for b in _readme_python_blocks()}
    unused = [_rel(p) for p in EXAMPLE_FILES if p.resolve() not in shown]
    assert not unused, f"examples no page includes: {unused}"


# --- the API reference -----------------------------------------------------------


def test_public_names_are_found() -> None:
    names = public_api.public_names()
    assert "flask_sqlalchemy_typed.SQLAlchemy" in names
    assert "flask_sqlalchemy_typed.extension.SQLAlchemy.paginate" in names
    assert "flask_sqlalchemy_typed.pagination.Pagination.items" in names
    assert "flask_sqlalchemy_typed.track_modifications.models_committed" in names
    # SQLAlchemy's own names on the instance are described once, not one by one.
    assert "flask_sqlalchemy_typed.extension.SQLAlchemy.Column" not in names
    assert not [n for n in names if n.rpartition(".")[2].startswith("_")]


def test_missing_name_is_reported() -> None:
    names = public_api.public_names()
    everything = set(names)
    assert public_api.missing(everything) == []
    paginate = "flask_sqlalchemy_typed.extension.SQLAlchemy.paginate"
    assert public_api.missing(everything - {paginate}) == [paginate]
    # Documented under the re-exported name counts.
    aliased = everything - {paginate} | {"flask_sqlalchemy_typed.SQLAlchemy.paginate"}
    assert public_api.missing(aliased) == []


def _inventory() -> Path:
    """objects.inv of a built site: $DOCS_HTML's (as CI builds it), or built here."""
    built = os.environ.get("DOCS_HTML")
    if built:
        return Path(built) / "objects.inv"
    pytest.importorskip("sphinx", reason="the docs extra is not installed")
    out = ROOT / "docs" / "_build" / "test-html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(DOCS), str(out)],
        check=True,
        timeout=600,
    )
    return out / "objects.inv"


def _inventory_names(path: Path) -> set[str]:
    """The Python object names in a Sphinx ``objects.inv`` (format version 2: four
    header lines, then zlib-compressed ``name domain:role priority uri dispname``)."""
    data = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    assert data.startswith(b"# Sphinx inventory version 2"), path
    lines = zlib.decompress(data[header_end:]).decode("utf-8").splitlines()
    names = set()
    for line in lines:
        name, role = line.split(" ", 2)[:2]
        if role.startswith("py:"):
            names.add(name)
    return names


def test_api_reference_lists_every_public_name() -> None:
    documented = _inventory_names(_inventory())
    missing = public_api.missing(documented)
    assert not missing, f"not in the API reference (docs/api.rst): {missing}"
