"""Urgent cases by county and city-wide, newest first (issue 12): the "urgent" filter's page and its
capped count read an index range, not the table until a thousand turned up."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0022_department_dues_index"),
        ("governance", "0017_power_branch_sheet_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("priority", "urgent")),
                fields=["county", "-raised_at", "-id"],
                name="case_urgent_county",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("priority", "urgent")), fields=["-raised_at", "-id"], name="case_urgent_raised"
            ),
        ),
    ]
