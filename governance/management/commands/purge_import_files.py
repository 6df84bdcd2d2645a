"""``python manage.py purge_import_files``: fail import jobs whose process died, delete uploaded
spreadsheets and failed-rows files ``IMPORT_FILES_KEPT_DAYS`` after their import ended, expire
previews left unconfirmed as long and delete uploads no job names. Safe to run repeatedly (cron
once a day, or a Celery beat task calling ``governance.spreadsheets.purge.import_files_purge``)."""

from django.core.management import BaseCommand

from governance.spreadsheets.purge import import_files_purge


class Command(BaseCommand):
    help = "Delete the files of import jobs that ended long ago or lost their process, and uploads no job names."

    def handle(self, *args, **options):
        purged = import_files_purge()
        self.stdout.write(f"stuck jobs marked failed: {purged.stuck_jobs_failed}")
        self.stdout.write(f"jobs whose files were deleted: {purged.jobs_purged}")
        self.stdout.write(f"orphan files deleted: {purged.orphan_files_deleted}")
