"""Each case keeps the ids of the departments ever asked to act on it (issue 12): a department's
case list, searched by a common two-character word, read every matching case in the city before
keeping its own (307 ms at a million cases); with the copy GIN-indexed, PostgreSQL ANDs the two
bitmaps first. The database keeps the copy, whoever writes the assignments (the services, the
generator's COPY, a factory): a trigger on both PostgreSQL and SQLite."""

from django.db import migrations, models

POSTGRESQL_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION case_departments_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE cases_case SET departments = departments || jsonb_build_array(NEW.department_id)
            WHERE id = NEW.case_id AND NOT departments @> jsonb_build_array(NEW.department_id);
        ELSE
            UPDATE cases_case SET departments = (
                SELECT coalesce(jsonb_agg(DISTINCT a.department_id), '[]'::jsonb)
                FROM cases_caseassignment a WHERE a.case_id = cases_case.id
            ) WHERE id = OLD.case_id OR (TG_OP = 'UPDATE' AND id = NEW.case_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER case_departments_follow AFTER INSERT OR DELETE OR UPDATE OF case_id, department_id "
    "ON cases_caseassignment FOR EACH ROW EXECUTE FUNCTION case_departments_follow()",
    "UPDATE cases_case c SET departments = d.ids FROM ("
    " SELECT case_id, jsonb_agg(DISTINCT department_id) AS ids FROM cases_caseassignment GROUP BY case_id"
    ") d WHERE c.id = d.case_id",
    "CREATE INDEX case_departments ON cases_case USING gin (departments jsonb_path_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS case_departments",
    "DROP TRIGGER IF EXISTS case_departments_follow ON cases_caseassignment",
    "DROP FUNCTION IF EXISTS case_departments_follow()",
]


def _sqlite_recount(cases: str) -> str:
    """Set the copy of the cases ``cases`` (a WHERE condition) from their assignments."""
    return (
        "UPDATE cases_case SET departments = (SELECT json_group_array(department_id) FROM ("
        " SELECT DISTINCT department_id FROM cases_caseassignment WHERE case_id = cases_case.id"
        f")) WHERE {cases};"
    )


SQLITE_FORWARD = [
    """
    CREATE TRIGGER case_departments_on_insert AFTER INSERT ON cases_caseassignment BEGIN
        UPDATE cases_case SET departments = json_insert(departments, '$[#]', NEW.department_id)
        WHERE id = NEW.case_id
          AND NOT EXISTS (SELECT 1 FROM json_each(cases_case.departments) WHERE value = NEW.department_id);
    END
    """,
    f"CREATE TRIGGER case_departments_on_delete AFTER DELETE ON cases_caseassignment BEGIN"
    f" {_sqlite_recount('id = OLD.case_id')} END",
    f"CREATE TRIGGER case_departments_on_update AFTER UPDATE OF case_id, department_id ON cases_caseassignment"
    f" BEGIN {_sqlite_recount('id IN (OLD.case_id, NEW.case_id)')} END",
    _sqlite_recount("id IN (SELECT case_id FROM cases_caseassignment)"),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS case_departments_on_insert",
    "DROP TRIGGER IF EXISTS case_departments_on_delete",
    "DROP TRIGGER IF EXISTS case_departments_on_update",
]


def _run(postgresql, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_bounded_dates")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="departments",
            field=models.JSONField(default=list, editable=False, verbose_name="departments"),
        ),
        migrations.RunPython(_run(POSTGRESQL_FORWARD, SQLITE_FORWARD), _run(POSTGRESQL_BACKWARD, SQLITE_BACKWARD)),
    ]
