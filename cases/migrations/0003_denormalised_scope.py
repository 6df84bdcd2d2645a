"""Issue 12: the county on cases, assignments and service requests, the township on assignments, and
an index per scope and default order, so each list is one index range at a million cases.

Added nullable, filled from the tree, then required. On PostgreSQL composite foreign keys keep the
copies true for good: (township, county) must be a unit and its parent, (village, township) too, and
an assignment's township its case's (deferred to the transaction's end, so a township's move can
update its rows in the same transaction). Trigram indexes serve searching Chinese titles and names.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL = [
    "UPDATE cases_case SET county_id = u.parent_id FROM governance_unit u WHERE u.id = cases_case.township_id",
    "UPDATE cases_caseassignment SET township_id = c.township_id, county_id = c.county_id "
    "FROM cases_case c WHERE c.id = cases_caseassignment.case_id",
    "UPDATE cases_servicerequest SET county_id = u.parent_id FROM governance_unit u "
    "WHERE u.id = cases_servicerequest.township_id",
    "UPDATE cases_historicalcase SET county_id = u.parent_id FROM governance_unit u "
    "WHERE u.id = cases_historicalcase.township_id",
    "UPDATE cases_historicalcaseassignment SET township_id = c.township_id, county_id = c.county_id "
    "FROM cases_case c WHERE c.id = cases_historicalcaseassignment.case_id",
    "UPDATE cases_historicalservicerequest SET county_id = u.parent_id FROM governance_unit u "
    "WHERE u.id = cases_historicalservicerequest.township_id",
]

# PostgreSQL only: the guards and the trigram indexes (SQLite, the embedded demo, has neither).
GUARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS unit_id_parent ON governance_unit (id, parent_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS case_id_township ON cases_case (id, township_id)",
    "ALTER TABLE cases_case ADD CONSTRAINT case_county_is_townships FOREIGN KEY (township_id, county_id) "
    "REFERENCES governance_unit (id, parent_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE cases_case ADD CONSTRAINT case_village_in_township FOREIGN KEY (village_id, township_id) "
    "REFERENCES governance_unit (id, parent_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE cases_caseassignment ADD CONSTRAINT assignment_township_is_cases FOREIGN KEY (case_id, township_id) "
    "REFERENCES cases_case (id, township_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE cases_caseassignment ADD CONSTRAINT assignment_county_is_townships "
    "FOREIGN KEY (township_id, county_id) REFERENCES governance_unit (id, parent_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE cases_servicerequest ADD CONSTRAINT service_request_county_is_townships "
    "FOREIGN KEY (township_id, county_id) REFERENCES governance_unit (id, parent_id) DEFERRABLE INITIALLY DEFERRED",
    "ALTER TABLE cases_servicerequest ADD CONSTRAINT service_request_village_in_township "
    "FOREIGN KEY (village_id, township_id) REFERENCES governance_unit (id, parent_id) DEFERRABLE INITIALLY DEFERRED",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS service_request_applicant_trgm ON cases_servicerequest "
    "USING gin (applicant_name gin_trgm_ops)",
]
GUARDS_REMOVED = [
    "DROP INDEX IF EXISTS service_request_applicant_trgm",
    "DROP INDEX IF EXISTS case_title_trgm",
    "ALTER TABLE cases_servicerequest DROP CONSTRAINT IF EXISTS service_request_village_in_township",
    "ALTER TABLE cases_servicerequest DROP CONSTRAINT IF EXISTS service_request_county_is_townships",
    "ALTER TABLE cases_caseassignment DROP CONSTRAINT IF EXISTS assignment_county_is_townships",
    "ALTER TABLE cases_caseassignment DROP CONSTRAINT IF EXISTS assignment_township_is_cases",
    "ALTER TABLE cases_case DROP CONSTRAINT IF EXISTS case_village_in_township",
    "ALTER TABLE cases_case DROP CONSTRAINT IF EXISTS case_county_is_townships",
    "DROP INDEX IF EXISTS case_id_township",
    "DROP INDEX IF EXISTS unit_id_parent",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FILL:
            schema_editor.execute(statement)
        return
    # SQLite has no UPDATE … FROM before 3.33; the demo's tables are small.
    Unit = apps.get_model("governance", "Unit")
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    for name in ("Case", "HistoricalCase", "ServiceRequest", "HistoricalServiceRequest"):
        model = apps.get_model("cases", name)
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(county_id=parents[row.township_id])
    Case = apps.get_model("cases", "Case")
    places = dict(
        (pk, (township, county)) for pk, township, county in Case.objects.values_list("pk", "township_id", "county_id")
    )
    for name in ("CaseAssignment", "HistoricalCaseAssignment"):
        model = apps.get_model("cases", name)
        for row in model.objects.all():
            township, county = places[row.case_id]
            model.objects.filter(pk=row.pk).update(township_id=township, county_id=county)


def _unit_field(null, name="county"):
    return models.ForeignKey(
        verbose_name=name,
        null=null,
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="governance.unit",
    )


def _historical_unit_field(name="county"):
    return models.ForeignKey(
        verbose_name=name,
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="governance.unit",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_transition_close_label"),
        ("governance", "0007_unit_role_groups_by_pk"),
    ]

    operations = [
        migrations.AddField("case", "county", _unit_field(null=True)),
        migrations.AddField("caseassignment", "township", _unit_field(null=True, name="township")),
        migrations.AddField("caseassignment", "county", _unit_field(null=True)),
        migrations.AddField("servicerequest", "county", _unit_field(null=True)),
        migrations.AddField("historicalcase", "county", _historical_unit_field()),
        migrations.AddField("historicalcaseassignment", "township", _historical_unit_field("township")),
        migrations.AddField("historicalcaseassignment", "county", _historical_unit_field()),
        migrations.AddField("historicalservicerequest", "county", _historical_unit_field()),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("case", "county", _unit_field(null=False)),
        migrations.AlterField("caseassignment", "township", _unit_field(null=False, name="township")),
        migrations.AlterField("caseassignment", "county", _unit_field(null=False)),
        migrations.AlterField("servicerequest", "county", _unit_field(null=False)),
        migrations.RemoveIndex("case", "case_raised_at"),
        migrations.AddIndex("case", models.Index(fields=["-raised_at", "-id"], name="case_raised_at")),
        migrations.AddIndex("case", models.Index(fields=["county", "-raised_at", "-id"], name="case_county_raised")),
        migrations.AddIndex(
            "case", models.Index(fields=["township", "-raised_at", "-id"], name="case_township_raised")
        ),
        migrations.AddIndex("case", models.Index(fields=["village", "-raised_at", "-id"], name="case_village_raised")),
        migrations.AddIndex(
            "caseassignment",
            models.Index(fields=["department", "-created_at", "-id"], name="assignment_department_created"),
        ),
        migrations.AddIndex(
            "caseassignment",
            models.Index(fields=["township", "-created_at", "-id"], name="assignment_township_created"),
        ),
        migrations.AddIndex(
            "caseassignment", models.Index(fields=["county", "-created_at", "-id"], name="assignment_county_created")
        ),
        migrations.AddIndex("caseassignment", models.Index(fields=["-created_at", "-id"], name="assignment_created")),
        migrations.AddIndex(
            "servicerequest", models.Index(fields=["-received_at", "-id"], name="service_request_received")
        ),
        migrations.AddIndex(
            "servicerequest", models.Index(fields=["county", "-received_at", "-id"], name="service_request_county")
        ),
        migrations.AddIndex(
            "servicerequest",
            models.Index(fields=["township", "-received_at", "-id"], name="service_request_township_rcv"),
        ),
        migrations.AddIndex(
            "servicerequest",
            models.Index(fields=["village", "-received_at", "-id"], name="service_request_village_rcv"),
        ),
        migrations.RunPython(_run(GUARDS), _run(GUARDS_REMOVED)),
    ]
