"""record_queries, track_modifications and cli: the development tools."""

from __future__ import annotations

from typing import Any

from flask import Flask
from typing_extensions import assert_type

from flask_sqlalchemy_typed.cli import add_models_to_shell
from flask_sqlalchemy_typed.record_queries import get_recorded_queries
from flask_sqlalchemy_typed.track_modifications import before_models_committed
from flask_sqlalchemy_typed.track_modifications import models_committed

app = Flask(__name__)

# get_recorded_queries: a list of typed query infos (the class is private)
queries = get_recorded_queries()
info = queries[0]
assert_type(info.statement, str | None)
assert_type(info.parameters, Any)
assert_type(info.start_time, float)
assert_type(info.end_time, float)
assert_type(info.duration, float)
assert_type(info.location, str)
info.duration = 1.0  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]


# a receiver connected with the decorator keeps its own type
@models_committed.connect_via(app)
def on_committed(sender: Flask, changes: list[tuple[Any, str]]) -> None:
    pass


assert_type(on_committed(app, changes=[]), None)
on_committed("app", changes=[])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


@before_models_committed.connect_via(app)
def on_before(sender: Flask, **kwargs: Any) -> None:
    pass


before_models_committed.connect(on_before, sender=app)
models_committed.send(app, changes=[])

# add_models_to_shell: the flask shell context
assert_type(add_models_to_shell(), dict[str, Any])
