"""``python manage.py refresh_dashboards``: count again the home-page figures of everyone who may
still be signed in, before they expire (``governance.dashboard_refresh``). Celery beat runs it
every ``DASHBOARD_REFRESH_SECONDS``; cron may instead."""

import time

from django.core.management import BaseCommand

from governance.dashboard_refresh import dashboards_refresh


class Command(BaseCommand):
    help = "Count again the home-page figures of everyone signed in lately, before they expire."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = dashboards_refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"people signed in lately: {result.people}; home pages counted: {result.pictures}; "
            f"figures: {result.figures}; {seconds:.1f} s"
        )
