"""Dedent excerpts of example files and trim the blank lines that end them.

An excerpt from inside a ``with app.app_context():`` block would show its
indentation, and ``ruff format`` puts two blank lines between a top-level class
or function and the ``# [end ...]`` marker comment that follows it.
"""

from __future__ import annotations

import textwrap
import typing as t

from docutils import nodes

if t.TYPE_CHECKING:
    from sphinx.application import Sphinx


def _trim(app: Sphinx, doctree: nodes.document) -> None:
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        trimmed = textwrap.dedent(text).strip("\n")
        if trimmed != text and block.children:
            block.children = [nodes.Text(trimmed)]
            block.rawsource = trimmed


def setup(app: Sphinx) -> dict[str, t.Any]:
    app.connect("doctree-read", _trim)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
