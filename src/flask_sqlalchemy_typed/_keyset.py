"""Keyset ("seek") pagination behind :class:`.KeysetPage`: the order of a select,
made unique, and the predicate per dialect that selects the rows after a cursor.

The order is the select's ``ORDER BY``; the primary key of every table in its
``FROM`` whose key (or a unique key of NOT NULL columns) it does not already end
with is appended. A page is one query of ``per_page + 1`` rows: the rows after
(or before) the cursor's position, in the order (or the reversed order).

The predicate for "strictly after the position ``v``" is the lexicographic one,
written so that the database seeks in an index on the order's columns:

* leading bound, on every dialect: ``a >= x AND (a > x OR <after the rest>)``, the
  only form MariaDB's optimizer turns into an index range (it ignores row values)
  and the only one for mixed directions;
* row values, on PostgreSQL and SQLite, for each run of same-direction NOT NULL
  keys: ``(a, b) > (x, y)`` (one index condition over the whole run).

NULL is ordered first or last per key (``nulls_first()`` / ``nulls_last()``, or
the dialect's default: last for ASC on PostgreSQL, first on SQLite and MariaDB),
and the predicate is NULL-safe: with NULLs last, "after ``v``" is
``a > v OR a IS NULL``; after a NULL ``v`` it is nothing (NULLs last) or
``a IS NOT NULL`` (NULLs first). Dialects without ``NULLS FIRST/LAST`` get a
leading ``CASE WHEN a IS NULL`` key where the placement is not the default.

:meta private:
"""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from flask import abort
from flask import has_request_context
from flask import request
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import _label_reference  # pyright: ignore[reportPrivateUsage]
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.util import find_tables
from typing_extensions import Unpack

from . import _cursor
from . import _paging

if t.TYPE_CHECKING:
    from .pagination import KeysetPage

_Expr = ColumnElement[t.Any]

# Dialects whose NULLs sort after every value (ASC NULLS LAST by default).
_NULLS_HIGH = frozenset({"postgresql", "oracle"})
# Dialects with NULLS FIRST / NULLS LAST.
_NULLS_SYNTAX = frozenset({"postgresql", "sqlite", "oracle"})
# Dialects whose planner turns a row-value comparison into one index condition.
_ROW_VALUES = frozenset({"postgresql", "sqlite"})

BAD_CURSOR = (
    "The pagination cursor is invalid: it was changed, made for another ordering,"
    " or signed with another key. Start again from the first page."
)


@dataclasses.dataclass(frozen=True)
class Key:
    """One key of the order, with its NULL placement resolved for the dialect."""

    expr: _Expr
    desc: bool
    nulls_first: bool
    nullable: bool
    """Whether the key can be NULL in the result (not a NOT NULL column of a table
    that no outer join makes optional)."""

    def reversed(self) -> Key:
        return dataclasses.replace(
            self, desc=not self.desc, nulls_first=not self.nulls_first
        )


def _nulls_first_default(dialect: str, desc: bool) -> bool:
    return desc if dialect in _NULLS_HIGH else not desc


def _leaves(from_: sa.FromClause) -> t.Iterator[sa.FromClause]:
    if isinstance(from_, sa.Join):
        yield from _leaves(from_.left)
        yield from _leaves(from_.right)
    else:
        yield from_


def _froms(select: sa.Select[Unpack[tuple[t.Any, ...]]]) -> list[sa.FromClause]:
    """The FROM list of the select: from its columns when nothing else adds to
    it (``get_final_froms()`` compiles the whole statement to find out)."""
    if (
        not select._setup_joins  # pyright: ignore[reportPrivateUsage]
        and not select._from_obj  # pyright: ignore[reportPrivateUsage]
    ):
        froms = list(select.columns_clause_froms)
        known = {hash(f) for f in froms}
        where = select.whereclause
        if where is None or all(hash(t_) in known for t_ in find_tables(where)):
            return froms
    return list(select.get_final_froms())


def _has_outer_join(
    select: sa.Select[Unpack[tuple[t.Any, ...]]], froms: list[sa.FromClause]
) -> bool:
    for join in select._setup_joins:  # pyright: ignore[reportPrivateUsage]
        flags = join[3]
        if flags.get("isouter") or flags.get("full"):
            return True

    def outer(from_: sa.FromClause) -> bool:
        if isinstance(from_, sa.Join):
            return (
                from_.isouter or from_.full or outer(from_.left) or outer(from_.right)
            )
        return False

    return any(outer(f) for f in froms)


