from celery import shared_task


@shared_task(name="governance.spreadsheets.import_job_run", acks_late=True)
def import_job_task(job_id: int) -> None:
    """A queued import (more than IMPORT_BACKGROUND_ROWS rows), on a worker or, with no broker, in-process."""
    from governance.spreadsheets.services import import_job_run

    import_job_run(job_id=job_id)


@shared_task(name="governance.spreadsheets.purge_import_files")
def purge_import_files_task() -> None:
    """Celery beat's nightly purge: the same command cron would run (``manage.py purge_import_files``)."""
    from django.core.management import call_command

    call_command("purge_import_files")
