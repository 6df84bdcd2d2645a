"""Each case step keeps its case's township (issue 12), as assignments do: the township's
scorecard of the month on its home page probed the steps of each of its cases one at a time
(33 ms of its cold home page at a million cases); with the township on the step, one range of a
covering index. Set by whoever writes a step (``cases.transitions``, the sweep, the generator);
on PostgreSQL a composite foreign key checks the copy against the case at every commit, as
``assignment_township_is_cases`` does (migration 0003).

The backfill writes a new version of every step (11.4 million rows in 7.5 minutes on the bench's
million-case city, the table locked meanwhile): on a big database, run it in a quiet hour and
compact the table afterwards (docs/operations.md, "Upgrading a big database")."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = {
    "postgresql": [
        # Checked now, not at the commit: ALTER TABLE refuses a table with checks still pending.
        "SET CONSTRAINTS ALL IMMEDIATE",
        "UPDATE cases_casetransition t SET township_id = c.township_id FROM cases_case c WHERE c.id = t.case_id",
    ],
    "sqlite": [
        "UPDATE cases_casetransition SET township_id = "
        "(SELECT township_id FROM cases_case WHERE cases_case.id = cases_casetransition.case_id)",
    ],
}
GUARD = (
    "ALTER TABLE cases_casetransition ADD CONSTRAINT transition_township_is_cases FOREIGN KEY (case_id, township_id) "
    "REFERENCES cases_case (id, township_id) DEFERRABLE INITIALLY DEFERRED"
)


def _backfill(apps, schema_editor):
    for statement in BACKFILL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def _guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD)


def _unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_casetransition DROP CONSTRAINT IF EXISTS transition_township_is_cases")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_urgent_case_indexes"),
        ("governance", "0017_power_branch_sheet_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="casetransition",
            name="township",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.unit",
                verbose_name="township",
            ),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="casetransition",
            name="township",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="governance.unit",
                verbose_name="township",
            ),
        ),
        migrations.RunPython(_guard, _unguard),
        migrations.AddIndex(
            model_name="casetransition",
            index=models.Index(
                condition=models.Q(("department__isnull", False)),
                fields=["township", "at", "department", "action", "on_time", "rating"],
                name="transition_township_scores",
            ),
        ),
    ]