def _unique_keys(leaf: sa.FromClause) -> list[list[sa.ColumnElement[t.Any]]]:
    """The primary key, then each unique key of NOT NULL columns, of a FROM."""
    found: list[list[sa.ColumnElement[t.Any]]] = [list(leaf.primary_key)]
    if isinstance(leaf, sa.Table):
        for constraint in leaf.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                found.append(list(constraint.columns))
        for index in leaf.indexes:
            if index.unique:
                found.append([c for c in index.expressions if isinstance(c, sa.Column)])
    return [
        cols
        for cols in found
        if cols and all(not getattr(c, "nullable", True) for c in cols)
    ]


def order_keys(select: sa.Select[Unpack[tuple[t.Any, ...]]], dialect: str) -> list[Key]:
    """The keys of the select's ``ORDER BY``, made unique with primary keys."""
    clauses = select._order_by_clauses  # pyright: ignore[reportPrivateUsage]
    if not clauses:
        raise ValueError(
            "keyset_paginate needs an ordered select: add .order_by(...) with the"
            " columns to page by (the primary key is appended when they are not"
            " unique)."
        )
    if (
        select._group_by_clauses  # pyright: ignore[reportPrivateUsage]
        or select._having_criteria  # pyright: ignore[reportPrivateUsage]
        or select._limit_clause is not None  # pyright: ignore[reportPrivateUsage]
        or select._offset_clause is not None  # pyright: ignore[reportPrivateUsage]
    ):
        raise ValueError(
            "keyset_paginate pages a select without GROUP BY, HAVING, LIMIT or"
            " OFFSET: page a subquery of it instead."
        )
    froms = _froms(select)
    outer = _has_outer_join(select, froms)
    keys: list[Key] = []
    for clause in clauses:
        keys.append(_key(clause, dialect, outer))
    ordered = {hash(k.expr) for k in keys}
    for from_ in froms:
        for leaf in _leaves(from_):
            uniques = _unique_keys(leaf)
            if any(all(hash(c) in ordered for c in u) for u in uniques):
                continue
            pk = list(leaf.primary_key)
            if not pk:
                raise ValueError(
                    f"keyset_paginate cannot make the order unique: {leaf} in the"
                    " FROM clause has no primary key. Select from tables with"
                    " primary keys."
                )
            for col in pk:
                if hash(col) not in ordered:
                    ordered.add(hash(col))
                    keys.append(_key(col, dialect, outer))
    return keys


def _is_instance(element: object, cls: type[t.Any]) -> bool:
    """``isinstance`` that leaves an ``Any`` argument ``Any`` for pyright."""
    return isinstance(element, cls)


def _is_column_expression(element: object) -> bool:
    return isinstance(element, ColumnElement) and not isinstance(
        element, (sa.TextClause, _label_reference)
    )


def _check_type(expr: _Expr, dialect: str) -> None:
    """Reject keys whose values do not come back exactly from the database."""
    type_ = expr.type
    if (
        dialect in ("mysql", "mariadb")
        and isinstance(type_, sa.Float)
        and not isinstance(type_, sa.Double)
        and (type_.precision is None or type_.precision <= 24)
    ):
        raise ValueError(
            f"keyset_paginate cannot page by {expr}: a FLOAT column is single"
            " precision on MySQL and MariaDB and its values come back rounded, so"
            " a cursor would not find its row again. Use sa.Double (DOUBLE)."
        )
    if (
        dialect in ("mysql", "mariadb")
        and isinstance(type_, sa.Enum)
        and type_.native_enum
    ):
        raise ValueError(
            f"keyset_paginate cannot page by {expr}: MySQL and MariaDB sort an ENUM"
            " column by declaration order but compare it as text, so the rows"
            " after a cursor are not the rows that follow it. Order by"
            " sa.cast(column, sa.String) or use sa.Enum(..., native_enum=False)."
        )


