"""Trim the blank lines that end an excerpt of an example file.

``ruff format`` puts two blank lines between a top-level class or function and the
``# [end ...]`` marker comment that follows it; a ``literalinclude`` excerpt would
show them at the bottom of its code block.
"""

from __future__ import annotations

import typing as t

from docutils import nodes

if t.TYPE_CHECKING:
    from sphinx.application import Sphinx


def _trim(app: Sphinx, doctree: nodes.document) -> None:
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        trimmed = text.rstrip("\n")
        if trimmed != text and block.children:
            block.children = [nodes.Text(trimmed)]
            block.rawsource = trimmed


def setup(app: Sphinx) -> dict[str, t.Any]:
    app.connect("doctree-read", _trim)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
