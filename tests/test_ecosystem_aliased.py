"""``tests/ecosystem`` once more, in a pytest subprocess that calls
``install_as_flask_sqlalchemy()`` before any extension is imported.

A subprocess, not a restored ``sys.modules``: the alias is process-global, and the
extension modules imported under it (Flask-Admin's, Flask-Session's,
flask-marshmallow's, Flask-MSearch's) keep module-level references to our classes
and signals, which no restore of ``sys.modules`` takes back. A fresh interpreter is
the one state that is the same whatever ran before, sequentially or under xdist.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ecosystem_with_the_alias() -> None:
    env = dict(os.environ, FSQT_ECOSYSTEM_ALIAS="1")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "tests/ecosystem"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary), summary
    assert "failed" not in summary and "error" not in summary, summary
