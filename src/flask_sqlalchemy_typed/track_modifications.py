"""Signals sent around a commit with the changed model instances.

Enabled by the :data:`SQLALCHEMY_TRACK_MODIFICATIONS` config.
"""

from __future__ import annotations

import typing as t

import sqlalchemy as sa
import sqlalchemy.event as sa_event
import sqlalchemy.orm as sa_orm
from blinker import NamedSignal
from blinker import Namespace
from flask import current_app
from flask import has_app_context
from flask.globals import app_ctx

if t.TYPE_CHECKING:
    from .session import Session

_signals = Namespace()

models_committed = _signals.signal("models-committed")
"""This Blinker signal is sent after the session is committed if there were changed
models in the session.

The sender is the application that emitted the changes. The receiver is passed the
``changes`` argument with a list of tuples in the form ``(instance, operation)``.
The operations are ``"insert"``, ``"update"``, and ``"delete"``.
"""

before_models_committed = _signals.signal("before-models-committed")
"""This signal works exactly like :data:`models_committed` but is emitted before the
commit takes place.
"""


# Flask-SQLAlchemy's name; SQLAlchemy.init_app calls it (a public name would be API).
def _listen(session: sa_orm.scoped_session[Session]) -> None:  # pyright: ignore[reportUnusedFunction]
    sa_event.listen(session, "before_flush", _record_ops, named=True)
    sa_event.listen(session, "before_commit", _record_ops, named=True)
    sa_event.listen(session, "before_commit", _before_commit)
    sa_event.listen(session, "after_commit", _after_commit)
    sa_event.listen(session, "after_rollback", _after_rollback)


def _enabled() -> bool:
    if not has_app_context():
        return False
    # Flask's Config subclasses a bare dict: its values are unknown to a checker.
    config = t.cast("dict[str, object]", current_app.config)
    return bool(config["SQLALCHEMY_TRACK_MODIFICATIONS"])


def _changes(session: Session) -> dict[object, tuple[t.Any, str]]:
    """The session's ``_model_changes``: Flask-SQLAlchemy's attribute name, which
    stays protected; this module is its only user outside :class:`.Session`.
    """
    return session._model_changes  # pyright: ignore[reportPrivateUsage]


def _record_ops(session: Session, **kwargs: t.Any) -> None:
    if not _enabled():
        return
    for targets, operation in (
        (session.new, "insert"),
        (session.dirty, "update"),
        (session.deleted, "delete"),
    ):
        for target in targets:
            state = sa.inspect(target)
            key = state.identity_key if state.has_identity else id(target)
            _changes(session)[key] = (target, operation)


def _send(session: Session, signal: NamedSignal, clear: bool) -> None:
    if not _enabled() or not _changes(session):
        return
    model_changes = _changes(session)
    changes = list(model_changes.values())
    if clear:
        model_changes.clear()
    signal.send(app_ctx.app, changes=changes)


def _before_commit(session: Session) -> None:
    _send(session, before_models_committed, clear=False)


def _after_commit(session: Session) -> None:
    _send(session, models_committed, clear=True)


def _after_rollback(session: Session) -> None:
    _changes(session).clear()
