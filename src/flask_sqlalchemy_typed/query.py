"""The legacy :class:`Query`, generic in the type of what it returns."""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm
from flask import abort

from . import _lazy

if t.TYPE_CHECKING:
    # SQLAlchemy's private alias is the exact type of Query.get's ident.
    from sqlalchemy.orm.session import _PKIdentityArgument  # pyright: ignore[reportPrivateUsage]

    from .pagination import KeysetPage
    from .pagination import Pagination as Pagination
    from .pagination import QueryPagination as QueryPagination

_T = t.TypeVar("_T")

# Flask-SQLAlchemy's query module imports them; the pagination module loads on
# first use here.
_PAGINATION: dict[str, str] = dict.fromkeys(
    ("Pagination", "QueryPagination"), f"{__package__}.pagination"
)


def __getattr__(name: str) -> t.Any:
    return _lazy.load(__name__, name, _PAGINATION)


class Query(sa_orm.Query[_T]):
    """SQLAlchemy's legacy :class:`~sqlalchemy.orm.query.Query` with some extra
    methods useful in a web application.

    This is the default query class for :attr:`.Model.query`.

    .. versionchanged:: 0.1
        Generic in the type of the query's rows: ``User.query`` is ``Query[User]``.
    """

    def get_or_404(
        self, ident: _PKIdentityArgument, description: str | None = None
    ) -> _T:
        """Like :meth:`~sqlalchemy.orm.Query.get` but aborts with a ``404 Not Found``
        error instead of returning ``None``. ``Query.get()`` is legacy in
        SQLAlchemy 2: this emits its ``LegacyAPIWarning``, as Flask-SQLAlchemy does.

        :param ident: The primary key to query.
        :param description: A custom message to show on the error page.
        """
        rv = self.get(ident)
        if rv is None:
            abort(404, description=description)
        return rv

    def first_or_404(self, description: str | None = None) -> _T:
        """Like :meth:`~sqlalchemy.orm.Query.first` but aborts with a ``404 Not
        Found`` error instead of returning ``None``.

        :param description: A custom message to show on the error page.
        """
        rv = self.first()
        if rv is None:
            abort(404, description=description)
        return rv

    def one_or_404(self, description: str | None = None) -> _T:
        """Like :meth:`~sqlalchemy.orm.Query.one` but aborts with a ``404 Not Found``
        error instead of raising ``NoResultFound`` or ``MultipleResultsFound``.

        :param description: A custom message to show on the error page.
        """
        try:
            return self.one()
        except (sa_exc.NoResultFound, sa_exc.MultipleResultsFound):
            abort(404, description=description)

    def paginate(
        self,
        *,
        page: int | None = None,
        per_page: int | None = None,
        max_per_page: int | None = None,
        error_out: bool = True,
        count: bool = True,
    ) -> QueryPagination[_T]:
        """Apply an offset and limit to the query, returning a
        :class:`.QueryPagination` object.

        :param page: The current page. Defaults to the ``page`` query argument during
            a request, or 1 otherwise.
        :param per_page: The maximum number of items on a page. Defaults to the
            ``per_page`` query argument during a request, or 20 otherwise.
        :param max_per_page: The maximum allowed value for ``per_page``. ``None``
            caps only a ``per_page`` taken from the query string, at 100.
        :param error_out: Abort with ``404 Not Found`` on a bad page, as
            :meth:`.SQLAlchemy.paginate` does; otherwise fall back to page 1 and 20
            per page.
        :param count: Calculate the total number of items with an extra query.
        """
        from .pagination import QueryPagination

        return QueryPagination(
            query=self,
            page=page,
            per_page=per_page,
            max_per_page=max_per_page,
            error_out=error_out,
            count=count,
        )

    def keyset_paginate(
        self,
        *,
        after: str | None = None,
        before: str | None = None,
        per_page: int | None = None,
        max_per_page: int | None = None,
        error_out: bool = True,
        count: bool = False,
    ) -> KeysetPage[_T]:
        """Page the ordered query by position, returning a :class:`.KeysetPage`,
        as :meth:`.SQLAlchemy.keyset_paginate` does. The items are what the query
        returns: entities for a query of one entity, rows otherwise.

        :param after: A page's ``next_cursor``: give the rows after it. Defaults
            to the ``after`` query argument during a request.
        :param before: A page's ``prev_cursor``: give the rows before it.
            Defaults to the ``before`` query argument during a request.
        :param per_page: The maximum number of items on a page, with the rules of
            :meth:`paginate`.
        :param max_per_page: The maximum allowed value for ``per_page``.
        :param error_out: Abort with ``400 Bad Request`` for a cursor that is not
            valid for this order; otherwise give the first page.
        :param count: Also count the rows into ``total``.

        .. versionadded:: 0.1
        """
        from .pagination import KeysetPage

        return KeysetPage(
            select=t.cast("sa.Select[t.Any]", self.statement),
            session=self.session,
            after=after,
            before=before,
            per_page=per_page,
            max_per_page=max_per_page,
            error_out=error_out,
            count=count,
            rows=not self.is_single_entity,
        )
