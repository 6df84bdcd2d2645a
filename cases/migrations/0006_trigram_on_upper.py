"""The trigram indexes on the expression Django's ``icontains`` writes on PostgreSQL,
``UPPER(col::text) LIKE UPPER('%…%')``: indexed on the bare column, they served no search, and
the county's and city's searches read every case (600 ms to 1.2 s at a million; issue 12)."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS case_title_trgm",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case USING gin (upper(title::text) gin_trgm_ops)",
    "DROP INDEX IF EXISTS service_request_applicant_trgm",
    "CREATE INDEX IF NOT EXISTS service_request_applicant_trgm ON cases_servicerequest "
    "USING gin (upper(applicant_name::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS case_title_trgm",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case USING gin (title gin_trgm_ops)",
    "DROP INDEX IF EXISTS service_request_applicant_trgm",
    "CREATE INDEX IF NOT EXISTS service_request_applicant_trgm ON cases_servicerequest "
    "USING gin (applicant_name gin_trgm_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_pending_and_open_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
