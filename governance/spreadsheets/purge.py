"""Purging the personal data import jobs leave on disk (``manage.py purge_import_files``, daily).

Uploads and failed-rows files hold ID numbers and phones; they are kept no longer than the work
needs. Issue 11.9 found two ways round the purge, both closed here: a job left "queued",
"running" or "writing" by a worker that died never ended, so its files were never due; and a
file saved by a process that died before writing its job row belonged to no job at all.
"""

import datetime
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets.models import ENDED_STATUSES, WORKING_STATUSES, ImportJob, ImportJobStatus

PREVIEW_EXPIRED = _("The preview was not confirmed within %(days)s days and its file was deleted; upload it again.")
JOB_STUCK = _(
    "The import stopped without finishing (nothing happened for %(hours)s hours: the process running it was "
    "stopped); nothing was written. Upload the file again."
)

# Where ImportJob.file and ImportJob.error_file are stored (their upload_to) in MEDIA_ROOT.
UPLOADS_FOLDER = "imports"


@dataclass(frozen=True)
class Purged:
    stuck_jobs_failed: int
    jobs_purged: int
    orphan_files_deleted: int


def import_files_purge(*, now: datetime.datetime | None = None) -> Purged:
    """Fail the jobs whose worker died, expire previews left unconfirmed ``IMPORT_FILES_KEPT_DAYS``,
    delete the files (and the per-row preview) of jobs that ended as long ago, and delete upload
    files that no job names. The job rows and their counts stay as the record of who imported
    what. Safe to run concurrently with a clerk's confirm and with running imports: every state
    change is claimed by one conditional update."""
    now = now or timezone.now()
    stuck = _stuck_jobs_fail(now)
    _previews_expire(now)
    return Purged(stuck_jobs_failed=stuck, jobs_purged=_files_delete(now), orphan_files_deleted=_orphans_delete(now))


def _stuck_jobs_fail(now: datetime.datetime) -> int:
    """A working job not touched for ``IMPORT_JOB_STUCK_HOURS`` (progress is reported every 2,000
    rows) lost its process: its transaction was rolled back with it, so nothing was written. It
    ended when it was last heard of, and its files are purged as any ended job's are."""
    hours = settings.IMPORT_JOB_STUCK_HOURS
    cutoff = now - datetime.timedelta(hours=hours)
    with translation.override(settings.LANGUAGE_CODE):  # stored for the clerk, like every job message
        message = str(JOB_STUCK % {"hours": hours})
    failed = 0
    for job_id, status in ImportJob.objects.filter(status__in=WORKING_STATUSES, updated_at__lt=cutoff).values_list(
        "pk", "status"
    ):
        failed += ImportJob.objects.filter(pk=job_id, status=status, updated_at__lt=cutoff).update(
            status=ImportJobStatus.FAILED, finished_at=F("updated_at"), message=message
        )
    return failed


def _previews_expire(now: datetime.datetime) -> None:
    days = settings.IMPORT_FILES_KEPT_DAYS
    cutoff = now - datetime.timedelta(days=days)
    with translation.override(settings.LANGUAGE_CODE):
        message = str(PREVIEW_EXPIRED % {"days": days})
    for job_id in ImportJob.objects.filter(status=ImportJobStatus.PREVIEW, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.PREVIEW).update(
            status=ImportJobStatus.EXPIRED, finished_at=now, message=message
        )


def _files_delete(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=settings.IMPORT_FILES_KEPT_DAYS)
    with_files = ~(Q(file="") & Q(error_file=""))
    over = Q(status__in=ENDED_STATUSES, finished_at__lt=cutoff) | Q(status=ImportJobStatus.EXPIRED)
    purged = 0
    for job in ImportJob.objects.filter(with_files, over).iterator():
        job.file.delete(save=False)
        job.error_file.delete(save=False)
        job.preview = []  # its reasons quote ID numbers and names too; the counts stay
        job.save(update_fields=["file", "error_file", "preview"])
        purged += 1
    return purged


def _orphans_delete(now: datetime.datetime) -> int:
    """Files under ``imports/`` that no job names. A new upload is saved a moment before its job
    row, so only files older than ``IMPORT_JOB_STUCK_HOURS`` are taken: no upload waits that long
    for its row."""
    storage = ImportJob._meta.get_field("file").storage
    if not storage.exists(UPLOADS_FOLDER):
        return 0
    cutoff = now - datetime.timedelta(hours=settings.IMPORT_JOB_STUCK_HOURS)
    named = set()
    for upload, failed_rows in ImportJob.objects.filter(~(Q(file="") & Q(error_file=""))).values_list(
        "file", "error_file"
    ):
        named.update((upload, failed_rows))
    deleted = 0
    for name in _files_under(storage, UPLOADS_FOLDER):
        if name not in named and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            deleted += 1
    return deleted


def _files_under(storage, folder: str):
    folders, files = storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for child in folders:
        yield from _files_under(storage, posixpath.join(folder, child))
