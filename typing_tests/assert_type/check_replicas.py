"""db.use_primary, db.use_replica, db.replica_engines and the replicas module."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Literal

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from typing_extensions import assert_type

from flask_sqlalchemy_typed.record_queries import get_recorded_queries
from flask_sqlalchemy_typed.replicas import ReadOnlyRouteError
from flask_sqlalchemy_typed.replicas import ReplicaPolicy
from flask_sqlalchemy_typed.replicas import RouteContext

from ._models import db

# the routing blocks: one type, a context manager whose target is None
assert_type(db.use_primary(), RouteContext)
assert_type(db.use_replica(), RouteContext)
assert_type(db.use_replica(strict=True), RouteContext)
with db.use_primary() as nothing:
    assert_type(nothing, None)
db.use_replica(True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
db.use_replica(strict="yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
db.use_primary(strict=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


# as a decorator the view keeps its exact signature
@db.use_primary()
def view(ident: int, *, page: int = 1) -> str:
    return f"{ident}:{page}"


assert_type(view(1, page=2), str)
view("1")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
view(1, 2)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


@db.use_replica(strict=True)
async def async_view(ident: int) -> list[int]:
    return [ident]


async def call_async() -> None:
    assert_type(await async_view(1), list[int])


# the replica engines of the current app, per bind key
assert_type(db.replica_engines, Mapping[str | None, Sequence[sa.Engine]])
db.replica_engines = {}  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]

# the policy: a frozen dataclass, keyword or positional
policy = ReplicaPolicy(max_wait=0.1, read_your_writes="process", down_for=5)
assert_type(policy.read_your_writes, Literal["client", "process", "off"])
assert_type(policy.connect_timeout, float | None)
ReplicaPolicy(read_your_writes="always")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
ReplicaPolicy(choose=lambda engines: engines[0])
ReplicaPolicy(choose=lambda engines: None)  # type: ignore[arg-type,return-value]  # pyright: ignore[reportArgumentType]
policy.max_wait = 1.0  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]

# the error: an InvalidRequestError
assert_type(ReadOnlyRouteError("x"), ReadOnlyRouteError)
error: sa_exc.InvalidRequestError = ReadOnlyRouteError("x")

# record_queries entries name their engine
for query in get_recorded_queries():
    assert_type(query.engine, sa.Engine | None)