def _key(clause: t.Any, dialect: str, outer: bool) -> Key:
    desc = False
    nulls: bool | None = None
    element: t.Any = clause
    while _is_instance(element, UnaryExpression):
        modifier = element.modifier  # pyright: ignore[reportUnknownMemberType]
        if modifier is operators.nulls_first_op:
            nulls = True if nulls is None else nulls
        elif modifier is operators.nulls_last_op:
            nulls = False if nulls is None else nulls
        elif modifier is operators.desc_op:
            desc = True
        elif modifier is not operators.asc_op:
            break
        element = element.element
    if _is_instance(element, sa.Label):
        element = element.element
    if not _is_column_expression(element):
        raise ValueError(
            f"keyset_paginate orders by column expressions, not {clause!r}: write"
            " order_by(User.name), not order_by('name')."
        )
    expr: _Expr = element
    _check_type(expr, dialect)
    default = _nulls_first_default(dialect, desc)
    nullable = outer or getattr(expr, "nullable", True) is not False
    return Key(
        expr=expr,
        desc=desc,
        nulls_first=default if nulls is None else nulls,
        nullable=nullable,
    )


def describe(keys: t.Sequence[Key]) -> str:
    """The fingerprint of an order: its expressions, directions, NULL placement."""
    parts: list[str] = []
    for key in keys:
        expr: t.Any = key.expr
        table = getattr(expr, "table", None)
        name = getattr(expr, "name", None)
        text = f"{table.name}.{name}" if table is not None and name else str(expr)
        parts.append(
            f"{text} {'D' if key.desc else 'A'}{'F' if key.nulls_first else 'L'}"
        )
    return _cursor.fingerprint(parts)


def order_by(keys: t.Sequence[Key], dialect: str) -> list[_Expr]:
    """The ``ORDER BY`` of the keys on a dialect."""
    out: list[_Expr] = []
    for key in keys:
        base = key.expr.desc() if key.desc else key.expr.asc()
        if not key.nullable or key.nulls_first == _nulls_first_default(
            dialect, key.desc
        ):
            out.append(base)
        elif dialect in _NULLS_SYNTAX:
            out.append(base.nulls_first() if key.nulls_first else base.nulls_last())
        else:
            flag = sa.case((key.expr.is_(None), 0), else_=1)
            out.append(flag.asc() if key.nulls_first else flag.desc())
            out.append(base)
    return out


_Cond = t.Union[_Expr, bool]  # noqa: UP007 (a runtime alias on 3.10)


def _and(a: _Cond, b: _Cond) -> _Cond:
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return sa.and_(a, b)


def _or(a: _Cond, b: _Cond) -> _Cond:
    if a is True or b is True:
        return True
    if a is False:
        return b
    if b is False:
        return a
    return sa.or_(a, b)


def _atoms(key: Key, value: t.Any) -> tuple[_Cond, _Cond]:
    """("strictly after ``value``", "after or equal") on one key."""
    e = key.expr
    if value is None:
        if key.nulls_first:
            return e.is_not(None), True
        return False, e.is_(None)
    v = sa.literal(value, e.type)
    gt: _Cond = e < v if key.desc else e > v
    ge: _Cond = e <= v if key.desc else e >= v
    if key.nullable and not key.nulls_first:
        gt = _or(gt, e.is_(None))
        ge = _or(ge, e.is_(None))
    return gt, ge


def after(keys: t.Sequence[Key], values: t.Sequence[t.Any], dialect: str) -> _Cond:
    """The rows strictly after the position ``values`` in the order ``keys``."""
    return _after(list(keys), list(values), dialect in _ROW_VALUES)


def _after(keys: list[Key], values: list[t.Any], row_values: bool) -> _Cond:
    if not keys:
        return False
    run = 1
    if row_values:
        while (
            run < len(keys)
            and keys[run].desc == keys[0].desc
            and all(not k.nullable for k in keys[: run + 1])
            and all(v is not None for v in values[: run + 1])
        ):
            run += 1
    if run > 1:
        cols = sa.tuple_(*(k.expr for k in keys[:run]))
        vals = sa.tuple_(
            *(
                sa.literal(v, k.expr.type)
                for k, v in zip(keys[:run], values[:run], strict=True)
            )
        )
        gt: _Cond = cols < vals if keys[0].desc else cols > vals
        ge: _Cond = cols <= vals if keys[0].desc else cols >= vals
    else:
        gt, ge = _atoms(keys[0], values[0])
    if run == len(keys):
        return gt
    return _and(ge, _or(gt, _after(keys[run:], values[run:], row_values)))


