"""Default ``query_class`` for relationships and backrefs.

:meta private:
"""

from __future__ import annotations

import typing as t


def set_rel_query(query_class: type[t.Any], kwargs: dict[str, t.Any]) -> None:
    """Default ``query_class`` in a relationship's and its backref's arguments."""
    kwargs.setdefault("query_class", query_class)
    if "backref" in kwargs:
        backref: object = kwargs["backref"]
        if isinstance(backref, str):
            backref_kwargs: dict[str, t.Any] = {}
            kwargs["backref"] = (backref, backref_kwargs)
        else:
            # backref("name", **kw) returns a (name, kw) tuple.
            backref_kwargs = t.cast("tuple[str, dict[str, t.Any]]", backref)[1]
        backref_kwargs.setdefault("query_class", query_class)
