"""GIN indexes on the two-character pairs of a case's title and an applicant's name: a two-character
term (most Chinese words, most given names with their surname) gets no trigram, and the trigram
index was read whole (1.1 s for a city's count at a million cases; governance.text_search)."""

from django.db import migrations

from governance.text_search import BIGRAM_FUNCTION

FORWARD = [
    BIGRAM_FUNCTION,
    "CREATE INDEX IF NOT EXISTS case_title_bigrams ON cases_case USING gin (text_bigrams(upper(title::text)))",
    "CREATE INDEX IF NOT EXISTS service_request_applicant_bigrams ON cases_servicerequest "
    "USING gin (text_bigrams(upper(applicant_name::text)))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS case_title_bigrams",
    "DROP INDEX IF EXISTS service_request_applicant_bigrams",
    "DROP FUNCTION IF EXISTS text_bigrams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_service_request_step_at")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
