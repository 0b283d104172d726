"""Removing the session when the application context ends.

:meta private:
"""

from __future__ import annotations

import logging
import typing as t

import sqlalchemy.exc as sa_exc
import sqlalchemy.orm as sa_orm

logger = logging.getLogger("flask_sqlalchemy_typed")


def remove_session(scoped: sa_orm.scoped_session[t.Any]) -> None:
    """Close and discard the current scope's session.

    A connection that died during the request can make closing it raise; that must
    not escape the teardown (Flask would answer with a bare 500, or lose the original
    error), so it is logged and the session is discarded anyway.
    """
    try:
        scoped.remove()
    except sa_exc.SQLAlchemyError:
        logger.warning(
            "Closing the session at app context teardown failed; it was discarded.",
            exc_info=True,
        )
        scoped.registry.clear()
