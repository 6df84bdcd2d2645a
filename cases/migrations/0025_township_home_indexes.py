"""Home pages and scorecards from index ranges (issue 12): a township's queue and its steps owed by
department read every one of its steps ANDed with every awaiting step of the city (10-12 ms each at
a million cases, on every visit); its requests finished this month read all of its requests; the
city's scorecard of a month read every department's steps of every month (620 ms)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0024_transition_township"),
        ("governance", "0017_power_branch_sheet_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="casetransition",
            name="transition_department_action",
        ),
        migrations.AddIndex(
            model_name="caseassignment",
            index=models.Index(
                condition=models.Q(("state__in", ["assigned", "accepted", "in_progress", "responded", "declined"])),
                fields=[
                    "township",
                    "state",
                    "department",
                    "accept_due",
                    "feedback_due",
                    "resolve_due",
                    "close_due",
                    "id",
                ],
                name="assignment_township_awaiting",
            ),
        ),
        migrations.AddIndex(
            model_name="casetransition",
            index=models.Index(fields=["department", "at", "action"], name="transition_department_at"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("finished_at__isnull", False)),
                fields=["township", "finished_at"],
                name="service_request_township_done",
            ),
        ),
    ]
