"""A case's steps indexed by case and time, in place of the case alone (issue 12): the township's
scorecard panel read every step of its cases to keep a week's."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_case_departments"),
        ("governance", "0017_power_branch_sheet_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casetransition",
            index=models.Index(fields=["case", "at"], name="transition_case_at"),
        ),
        migrations.AlterField(
            model_name="casetransition",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="transitions",
                to="cases.case",
                verbose_name="case",
            ),
        ),
    ]
