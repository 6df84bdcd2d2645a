"""Uploads hold ID numbers and phones: their files go IMPORT_FILES_KEPT_DAYS after the job ended,
and a preview nobody confirmed in that time expires; the job rows stay as the record. A job
whose process died ends as failed, and a file no job names is deleted too (issue 11.9)."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.models import ImportJob, ImportJobStatus
from governance.spreadsheets.purge import JOB_STUCK, Purged, import_files_purge
from governance.spreadsheets.services import JOB_NOT_AWAITING, import_job_confirm

NOW = timezone.now()


@pytest.fixture(autouse=True)
def kept_ten_days(settings):
    settings.IMPORT_FILES_KEPT_DAYS = 10
    settings.IMPORT_JOB_STUCK_HOURS = 6


def _job(user, status, *, days_ago: float, error_file=True, active_hours_ago: float = 0) -> ImportJob:
    job = ImportJob(user=user, resource="unit", original_name="units.csv", status=status)
    job.file.save("units.csv", ContentFile(b"410102199003077675"), save=False)
    if error_file:
        job.error_file.save("errors.xlsx", ContentFile(b"rows"), save=False)
    job.save()
    moment = NOW - datetime.timedelta(days=days_ago)
    finished = None if status in (ImportJobStatus.PREVIEW, ImportJobStatus.RUNNING) else moment
    active = NOW - datetime.timedelta(hours=active_hours_ago)
    ImportJob.objects.filter(pk=job.pk).update(created_at=moment, finished_at=finished, updated_at=active)
    job.refresh_from_db()
    return job


def _stored(job: ImportJob) -> list[bool]:
    return [field.storage.exists(field.name) for field in (job.file, job.error_file) if field]


def test_files_of_jobs_ended_long_ago_are_deleted_and_the_job_stays(city_admin):
    old = _job(city_admin, ImportJobStatus.REJECTED, days_ago=11)
    ImportJob.objects.filter(pk=old.pk).update(error_count=1, preview=[[2, "error", "【身份证号】410102199003077675"]])
    paths = [old.file, old.error_file]
    assert import_files_purge(now=NOW).jobs_purged == 1
    old.refresh_from_db()
    assert (old.file.name, old.error_file.name, old.status) == ("", "", ImportJobStatus.REJECTED)
    assert (old.preview, old.error_count) == ([], 1)
    assert not any(field.storage.exists(field.name) for field in paths)
    assert import_files_purge(now=NOW) == Purged(0, 0, 0)  # nothing left to do


def test_recent_and_unfinished_jobs_keep_their_files(city_admin):
    recent = _job(city_admin, ImportJobStatus.DONE, days_ago=9)
    running = _job(city_admin, ImportJobStatus.RUNNING, days_ago=40, error_file=False, active_hours_ago=5)
    assert import_files_purge(now=NOW) == Purged(0, 0, 0)
    assert _stored(recent) == [True, True] and _stored(running) == [True]


def test_an_old_preview_expires_and_can_no_longer_be_confirmed(city_admin):
    preview = _job(city_admin, ImportJobStatus.PREVIEW, days_ago=11, error_file=False)
    upload = preview.file
    assert import_files_purge(now=NOW).jobs_purged == 1
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


def test_the_command_reports_what_it_did(city_admin, capsys):
    _job(city_admin, ImportJobStatus.DONE, days_ago=30)
    _job(city_admin, ImportJobStatus.QUEUED, days_ago=1, active_hours_ago=24)
    call_command("purge_import_files")
    assert capsys.readouterr().out == (
        "stuck jobs marked failed: 1\njobs whose files were deleted: 1\norphan files deleted: 0\n"
    )


def test_a_purged_jobs_page_says_the_failed_rows_are_gone(client, city_admin):
    job = _job(city_admin, ImportJobStatus.REJECTED, days_ago=11)
    ImportJob.objects.filter(pk=job.pk).update(error_count=1)
    import_files_purge(now=NOW)
    client.force_login(city_admin)
    page = client.get(reverse("admin:governance_unit_import_job", args=[job.pk])).content.decode()
    assert "失败行文件已删除" in page
    assert client.get(reverse("admin:governance_unit_import_errors", args=[job.pk])).status_code == 404


# --- jobs whose process died, files no job names (issue 11.9) -----------------------------------


@pytest.mark.parametrize("status", [ImportJobStatus.QUEUED, ImportJobStatus.RUNNING, ImportJobStatus.APPLYING])
def test_a_job_not_heard_of_for_hours_is_failed_and_its_files_purged_as_usual(city_admin, status):
    stuck = _job(city_admin, status, days_ago=1, active_hours_ago=7)
    working = _job(city_admin, status, days_ago=1, active_hours_ago=5)
    assert import_files_purge(now=NOW) == Purged(1, 0, 0)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.finished_at) == (ImportJobStatus.FAILED, NOW - datetime.timedelta(hours=7))
    assert stuck.message == str(JOB_STUCK % {"hours": 6}) and "6小时" in stuck.message
    assert _stored(stuck) == [True, True]  # kept IMPORT_FILES_KEPT_DAYS after it ended, as any job's
    working.refresh_from_db()
    assert working.status == status
    assert import_files_purge(now=NOW + datetime.timedelta(days=11)).jobs_purged == 2


def test_a_job_stuck_for_longer_than_files_are_kept_loses_them_at_once(city_admin):
    stuck = _job(city_admin, ImportJobStatus.RUNNING, days_ago=40, active_hours_ago=40 * 24)
    upload = stuck.file
    assert import_files_purge(now=NOW) == Purged(1, 1, 0)
    stuck.refresh_from_db()
    assert stuck.status == ImportJobStatus.FAILED and not stuck.file
    assert not upload.storage.exists(upload.name)


def test_a_finished_job_is_never_taken_for_a_stuck_one(city_admin):
    done = _job(city_admin, ImportJobStatus.DONE, days_ago=1, active_hours_ago=20)
    import_files_purge(now=NOW)
    done.refresh_from_db()
    assert done.status == ImportJobStatus.DONE


def test_upload_files_no_job_names_are_deleted_once_old(city_admin):
    named = _job(city_admin, ImportJobStatus.DONE, days_ago=2)
    storage = named.file.storage
    old_orphan = storage.save("imports/2026/11/orphan.xlsx", ContentFile(b"410102199003077675"))
    new_orphan = storage.save("imports/2026/12/uploading.xlsx", ContentFile(b"410102199003077675"))
    old_failed_rows = storage.save("imports/errors/2026/11/orphan.xlsx", ContentFile(b"rows"))
    for name in (old_orphan, old_failed_rows, named.file.name, named.error_file.name):
        seven_hours_ago = (NOW - datetime.timedelta(hours=7)).timestamp()
        os.utime(storage.path(name), (seven_hours_ago, seven_hours_ago))
    assert import_files_purge(now=NOW) == Purged(0, 0, 2)
    assert not storage.exists(old_orphan) and not storage.exists(old_failed_rows)
    assert storage.exists(new_orphan)  # its job row may be about to be written
    assert _stored(named) == [True, True]
