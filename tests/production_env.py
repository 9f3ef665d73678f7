"""The environment a production start needs, for tests that run manage.py with the production
settings in a subprocess."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

# The test process sets variables that production must not have (see settings/test.py).
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"}


def production_env(tmp_path: Path, *, without: tuple[str, ...] = (), **variables: str) -> dict:
    """Every variable production requires, valid, except those named in ``without``; then
    ``variables`` (to test a value)."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env |= {
        "DJANGO_SETTINGS_MODULE": "core20.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "connect.example.nhs.uk",
        "EMAIL_HOST": "smtp.example.nhs.uk",
        "SERVICE_URL": "https://connect.example.nhs.uk",
        "SECURITY_CONTACT": "mailto:security@example.nhs.uk",
        "SERVICE_CONTACT": "mailto:core20connect@example.nhs.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "false",
    }
    for name in without:
        env.pop(name, None)
    return env | variables


def production_check(tmp_path: Path, *, without=(), **variables) -> subprocess.CompletedProcess:
    """``manage.py check`` under the production settings."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=production_env(tmp_path, without=without, **variables),
        capture_output=True,
        text=True,
        check=False,
    )
