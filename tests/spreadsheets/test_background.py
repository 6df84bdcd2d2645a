"""Files above IMPORT_BACKGROUND_ROWS run as a Celery task; with no broker, the same task runs in-process."""

import pytest

from governance.celery import app
from governance.models import ImportJob, ImportJobStatus, Unit
from governance.spreadsheets.services import import_job_create, import_job_run
from tests.spreadsheets.sheets import csv_bytes, upload

HEAD = ["单位代码", "单位名称", "单位类型", "上级单位代码"]


@pytest.fixture
def in_process(settings):
    """As on the embedded default (no broker), even when the run has CELERY_BROKER_URL set."""
    settings.IMPORT_BACKGROUND_ROWS = 3
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def _villages(count: int, parent="城关镇", start=2):
    return [HEAD] + [[f"419921100{n:03d}", f"新村{n}", "村", parent] for n in range(start, start + count)]


def test_a_large_file_is_queued_and_committed_without_a_preview(
    county, city_admin, in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = import_job_create(user=city_admin, resource_key="unit", upload=upload("big.csv", csv_bytes(_villages(5))))
    assert job.background and len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.created_count) == (ImportJobStatus.DONE, 5, 5, 5)
    assert job.percent == 100
    assert Unit.objects.filter(name__startswith="新村").count() == 5


def test_a_large_file_with_one_bad_row_writes_nothing(
    county, city_admin, in_process, django_capture_on_commit_callbacks
):
    rows = [*_villages(5), ["419921101099", "越界村", "村", "不存在的镇"]]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(user=city_admin, resource_key="unit", upload=upload("big.csv", csv_bytes(rows)))
    job.refresh_from_db()
    assert (job.status, job.error_count, job.created_count) == (ImportJobStatus.REJECTED, 1, 5)
    assert job.preview == [[7, "error", job.preview[0][2], "越界村"]] and "不存在的镇" in job.preview[0][2]
    assert job.error_file
    assert not Unit.objects.filter(name__startswith="新村").exists()


def test_a_small_file_stays_in_the_request(county, city_admin, in_process):
    job = import_job_create(user=city_admin, resource_key="unit", upload=upload("s.csv", csv_bytes(_villages(3))))
    assert not job.background and job.status == ImportJobStatus.PREVIEW


def test_a_job_runs_once_even_if_the_task_is_delivered_twice(county, city_admin, in_process):
    job = ImportJob.objects.create(
        user=city_admin, resource="unit", original_name="x.csv", status=ImportJobStatus.DONE, background=True
    )
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.rows_done == 0
