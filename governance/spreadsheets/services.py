"""Services of the import job: upload, run (judge and maybe write), confirm. The admin views and
the Celery task only call these."""

import contextlib
import logging
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets.importer import (
    ADDED_COLUMNS,
    ERROR_COLUMN,
    LABEL_COLUMN,
    ROW_COLUMN,
    ImportReport,
    RowNotStored,
    collector_paused,
    header_map,
    sheet_import,
)
from governance.spreadsheets.models import ImportJob, ImportJobStatus, ImportRefusal
from governance.spreadsheets.readers import FileRefused, check_size, count_data_rows, file_format, read_table
from governance.spreadsheets.registry import resource_class
from governance.spreadsheets.resources import Outcome, Row
from governance.spreadsheets.writers import xlsx_file

logger = logging.getLogger(__name__)

IMPORT_NOT_PERMITTED = _("You do not have permission to import these records.")
EXPORT_NOT_PERMITTED = _("You do not have permission to export these records.")
JOB_NOT_AWAITING = _("This import is no longer awaiting confirmation (it was confirmed already or has finished).")
WRITE_REFUSED = _(
    "The database refused the rows, probably because the same records changed meanwhile; nothing was written. "
    "Upload the file again."
)
IMPORT_CRASHED = _("The import stopped unexpectedly and nothing was written; the administrator has been told.")

# A large job keeps this many error rows for the page; the failed-rows file holds them all.
PREVIEW_ERROR_ROWS = 1000


def may_import(user, resource_key: str) -> bool:
    return user.has_perm(f"governance.import_{resource_key}")


def may_export(user, resource_key: str) -> bool:
    return user.has_perm(f"governance.export_{resource_key}")


