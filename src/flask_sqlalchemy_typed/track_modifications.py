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


def _listen(session: sa_orm.scoped_session[Session]) -> None:
    sa_event.listen(session, "before_flush", _record_ops, named=True)
    sa_event.listen(session, "before_commit", _record_ops, named=True)
    sa_event.listen(session, "before_commit", _before_commit)
    sa_event.listen(session, "after_commit", _after_commit)
    sa_event.listen(session, "after_rollback", _after_rollback)


def _enabled() -> bool:
    return has_app_context() and bool(
        current_app.config["SQLALCHEMY_TRACK_MODIFICATIONS"]
    )


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
            session._model_changes[key] = (target, operation)


def _send(session: Session, signal: NamedSignal, clear: bool) -> None:
    if not _enabled() or not session._model_changes:
        return
    changes = list(session._model_changes.values())
    if clear:
        session._model_changes.clear()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    signal.send(app, changes=changes)


def _before_commit(session: Session) -> None:
    _send(session, before_models_committed, clear=False)


def _after_commit(session: Session) -> None:
    _send(session, models_committed, clear=True)


def _after_rollback(session: Session) -> None:
    session._model_changes.clear()
