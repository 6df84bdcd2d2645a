"""`check --deploy` is clean with the documented production environment (issue 11.10: it warned
W004 and W008, and nothing documented a production setup)."""

import secrets
import subprocess
import sys

from tests.governance.fresh_start import REPO

DOCUMENTED = REPO / "docs" / "production.env"


def documented_environment() -> dict:
    lines = DOCUMENTED.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = documented_environment() | {
        "SECRET_KEY": secrets.token_urlsafe(50),  # the file leaves the secrets to be filled in
        "EMAIL_HOST_PASSWORD": secrets.token_urlsafe(16),
        # The checks need no data; a database that is not there reads as not migrated yet.
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert result.stderr == ""


def test_the_documented_file_leaves_the_secrets_empty():
    environment = documented_environment()
    assert environment["SECRET_KEY"] == "" and environment["EMAIL_HOST_PASSWORD"] == ""
