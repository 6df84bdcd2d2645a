"""Writing many new rows with their audit history, fast.

On PostgreSQL new rows and their django-simple-history "created" rows go in by ``COPY``
(about 60,000 rows/s here, DESIGN.md §7, against some 5,000 for ``bulk_create``); primary keys
are drawn from the table's own sequence first, so the history rows can name them. Elsewhere
(SQLite) simple-history's ``bulk_create_with_history`` does the same more slowly.
"""

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


def _value(field, instance):
    value = field.pre_save(instance, True)  # fills auto_now(_add) fields as save() would
    if field.get_internal_type() in PLAIN_TYPES:
        return value
    return field.get_db_prep_save(value, connection)


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
        _copy(
            cursor,
            meta.db_table,
            [field.column for field in fields],
            ([_value(field, instance) for field in fields] for instance in instances),
        )
        history = model.history.model
        history_fields = [field for field in history._meta.concrete_fields if field.name != "history_id"]
        by_attname = {field.attname: field for field in fields}
        now = timezone.now()
        fixed = {
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": user.pk if user else None,
        }
        for field in history_fields:
            if field.attname not in by_attname and field.attname not in fixed:
                raise ValueError(f"{history.__name__}.{field.name} is not known to the bulk writer")
        _copy(
            cursor,
            history._meta.db_table,
            [field.column for field in history_fields],
            (
                [
                    fixed[field.attname] if field.attname in fixed else _value(by_attname[field.attname], instance)
                    for field in history_fields
                ]
                for instance in instances
            ),
        )
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
