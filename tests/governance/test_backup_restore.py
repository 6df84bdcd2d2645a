"""Backup and restore as docs/operations.md describes them (issue 11.11): a ``pg_dump -Fc`` of the
demo city restored with ``pg_restore`` into a fresh database holds every record of every table,
byte for byte, and sequences that go on where the original's stood.

PostgreSQL only. Like the browser journeys, the demo is committed (the dump is another process,
which sees only committed rows) and flushed away afterwards.
"""

import shutil
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings

from governance.demo import load_city
from tests.conftest import FAST_HASHERS

# django_db: so that pytest-django sets up the test database; the test itself only reads, elsewhere.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (pg_dump / pg_restore): run with DATABASE_URL=postgres://… (see README)")
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            pytest.skip("pg_dump / pg_restore are not on PATH: apt-get install -y postgresql-client")
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            call_command("flush", interactive=False, verbosity=0)  # a reused database may still hold a city
            with transaction.atomic():
                load_city()
            yield connection.settings_dict
            call_command("flush", interactive=False, verbosity=0)


def _connect(settings_dict, dbname) -> psycopg.Connection:
    return psycopg.connect(
        dbname=dbname,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )


def _tool(name: str, settings_dict, *args: str) -> None:
    """pg_dump or pg_restore with the test database's server and login."""
    command = [shutil.which(name), "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict[key]:
            command += [option, str(settings_dict[key])]
    env = {"PGPASSWORD": settings_dict["PASSWORD"] or ""}
    subprocess.run([*command, *args], env=env, check=True, capture_output=True, timeout=300)


def _snapshot(database: psycopg.Connection) -> dict:
    """Every table's row count and a digest of all its rows; every sequence's position."""
    tables = [row[0] for row in database.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    snapshot = {}
    for table in tables:
        snapshot[table] = database.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
        ).fetchone()
    for name, position in database.execute("SELECT sequencename, last_value FROM pg_sequences"):
        snapshot[f"sequence {name}"] = position
    return snapshot


def test_a_dump_of_the_demo_restores_into_a_fresh_database_with_every_record(demo_committed, tmp_path):
    source = demo_committed
    dump = tmp_path / "governance.dump"
    _tool("pg_dump", source, "--format=custom", f"--file={dump}", source["NAME"])

    fresh = f"{source['NAME']}_restored"
    with _connect(source, "postgres") as server:
        server.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        server.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore = ["--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={fresh}", str(dump)]
        _tool("pg_restore", source, *restore)
        with _connect(source, source["NAME"]) as original, _connect(source, fresh) as restored:
            before, after = _snapshot(original), _snapshot(restored)
            cadre = "SELECT name, id_number, phone FROM staffing_cadre ORDER BY id LIMIT 1"
            one_cadre = original.execute(cadre).fetchone(), restored.execute(cadre).fetchone()
    finally:
        with _connect(source, "postgres") as server:
            server.execute(f'DROP DATABASE IF EXISTS "{fresh}"')

    assert after == before
    assert before["governance_unit"][0] > 50 and before["cases_case"][0] > 0 and before["staffing_cadre"][0] > 0
    assert one_cadre[0] == one_cadre[1] and one_cadre[0][0]  # a name in Chinese, the ID number and phone with it
