"""Models on the user's own base: db.Model *is* that base."""

from __future__ import annotations

from typing_extensions import assert_type

from ._models import db
from ._models import Pet
from ._models import User

assert_type(User(name="x").name, str)
assert_type(db.session.get(User, 1), User | None)

# MappedAsDataclass keeps the exact generated __init__
pet = Pet(name="Rex")
assert_type(pet.nickname, str | None)
Pet(name="Rex", nickname="R")
Pet(nme="Rex")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
Pet()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
User(name="x").nme = "y"  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
