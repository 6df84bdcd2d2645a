"""Uploads hold ID numbers and phones: their files go IMPORT_FILES_KEPT_DAYS after the job ended,
and a preview nobody confirmed in that time expires; the job rows stay as the record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.models import ImportJob, ImportJobStatus
from governance.spreadsheets.services import JOB_NOT_AWAITING, import_files_purge, import_job_confirm

NOW = timezone.now()


@pytest.fixture(autouse=True)
def kept_ten_days(settings):
    settings.IMPORT_FILES_KEPT_DAYS = 10


def _job(user, status, *, days_ago: int, error_file=True) -> ImportJob:
    job = ImportJob(user=user, resource="unit", original_name="units.csv", status=status)
    job.file.save("units.csv", ContentFile(b"410102199003077675"), save=False)
    if error_file:
        job.error_file.save("errors.xlsx", ContentFile(b"rows"), save=False)
    job.save()
    moment = NOW - datetime.timedelta(days=days_ago)
    finished = None if status in (ImportJobStatus.PREVIEW, ImportJobStatus.RUNNING) else moment
    ImportJob.objects.filter(pk=job.pk).update(created_at=moment, finished_at=finished)
    job.refresh_from_db()
    return job


def _stored(job: ImportJob) -> list[bool]:
    return [field.storage.exists(field.name) for field in (job.file, job.error_file) if field]


def test_files_of_jobs_ended_long_ago_are_deleted_and_the_job_stays(city_admin):
    old = _job(city_admin, ImportJobStatus.REJECTED, days_ago=11)
    ImportJob.objects.filter(pk=old.pk).update(error_count=1, preview=[[2, "error", "【身份证号】410102199003077675"]])
    paths = [old.file, old.error_file]
    assert import_files_purge(now=NOW) == 1
    old.refresh_from_db()
    assert (old.file.name, old.error_file.name, old.status) == ("", "", ImportJobStatus.REJECTED)
    assert (old.preview, old.error_count) == ([], 1)
    assert not any(field.storage.exists(field.name) for field in paths)
    assert import_files_purge(now=NOW) == 0  # nothing left to do


def test_recent_and_unfinished_jobs_keep_their_files(city_admin):
    recent = _job(city_admin, ImportJobStatus.DONE, days_ago=9)
    running = _job(city_admin, ImportJobStatus.RUNNING, days_ago=40, error_file=False)
    assert import_files_purge(now=NOW) == 0
    assert _stored(recent) == [True, True] and _stored(running) == [True]


def test_an_old_preview_expires_and_can_no_longer_be_confirmed(city_admin):
    preview = _job(city_admin, ImportJobStatus.PREVIEW, days_ago=11, error_file=False)
    upload = preview.file
    assert import_files_purge(now=NOW) == 1
    preview.refresh_from_db()
    assert preview.status == ImportJobStatus.EXPIRED and preview.finished
    assert preview.message == "预览在10天内未确认，文件已删除；请重新上传。"
    assert not preview.file and not upload.storage.exists(upload.name)
    with pytest.raises(ValidationError) as caught:
        import_job_confirm(job=preview, user=city_admin)
    assert caught.value.messages == [str(JOB_NOT_AWAITING)]


def test_a_recent_preview_can_still_be_confirmed(city_admin):
    preview = _job(city_admin, ImportJobStatus.PREVIEW, days_ago=9, error_file=False)
    import_files_purge(now=NOW)
    preview.refresh_from_db()
    assert preview.status == ImportJobStatus.PREVIEW and _stored(preview) == [True]


def test_the_command_reports_what_it_deleted(city_admin, capsys):
    _job(city_admin, ImportJobStatus.DONE, days_ago=30)
    call_command("purge_import_files")
    assert capsys.readouterr().out == "jobs whose files were deleted: 1\n"


def test_a_purged_jobs_page_says_the_failed_rows_are_gone(client, city_admin):
    job = _job(city_admin, ImportJobStatus.REJECTED, days_ago=11)
    ImportJob.objects.filter(pk=job.pk).update(error_count=1)
    import_files_purge(now=NOW)
    client.force_login(city_admin)
    page = client.get(reverse("admin:governance_unit_import_job", args=[job.pk])).content.decode()
    assert "失败行文件已删除" in page
    assert client.get(reverse("admin:governance_unit_import_errors", args=[job.pk])).status_code == 404
