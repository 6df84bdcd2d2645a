"""A queued import completes on a real Celery worker (docs/imports.md "Running the worker test").

The worker is a separate process, so it must reach the same database and media files as this
test: start it with DATABASE_URL naming the *test* database (test_<name>) and the same MEDIA_ROOT.
"""

import os
import time

import pytest
from django.db import connection

from governance.celery import app
from governance.models import ImportJobStatus, Unit
from governance.spreadsheets.services import import_job_create
from tests.spreadsheets.sheets import csv_bytes, upload, xlsx_bytes

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


@pytest.fixture
def worker():
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL is not set: no broker, so no worker to test against")
    if connection.vendor != "postgresql":
        pytest.skip("a worker cannot share SQLite's in-memory test database: run with DATABASE_URL=postgres://…")
    try:
        replies = app.control.ping(timeout=2.0)
    except Exception as error:  # the broker is down or refuses us
        pytest.skip(f"the Celery broker is unreachable: {error}")
    if not replies:
        pytest.skip("no Celery worker answered: start one (docs/imports.md)")
    assert not app.conf.task_always_eager


@pytest.mark.parametrize("name", ["queued.csv", "queued.xlsx"])
def test_a_queued_import_is_committed_by_the_worker(county, city_admin, settings, worker, name):
    """An .xlsx is read in a process the worker starts (issue 11.5), under prefork as under solo."""
    settings.IMPORT_BACKGROUND_ROWS = 10
    rows = [["单位代码", "单位名称", "单位类型", "上级单位代码"]]
    rows += [[f"419921100{n:03d}", f"队列村{n}", "村", "城关镇"] for n in range(2, 32)]
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)

    job = import_job_create(user=city_admin, resource_key="unit", upload=upload(name, content))

    assert job.background and job.status == ImportJobStatus.QUEUED
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.5)
    assert job.finished, (
        f"the worker did not finish job {job.pk} in {WAIT_SECONDS}s (status {job.status}); is it running with "
        f"DATABASE_URL naming the test database {connection.settings_dict['NAME']} and the same MEDIA_ROOT?"
    )
    assert (job.status, job.created_count, job.rows_done) == (ImportJobStatus.DONE, 30, 30), job.message
    assert Unit.objects.filter(name__startswith="队列村").count() == 30