def statement(
    select: sa.Select[Unpack[tuple[t.Any, ...]]],
    keys: t.Sequence[Key],
    position: t.Sequence[t.Any] | None,
    backward: bool,
    limit: int,
    dialect: str,
) -> sa.Select[Unpack[tuple[t.Any, ...]]]:
    """The select of at most ``limit`` rows after (or, ``backward``, before)
    ``position`` in the order ``keys``, the key values appended to each row."""
    seek = [k.reversed() for k in keys] if backward else list(keys)
    stmt = select.order_by(None).order_by(*order_by(seek, dialect))
    if position is not None:
        cond = _after(seek, list(position), dialect in _ROW_VALUES)
        if cond is True or cond is False:
            cond = sa.true() if cond else sa.false()
        stmt = stmt.where(cond)
    labels = (k.expr.label(f"_fsqt_key_{i}") for i, k in enumerate(keys))
    return stmt.add_columns(*labels).limit(limit)


def _request_arg(name: str) -> str | None:
    if has_request_context():
        return request.args.get(name)
    return None


def paginate(
    page: KeysetPage[t.Any],
    *,
    select: sa.Select[Unpack[tuple[t.Any, ...]]],
    session: t.Any,
    after: str | None,
    before: str | None,
    per_page: int | None,
    max_per_page: int | None,
    error_out: bool,
    count: bool,
    rows: bool,
) -> None:
    """Fill ``page`` with one keyset page of ``select``. See
    :meth:`.SQLAlchemy.keyset_paginate`."""
    if after is None and before is None:
        after = _request_arg("after")
        before = _request_arg("before")
    _, per_page = _paging.prepare_page_args(
        page=1, per_page=per_page, max_per_page=max_per_page, error_out=error_out
    )
    dialect = session.get_bind(clause=select).dialect.name
    keys = order_keys(select, dialect)
    fp = describe(keys)
    signer = _cursor.serializer()  # fails without a SECRET_KEY, on every page
    backward = before is not None
    token = before if backward else after
    position: list[t.Any] | None = None
    if token is not None:
        try:
            if after is not None and before is not None:
                raise _cursor.CursorError("both after and before")
            position = _cursor.loads(signer, token, fp, len(keys))
        except _cursor.CursorError:
            if error_out:
                abort(400, description=BAD_CURSOR)
            backward = False
    limit = min(per_page + 1, _paging.MAX_SQL_INT)  # a LIMIT the database takes
    stmt = statement(select, keys, position, backward, limit, dialect)
    result = session.execute(stmt).unique(_paging.UniqueCounter().row())
    if rows:
        frozen = result.freeze()
        full = frozen().all()
        width = len(full[0]) - len(keys) if full else 0
        page_items: list[t.Any] = frozen().columns(*range(width)).all()
    else:
        full = result.all()
        width = len(full[0]) - len(keys) if full else 0
        page_items = [row[0] for row in full]
    more = len(full) > per_page
    full = full[:per_page]
    page_items = page_items[:per_page]
    if backward:
        full.reverse()
        page_items.reverse()
    if not rows:
        page_items = _unique_scalars(page_items)
    given = position is not None
    has_next = more if not backward else given
    has_prev = more if backward else given
    if not full:
        has_next = has_prev = False
    next_cursor = _cursor.dumps(signer, fp, full[-1][width:]) if has_next else None
    prev_cursor = _cursor.dumps(signer, fp, full[0][width:]) if has_prev else None
    page.items = page_items
    page.per_page = per_page
    page.max_per_page = max_per_page
    page.has_next = has_next
    page.has_prev = has_prev
    page.next_cursor = next_cursor
    page.prev_cursor = prev_cursor
    page.total = _paging.count_select(session, select) if count else None


def _unique_scalars(items: list[t.Any]) -> list[t.Any]:
    key = _paging.UniqueCounter().scalar()
    seen: set[t.Hashable] = set()
    out: list[t.Any] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out
