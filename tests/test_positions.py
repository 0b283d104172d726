"""Replication positions: merging and comparing LSNs and GTIDs (pure functions)."""

from __future__ import annotations

import pytest

from flask_sqlalchemy_typed.replicas import _positions

PG = _positions.PostgreSQLPositions()
MARIADB = _positions.MariaDBPositions()


def test_postgresql_lsn_order() -> None:
    assert PG.merge("0/9", "0/10") == "0/10"  # hexadecimal, not text order
    assert PG.merge("1/0", "0/FFFFFFFF") == "1/0"
    assert PG.merge(None, "0/3") == "0/3"
    assert PG.merge("0/3", None) == "0/3"
    assert PG.covers("0/10", "0/9")
    assert not PG.covers("0/9", "0/10")
    assert not PG.covers(None, "0/1")


def test_mariadb_gtid_order_per_domain() -> None:
    assert MARIADB.merge("0-11-9", "0-11-10") == "0-11-10"
    assert MARIADB.merge("0-11-9,1-12-3", "1-12-5") == "0-11-9,1-12-5"
    assert MARIADB.covers("0-11-10,1-12-5", "0-11-9")
    assert not MARIADB.covers("0-11-10", "1-12-1")  # another domain not replayed
    assert not MARIADB.covers("0-11-8", "0-11-9")
    assert not MARIADB.covers("", "0-11-9")


@pytest.mark.parametrize("positions", [PG, MARIADB], ids=["postgresql", "mariadb"])
def test_a_value_of_another_backend_is_rejected(
    positions: _positions.Positions,
) -> None:
    """An old cookie's value: ValueError, which the routing ignores."""
    with pytest.raises(ValueError):
        positions.merge(None, "not a position")
