"""Default ``query_class`` for relationships and backrefs.

:meta private:
"""

from __future__ import annotations

import typing as t


def set_rel_query(query_class: type[t.Any], kwargs: dict[str, t.Any]) -> None:
    """Default ``query_class`` in a relationship's and its backref's arguments."""
    kwargs.setdefault("query_class", query_class)
    if "backref" in kwargs:
        backref = kwargs["backref"]
        if isinstance(backref, str):
            backref = (backref, {})
            kwargs["backref"] = backref
        backref[1].setdefault("query_class", query_class)
