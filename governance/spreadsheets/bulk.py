"""Writing many new rows with their audit history, fast.

On PostgreSQL new rows and their django-simple-history "created" rows go in by ``COPY``
(about 60,000 rows/s here, DESIGN.md §7, against some 5,000 for ``bulk_create``); primary keys
are drawn from the table's own sequence first, so the history rows can name them. Elsewhere
(SQLite) simple-history's ``bulk_create_with_history`` does the same more slowly.
"""

import operator

from django.db import connection
from django.utils import timezone
from psycopg import sql
from simple_history.utils import bulk_create_with_history

# Field types whose Python value psycopg writes as it is; any other goes through get_db_prep_save.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def insert_with_history(model, instances: list, *, user, batch_size: int = 2000) -> None:
    if not instances:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(instances, model, batch_size=batch_size, default_user=user)
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
        fields = list(meta.concrete_fields)
        _copy(cursor, meta.db_table, [field.column for field in fields], map(_row_reader(fields), instances))
        _history_from_rows(cursor, model, [instance.pk for instance in instances], user)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def _history_from_rows(cursor, model, pks: list, user) -> None:
    """The "created" history rows, copied by the database from the rows just written (one
    INSERT … SELECT), with the time and the user simple-history would record."""
    meta, history = model._meta, model.history.model
    by_attname = {field.attname: field for field in meta.concrete_fields}
    fixed = {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": user.pk if user else None,
    }
    targets, sources, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.name == "history_id":
            continue  # the history table's own key, from its sequence
        targets.append(sql.Identifier(field.column))
        if field.attname in by_attname:
            sources.append(sql.Identifier(by_attname[field.attname].column))
        elif field.attname in fixed:
            sources.append(sql.Placeholder())
            params.append(fixed[field.attname])
        else:
            raise ValueError(f"{history.__name__}.{field.name} is not known to the bulk writer")
    statement = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} = ANY(%s) ORDER BY {}").format(
        sql.Identifier(history._meta.db_table),
        sql.SQL(", ").join(targets),
        sql.SQL(", ").join(sources),
        sql.Identifier(meta.db_table),
        sql.Identifier(meta.pk.column),
        sql.Identifier(meta.pk.column),
    )
    cursor.cursor.execute(statement, [*params, pks])


def _row_reader(fields: list):
    """A function giving an instance's column values in ``fields`` order. When every field is
    plain (the common case) it is one ``attrgetter`` call; otherwise each value goes through
    ``pre_save`` (auto_now fields) and ``get_db_prep_save``, as ``save()`` would."""
    plain = all(
        field.get_internal_type() in PLAIN_TYPES
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        for field in fields
    )
    if plain and len(fields) > 1:
        return operator.attrgetter(*(field.attname for field in fields))
    return lambda instance: [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
