"""Sphinx configuration of the flask-sqlalchemy-typed documentation.

Build it with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` after
``pip install -e ".[docs]"``; open ``docs/_build/html/index.html``.
"""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# Project --------------------------------------------------------------

project = "flask-sqlalchemy-typed"
author = "flask-sqlalchemy-typed developers"
copyright = "the flask-sqlalchemy-typed developers"
release = importlib.metadata.version("flask-sqlalchemy-typed")
version = ".".join(release.split(".")[:2])

# General --------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "myst_parser",  # only to include CHANGES.md in changes.rst
    "pallets_sphinx_themes",
    "public_api",  # fails the build when a public name is not in the reference
    "trim_examples",  # no trailing blank lines in literalinclude excerpts
]
exclude_patterns = ["_build", "_ext", "examples"]
source_suffix = {".rst": "restructuredtext"}
default_role = "code"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
# Every cross-reference must resolve (nitpicky; with -W a broken one fails the
# build), except those that cannot: the docs are built offline, without the
# intersphinx inventories of Python, Flask and SQLAlchemy, and the signatures
# name private type variables and aliases.
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(sqlalchemy|sa|sa_orm|flask|werkzeug|blinker|typing|t|typing_extensions"
        r"|collections|time|datetime|contextlib|dataclasses|enum|os|pathlib"
        r"|pytest|_pytest|flask_migrate|flask_admin|alembic|marshmallow"
        r"|marshmallow_sqlalchemy|wtforms|psycopg|pymysql)(\..*)?",
    ),
    (r"py:.*", r"(.*\.)?_\w+"),
    # Names the signatures import under TYPE_CHECKING, which autodoc cannot
    # resolve: SQLAlchemy's and Flask's (above, when qualified) and the options.
    (
        r"py:class",
        r"Select|Row|ClauseElement|ORMOption|ForUpdateParameter"
        r"|RelationshipProperty|Flask|SessionOptions|EngineOptions",
    ),
]

# HTML -----------------------------------------------------------------

html_theme = "flask"
html_context = {"project_links": []}
html_theme_options = {"index_sidebar_logo": False}
html_sidebars = {
    "index": ["project.html", "localtoc.html", "searchbox.html"],
    "**": ["localtoc.html", "relations.html", "searchbox.html"],
}
html_title = f"flask-sqlalchemy-typed documentation ({version})"
html_show_sourcelink = False
# No Read the Docs version banner: the site is built and read locally.
version_banner = False
