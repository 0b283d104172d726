"""Testing with unittest: ``enterContext`` enters the isolation in ``setUp`` and
exits it after each test, even a failed one.

Run it with ``python docs/examples/testing_unittest.py``.
"""

from __future__ import annotations

import sys
import unittest

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from flask_sqlalchemy_typed import SQLAlchemy
from flask_sqlalchemy_typed.testing import Isolation


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


# [start testcase]
class DatabaseTestCase(unittest.TestCase):
    app: Flask
    isolation: Isolation

    @classmethod
    def setUpClass(cls) -> None:
        cls.app = Flask(__name__)
        cls.app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
        db.init_app(cls.app)
        with cls.app.app_context():
            db.create_all()

    def setUp(self) -> None:
        if sys.version_info >= (3, 11):
            self.isolation = self.enterContext(db.test_isolation(self.app))
            self.enterContext(self.app.app_context())
        else:  # Python 3.10 has no enterContext
            self.isolation = db.test_isolation(self.app).__enter__()
            self.addCleanup(self.isolation.__exit__, None, None, None)
            context = self.app.app_context()
            context.push()
            self.addCleanup(context.pop)


# [end testcase]


# [start tests]
class UserTests(DatabaseTestCase):
    def test_1_commit(self) -> None:
        db.session.add(User(name="ada"))
        db.session.commit()
        self.assertEqual(db.session.scalar(select(func.count(User.id))), 1)

    def test_2_rolled_back(self) -> None:
        self.assertEqual(db.session.scalar(select(func.count(User.id))), 0)


# [end tests]


if __name__ == "__main__":
    unittest.main()
