"""A department's steps by state and overdue, from one index alone (issue 12): the index on
(department, state) with the dues and the key after them, which serves all it served."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_home_figure_indexes"),
        ("governance", "0017_power_branch_sheet_permissions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="caseassignment",
            name="assignment_department_state",
        ),
        migrations.AddIndex(
            model_name="caseassignment",
            index=models.Index(
                fields=["department", "state", "accept_due", "feedback_due", "resolve_due", "id"],
                name="assignment_department_dues",
            ),
        ),
    ]
