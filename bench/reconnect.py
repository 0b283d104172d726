"""Per-request cost of the ``pool_pre_ping=True`` default on server databases.

Runs the same one-query Flask request (through the test client: routing, app
context, session, one pooled connection checkout, ``SELECT 1``, teardown) with
and without pre-ping, interleaved in rounds, and prints the median per request.

    TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
    TEST_MARIADB_URL=mysql+pymysql://root@127.0.0.1:3306/test \\
    python bench/reconnect.py [--requests 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import typing as t

import sqlalchemy as sa
from flask import Flask

from flask_sqlalchemy_typed import SQLAlchemy

SERVERS = {"postgresql": "TEST_POSTGRES_URL", "mariadb": "TEST_MARIADB_URL"}


def make_app(url: str, pre_ping: bool) -> tuple[Flask, SQLAlchemy[t.Any]]:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": pre_ping}
    db: SQLAlchemy[t.Any] = SQLAlchemy(app)

    @app.get("/")
    def index() -> str:
        return str(db.session.scalar(sa.text("SELECT 1")))

    return app, db


def timings(app: Flask, n: int) -> list[float]:
    client = app.test_client()
    result = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get("/")
        result.append(time.perf_counter() - start)
        assert response.status_code == 200
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for name, var in SERVERS.items():
        url = os.environ.get(var)
        if not url:
            print(f"{name}: skipped, {var} is not set")
            continue
        apps = {ping: make_app(url, ping) for ping in (False, True)}
        samples: dict[bool, list[float]] = {False: [], True: []}
        for app, _ in apps.values():
            timings(app, 200)  # warm up: connect, caches
        for _ in range(args.rounds):
            for ping, (app, _) in apps.items():
                samples[ping] += timings(app, args.requests)
        for app, db in apps.values():
            with app.app_context():
                db.engine.dispose()
        off = statistics.median(samples[False]) * 1e6
        on = statistics.median(samples[True]) * 1e6
        print(
            f"{name}: median per request, pre_ping off {off:.0f} us, on {on:.0f} us,"
            f" cost {on - off:+.0f} us ({(on - off) / off:+.0%});"
            f" {len(samples[True])} requests each"
        )


if __name__ == "__main__":
    main()