def import_job_create(*, user, resource_key: str, upload) -> ImportJob:
    """Store the upload; judge a small file now (preview), queue a large one (judge and write)."""
    if not may_import(user, resource_key):
        raise PermissionDenied(IMPORT_NOT_PERMITTED)
    try:
        fmt = file_format(upload.name)
        check_size(upload.size)
    except FileRefused as refusal:
        raise ValidationError(refusal.message) from None
    job = ImportJob(user=user, resource=resource_key, original_name=upload.name[-255:], status=ImportJobStatus.RUNNING)
    job.file.save(f"{uuid.uuid4().hex}.{fmt}", upload, save=False)
    # The row at once: should this process die from here on, the purge finds the job and its file.
    job.save()
    try:
        job.rows_total = count_data_rows(job.file.path, fmt)  # an .xlsx bomb is refused here (issue 11.5)
    except FileRefused as refusal:
        _refuse(job, refusal)
        return job
    job.background = job.rows_total > settings.IMPORT_BACKGROUND_ROWS
    if job.background:
        job.status = ImportJobStatus.QUEUED
    job.save()
    if job.background:
        from governance.spreadsheets.tasks import import_job_task

        transaction.on_commit(lambda: import_job_task.delay(job.pk))
    else:
        _run(job, commit=False)
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> None:
    """The queued job: claim it (once), judge every row and write them all if none has an error."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, updated_at=timezone.now()
    )
    if claimed != 1:
        logger.warning("import job %s was not queued (already taken or gone); skipped", job_id)
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        _run(job, commit=True)


def import_job_confirm(*, job: ImportJob, user) -> ImportJob:
    """Write a previewed file. Rows are judged again inside the same run, so a record that
    changed since the preview cannot slip through; if any row now fails, nothing is written."""
    if job.user_id != user.pk or not may_import(user, job.resource):
        raise PermissionDenied(IMPORT_NOT_PERMITTED)
    claimed = ImportJob.objects.filter(pk=job.pk, user=user, status=ImportJobStatus.PREVIEW).update(
        status=ImportJobStatus.APPLYING, updated_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError(JOB_NOT_AWAITING)
    job.refresh_from_db()
    _run(job, commit=True)
    job.refresh_from_db()
    return job


def _run(job: ImportJob, *, commit: bool) -> None:
    resource = resource_class(job.resource)(job.user)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total, updated_at=timezone.now())

    try:
        with collector_paused():
            table = read_table(job.file.path, file_format(job.original_name))
            progress(0, len(table.rows))
            report = sheet_import(resource=resource, table=table, commit=commit, progress=progress)
    except FileRefused as refusal:
        _refuse(job, refusal)
        return
    except RowNotStored as failure:  # a value the database cannot hold (issue 11.7): nothing was written
        logger.error("import job %s: the database refused a value", job.pk, exc_info=failure)
        _finish(job, ImportJobStatus.FAILED, message=str(failure.message))
        return
    except ValidationError as error:  # a service refused a row while writing: nothing was written
        _finish(job, ImportJobStatus.REJECTED, message=" ".join(error.messages))
        return
    except (IntegrityError, DatabaseError):
        logger.exception("import job %s: the database refused the rows", job.pk)
        _finish(job, ImportJobStatus.REJECTED, message=str(WRITE_REFUSED))
        return
    except Exception:
        logger.exception("import job %s crashed", job.pk)
        _finish(job, ImportJobStatus.FAILED, message=str(IMPORT_CRASHED))
        if settings.DEBUG:
            raise
        return
    _record_report(job, resource, report)


def _record_report(job: ImportJob, resource, report: ImportReport) -> None:
    # The audit of rows that named a record outside the user's jurisdiction (issue 11.6).
    ImportRefusal.objects.bulk_create(
        ImportRefusal(job=job, row=number, reason=reason, subject=subject[:50])
        for number, reason, subject in resource.refusals
    )
    counts = report.counts
    job.created_count = counts[Outcome.NEW]
    job.updated_count = counts[Outcome.UPDATED]
    job.unchanged_count = counts[Outcome.UNCHANGED]
    job.error_count = counts[Outcome.ERROR]
    job.rows_total = job.rows_done = len(report.rows)
    if report.has_errors:
        job.preview = [_preview_row(row) for row in report.error_rows[:PREVIEW_ERROR_ROWS]]
        if not job.background:
            job.preview = [_preview_row(row) for row in report.rows]
        headers, rows = _failed_rows(resource, report)
        with contextlib.closing(xlsx_file(resource.sheet_name, headers, rows, wrap_last=True)) as output:
            job.error_file.save(f"{uuid.uuid4().hex}.xlsx", File(output), save=False)
        status = ImportJobStatus.REJECTED
    elif report.committed:
        status = ImportJobStatus.DONE
    else:
        job.preview = [_preview_row(row) for row in report.rows]
        status = ImportJobStatus.PREVIEW
    _finish(job, status)


def _refuse(job: ImportJob, refusal: FileRefused) -> None:
    """The whole file is refused and nothing was written. Its upload is deleted at once: it
    holds personal data and will never be imported (issue 11.5, 11.9)."""
    job.file.delete(save=False)
    _finish(job, ImportJobStatus.REJECTED, message=str(refusal.message))


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status = status
    job.message = message
    if status != ImportJobStatus.PREVIEW:
        job.finished_at = timezone.now()
    job.save()


def _preview_row(row: Row) -> list:
    """[row number, outcome, every reason, the record's name] (older jobs hold the first three)."""
    return [row.number, row.outcome, _error_text(row), row.label]


def _error_text(row: Row) -> str:
    """One reason a line, each led by its column: "【身份证号】…。\n【职级】…。"."""
    return "\n".join(f"【{header}】{message}" for header, message in row.errors)


def _failed_rows(resource, report: ImportReport) -> tuple[list, Iterator[list]]:
    """The failed rows as uploaded (without the columns an earlier failed-rows file added), then
    the row's number in the upload, its name if the sheet has no name column, and its reasons."""
    keep = [index for index, header in enumerate(report.headers) if header.strip() not in ADDED_COLUMNS]
    named = any(column.field == resource.label_field for column in header_map(resource, report.headers).values())
    headers = [report.headers[index] for index in keep] + [ROW_COLUMN]
    headers += [] if named else [LABEL_COLUMN]
    headers.append(ERROR_COLUMN)

    def rows():
        for row in report.error_rows:
            cells = _pad(row.cells, len(report.headers))
            yield [cells[index] for index in keep] + [row.number] + ([] if named else [row.label]) + [_error_text(row)]

    return headers, rows()


def _pad(cells: list, width: int) -> list:
    return list(cells[:width]) + [""] * (width - len(cells))
