"""``python manage.py sweep_overdue``: mark overdue assignments and escalate those past their
resolve date. Safe to run repeatedly and concurrently (cron, or a Celery beat task calling
``cases.deadlines.assignments_sweep_overdue``)."""

from django.core.management import BaseCommand

from cases.deadlines import assignments_sweep_overdue


class Command(BaseCommand):
    help = "Mark overdue case assignments and escalate those overdue past their resolve date."

    def handle(self, *args, **options):
        result = assignments_sweep_overdue()
        self.stdout.write(f"marked overdue: {result.marked_overdue}; escalated: {result.escalated}")
