"""Text search a big table's index can serve on PostgreSQL, whatever the term's length (issue 12).

``icontains`` is served by the trigram indexes (``pg_trgm``) when the term has three characters or
more. Most Chinese words have two (漏水, 东关, a surname and a given name: 王芳), and from two
characters ``pg_trgm`` extracts no trigram: the index is read whole and every row rechecked, 1.1 s
for a city administrator's count at a million cases. The tables searched by text therefore carry a
second GIN index on the set of the column's two-character pairs (``text_bigrams``, cases migration
0009), and a two-character term asks that its pair be in that set instead: an exact test (a text
contains the pair exactly when its pairs include it), which that index answers. A single character
is still read through the list's own scope (the user's township, the department).
"""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

BIGRAM_FUNCTION = """
CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, char_length(t) - 1) AS i
$$
"""


class HasBigram(Func):
    """``text_bigrams(UPPER(column::text)) @> ARRAY[UPPER(term)]``: the indexed expression, verbatim."""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[0])
        term, term_params = compiler.compile(self.source_expressions[1])
        return f"text_bigrams(UPPER(({column})::text)) @> ARRAY[UPPER({term})]", (*column_params, *term_params)


def contains_q(field: str, term: str) -> Q:
    """``field__icontains=term``; for a two-character term on PostgreSQL, the pair test alone, which
    says the same exactly. Asking ``icontains`` too let PostgreSQL AND the pair index with the
    trigram index, which has nothing to find for two characters and was read whole: 240 ms of a
    city's search at a million cases, on some days' statistics and not others."""
    if connection.vendor == "postgresql" and len(term) == 2:
        return Q(HasBigram(F(field), Value(term)))
    return Q(**{f"{field}__icontains": term})
