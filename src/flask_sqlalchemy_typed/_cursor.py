"""Keyset cursors: a position in an ordering, signed with the app's secret key.

A cursor is ``itsdangerous.URLSafeSerializer`` JSON of ``[1, fingerprint,
values]``: the format version, a digest of the ordering it belongs to, and the key
values of one row, each tagged so that it comes back with its exact type and value
(a timezone-aware ``datetime`` keeps its offset and microseconds, a ``Decimal``
its digits and exponent). The salt is :data:`SALT`; the key is
``app.secret_key``, with ``SECRET_KEY_FALLBACKS`` accepted for rotation.

:meta private:
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import hashlib
import typing as t
import uuid

from flask import current_app
from itsdangerous import BadData
from itsdangerous import URLSafeSerializer

SALT = "flask_sqlalchemy_typed.keyset"
VERSION = 1
MAX_LENGTH = 4096
"""Longer cursors are rejected unread."""


class CursorError(ValueError):
    """A cursor that was tampered with, signed with another key, made for another
    ordering, or not a cursor at all."""


def fingerprint(parts: t.Iterable[str]) -> str:
    """A short digest of the ordering's description."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def serializer() -> URLSafeSerializer:
    """The serializer of the current app's cursors."""
    app = current_app
    key = app.secret_key
    if not key:
        raise RuntimeError(
            "keyset_paginate signs its cursors with the app's secret key, and"
            " SECRET_KEY is not set: set app.config['SECRET_KEY'] (or"
            " app.secret_key) to a long random value."
        )
    config = t.cast("dict[str, t.Any]", app.config)
    fallbacks: list[str | bytes] = list(config.get("SECRET_KEY_FALLBACKS") or [])
    keys: list[str | bytes] = [*fallbacks, key]  # itsdangerous: newest last
    return URLSafeSerializer(keys, salt=SALT)  # type: ignore[arg-type]


def dumps(signer: URLSafeSerializer, fp: str, values: t.Sequence[t.Any]) -> str:
    """The signed cursor of a row's key values in the ordering ``fp``."""
    return signer.dumps([VERSION, fp, [_encode(v) for v in values]])


def loads(signer: URLSafeSerializer, token: str, fp: str, length: int) -> list[t.Any]:
    """The key values of a cursor made for the ordering ``fp`` of ``length`` keys.

    :raises CursorError: The cursor is not valid for this ordering.
    """
    if not token or len(token) > MAX_LENGTH:
        raise CursorError("empty or overlong cursor")
    try:
        payload: t.Any = signer.loads(token)
    except BadData as e:
        raise CursorError("bad signature") from e
    try:
        version, found, raw = payload
    except (TypeError, ValueError) as e:
        raise CursorError("not a cursor") from e
    if version != VERSION or found != fp:
        raise CursorError("cursor of another ordering or version")
    if type(raw) is not list or len(raw) != length:  # pyright: ignore[reportUnknownArgumentType]
        raise CursorError("cursor of another ordering")
    try:
        return [_decode(v) for v in raw]  # pyright: ignore[reportUnknownVariableType]
    except (TypeError, ValueError, KeyError, IndexError, decimal.InvalidOperation) as e:
        raise CursorError("undecodable value") from e


def _encode(value: t.Any) -> t.Any:
    """A JSON value for a key value: JSON scalars as they are, others tagged."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        # sa.Enum binds a member's name as well as the member itself.
        return ["n", value.name]
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return ["f", value.hex()]
    if isinstance(value, decimal.Decimal):
        return ["d", str(value)]
    if isinstance(value, dt.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, dt.date):
        return ["da", value.isoformat()]
    if isinstance(value, dt.time):
        return ["ti", value.isoformat()]
    if isinstance(value, dt.timedelta):
        return ["td", value.days, value.seconds, value.microseconds]
    if isinstance(value, uuid.UUID):
        return ["u", value.hex]
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(t.cast(t.Any, value))
        return ["b", base64.urlsafe_b64encode(data).decode()]
    raise TypeError(
        f"keyset_paginate cannot put a {type(value).__name__} ORDER BY value in a"
        " cursor: order by columns of str, int, float, bool, Decimal, date,"
        " datetime, time, timedelta, UUID, bytes or Enum type."
    )


def _timedelta(days: int, seconds: int, microseconds: int) -> dt.timedelta:
    return dt.timedelta(days=days, seconds=seconds, microseconds=microseconds)


def _uuid(hex: str) -> uuid.UUID:
    return uuid.UUID(hex=hex)


def _bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode())


_DECODERS: dict[str, t.Callable[..., t.Any]] = {
    "n": str,
    "f": float.fromhex,
    "d": decimal.Decimal,
    "dt": dt.datetime.fromisoformat,
    "da": dt.date.fromisoformat,
    "ti": dt.time.fromisoformat,
    "td": _timedelta,
    "u": _uuid,
    "b": _bytes,
}


def _decode(value: t.Any) -> t.Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list) and value:
        items: list[t.Any] = value  # pyright: ignore[reportUnknownVariableType]
        return _DECODERS[items[0]](*items[1:])
    raise ValueError("not a cursor value")
