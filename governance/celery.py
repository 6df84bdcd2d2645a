"""The Celery app for long work (DESIGN.md §5): large spreadsheet imports, webhook deliveries.

With ``CELERY_BROKER_URL`` unset (the embedded default) ``CELERY_TASK_ALWAYS_EAGER`` is on and
the same task runs in the calling process. A worker:
``.venv/bin/celery -A governance worker --pool=solo -l info`` (see docs/imports.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["governance.spreadsheets", "governance.api"])
