"""``python manage.py purge_import_files``: delete uploaded spreadsheets and failed-rows files
``IMPORT_FILES_KEPT_DAYS`` after their import ended, and expire previews left unconfirmed as
long. Safe to run repeatedly (cron once a day, or a Celery beat task calling
``governance.spreadsheets.services.import_files_purge``)."""

from django.core.management import BaseCommand

from governance.spreadsheets.services import import_files_purge


class Command(BaseCommand):
    help = "Delete the files of import jobs that ended long ago, and expire old unconfirmed previews."

    def handle(self, *args, **options):
        self.stdout.write(f"jobs whose files were deleted: {import_files_purge()}")
