"""``python manage.py sweep_overdue``: mark overdue assignments and escalate those past their
resolve date, and overdue task-force milestones. Safe to run repeatedly and concurrently (cron,
or a Celery beat task calling ``cases.deadlines.assignments_sweep_overdue``)."""

from django.core.management import BaseCommand

from cases.deadlines import assignments_sweep_overdue
from cases.taskforce_services import milestones_sweep_overdue


class Command(BaseCommand):
    help = "Mark overdue case assignments and escalate those overdue past their resolve date."

    def handle(self, *args, **options):
        result = assignments_sweep_overdue()
        # Task-force milestones (issue 16) in the same sweep; named in the report when there were any.
        milestones = milestones_sweep_overdue()
        tail = f"; task-force milestones marked overdue: {milestones}" if milestones else ""
        self.stdout.write(f"marked overdue: {result.marked_overdue}; escalated: {result.escalated}{tail}")
