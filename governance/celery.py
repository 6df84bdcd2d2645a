"""The Celery app for long work (DESIGN.md §5): large spreadsheet imports, the intake API's webhook
deliveries, and under beat the periodic overdue sweep (every ``SWEEP_INTERVAL_SECONDS``) and the
nightly purge of import files, and the home pages' figures counted before they expire (every
``DASHBOARD_REFRESH_SECONDS``).

With ``CELERY_BROKER_URL`` unset (the embedded default) ``CELERY_TASK_ALWAYS_EAGER`` is on and
the same task runs in the calling process. A worker:
``.venv/bin/celery -A governance worker --pool=solo -l info`` (see docs/imports.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["governance", "governance.spreadsheets", "governance.api", "cases"])


@app.on_after_finalize.connect
def schedule(sender, **kwargs):
    from celery.schedules import crontab
    from django.conf import settings

    sender.conf.beat_schedule = {
        "sweep overdue": {"task": "cases.sweep_overdue", "schedule": settings.SWEEP_INTERVAL_SECONDS},
        "purge import files": {
            "task": "governance.spreadsheets.purge_import_files",
            "schedule": crontab(minute=0, hour=3),
        },
    }
    if settings.DASHBOARD_CACHE_SECONDS and settings.DASHBOARD_REFRESH_SECONDS:
        sender.conf.beat_schedule["refresh dashboards"] = {
            "task": "governance.refresh_dashboards",
            "schedule": settings.DASHBOARD_REFRESH_SECONDS,
        }
