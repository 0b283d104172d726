"""The view helpers behind ``get_or_404``, ``first_or_404`` and ``one_or_404``.

:meta private:
"""

from __future__ import annotations

import typing as t

import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import abort
from sqlalchemy.util import EMPTY_DICT

_O = t.TypeVar("_O")


def get_or_404(
    session: sa_orm.scoped_session[t.Any],
    entity: type[_O],
    ident: t.Any,
    description: str | None,
    *,
    execution_options: t.Any = None,
    **kwargs: t.Any,
) -> _O:
    """``session.get()``, aborting with 404 when nothing is found."""
    value = session.get(
        entity,
        ident,
        execution_options=EMPTY_DICT
        if execution_options is None
        else execution_options,
        **kwargs,
    )
    if value is None:
        abort(404, description=description)
    return value


def first_or_404(
    session: sa_orm.scoped_session[t.Any],
    statement: t.Any,
    description: str | None,
) -> t.Any:
    """The first column of the first row, aborting with 404 when it is ``None``."""
    value = session.execute(statement).scalar()
    if value is None:
        abort(404, description=description)
    return value


def one_or_404(
    session: sa_orm.scoped_session[t.Any],
    statement: t.Any,
    description: str | None,
) -> t.Any:
    """The first column of the only row, aborting with 404 unless exactly one."""
    try:
        return session.execute(statement).scalar_one()
    except (sa_exc.NoResultFound, sa_exc.MultipleResultsFound):
        abort(404, description=description)
