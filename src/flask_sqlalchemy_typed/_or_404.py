"""The view helpers behind ``get_or_404``, ``first_or_404`` and ``one_or_404``.

:meta private:
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping
from collections.abc import Sequence

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import abort
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.selectable import ForUpdateParameter
from typing_extensions import Unpack

if t.TYPE_CHECKING:
    from .extension import SQLAlchemy

_O = t.TypeVar("_O")
_T = t.TypeVar("_T")


# Dialects where a failed statement aborts the whole transaction ("current
# transaction is aborted, commands ignored until end of transaction block").
_ABORTING_DIALECTS = frozenset({"postgresql"})


def _is_bad_identity(error: BaseException) -> bool:
    """Whether ``session.get`` failed because the identity does not fit the key
    column: the database or driver rejected the value ("abc" or 10**25 for an
    integer key), as opposed to a broken connection or a programming error.
    """
    if isinstance(error, (sa_exc.DataError, OverflowError)):
        # DataError: PostgreSQL "invalid input syntax" / "integer out of range".
        # OverflowError: sqlite3 raises it unwrapped for ints beyond 64 bits.
        return True
    return isinstance(error, sa_exc.StatementError) and isinstance(
        error.orig, (OverflowError, ValueError, TypeError)
    )


def _is_aborting(session: sa_orm.Session, entity: type[t.Any]) -> bool:
    return session.get_bind(mapper=entity).dialect.name in _ABORTING_DIALECTS


def get_or_404(
    db: SQLAlchemy[t.Any],
    entity: type[_O],
    ident: t.Any,  # SQLAlchemy's _PKIdentityArgument: Any | tuple[Any, ...]
    *,
    description: str | None,
    options: Sequence[ORMOption] | None,
    populate_existing: bool | None,
    with_for_update: ForUpdateParameter,
    identity_token: t.Any,  # any token, as Session.get takes it
    execution_options: Mapping[str, t.Any] | None,
    bind_arguments: dict[str, t.Any] | None,
) -> _O:
    """``session.get()``, aborting with 404 when nothing is found.

    An identity the key column cannot hold (a URL segment "abc" or 10**25 for an
    integer key) is "not found" too, on every database: PostgreSQL raises
    ``DataError`` and SQLite ``OverflowError`` where MariaDB returns no row.

    PostgreSQL aborts the whole transaction on such an error. When the session has
    work to keep (a transaction in progress, or pending changes that ``get`` would
    autoflush), the lookup runs inside a SAVEPOINT, rolled back on the error, so
    that work survives: two extra round trips, paid only on PostgreSQL and only
    then. Otherwise the lookup runs bare and a failed one rolls back the
    session's (empty) transaction. Other databases keep the transaction usable
    after a failed statement and never need either.
    """
    real: sa_orm.Session = db.session()
    # Only the keywords given are passed on: the usual call has none.
    kwargs: dict[str, t.Any] = {}
    if options is not None:
        kwargs["options"] = options
    if populate_existing is not None:
        kwargs["populate_existing"] = populate_existing
    if with_for_update is not None:
        kwargs["with_for_update"] = with_for_update
    if identity_token is not None:
        kwargs["identity_token"] = identity_token
    if execution_options is not None:
        kwargs["execution_options"] = execution_options
    if bind_arguments is not None:
        kwargs["bind_arguments"] = bind_arguments
    # The usual request has no work yet: the bind (a lookup per call) is only
    # asked for its dialect when there is work, or after an error. _is_clean()
    # is O(1), where session.dirty would walk the identity map.
    has_work = (
        real.in_transaction() or not real._is_clean()  # pyright: ignore[reportPrivateUsage]
    ) and _is_aborting(real, entity)
    value: _O | None
    try:
        if has_work:
            with real.begin_nested():
                value = real.get(entity, ident, **kwargs)
        else:
            value = real.get(entity, ident, **kwargs)
    except Exception as e:
        if not _is_bad_identity(e):
            raise
        if not has_work and _is_aborting(real, entity):
            real.rollback()
        abort(404, description=description)
    if value is None:
        abort(404, description=description)
    return value


def first_or_404(
    db: SQLAlchemy[t.Any],
    statement: sa.Select[_T, Unpack[tuple[t.Any, ...]]],
    *,
    description: str | None,
) -> _T:
    """The first column of the first row, aborting with 404 when it is ``None``."""
    value: _T | None = db.session.execute(statement).scalar()
    if value is None:
        abort(404, description=description)
    return value


def one_or_404(
    db: SQLAlchemy[t.Any],
    statement: sa.Select[_T, Unpack[tuple[t.Any, ...]]],
    *,
    description: str | None,
) -> _T:
    """The first column of the only row, aborting with 404 unless exactly one."""
    try:
        value: _T = db.session.execute(statement).scalar_one()
    except (sa_exc.NoResultFound, sa_exc.MultipleResultsFound):
        abort(404, description=description)
    return value
