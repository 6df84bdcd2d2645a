"""Writing many new rows with their audit history, fast.

On PostgreSQL the rows go by ``COPY`` into a temporary table (no indexes, no WAL), and from
there two ``INSERT … SELECT`` statements write them into the model's table and its
django-simple-history "created" rows. That is several times faster than ``bulk_create``
(DESIGN.md §7, docs/imports.md) and, unlike copying into the model's table and then reading
the rows back by primary key for their history, it probes no index. Primary keys are drawn
from the table's own sequence first, so the instances get them as ``save()`` would give them.
Elsewhere (SQLite) simple-history's ``bulk_create_with_history`` does the same more slowly.
"""

import operator
import re
import uuid

import psycopg
from django.db import DataError, connection, transaction
from django.utils import timezone
from psycopg import sql
from simple_history.utils import bulk_create_with_history

# The server names the line of a COPY it could not take: "COPY import_…, line 3, column name: …".
_COPY_LINE = re.compile(r"\bline (\d+)\b")


class ValueNotStored(DataError):
    """The database cannot hold a value of ``instance`` (None when the row cannot be told)."""

    def __init__(self, instance=None):
        super().__init__("the database cannot hold a value of the row")
        self.instance = instance


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
    fields = list(meta.concrete_fields)
    staging = sql.Identifier(f"import_{uuid.uuid4().hex}")
    # atomic: the staging table lives until the (outermost) transaction ends. The raw psycopg
    # cursor's errors are turned into Django's, as the ORM's are, so that the import's caller
    # tells a refused write from a crash (issue 11.7).
    with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        # The sequence is named once: pg_get_serial_sequence inside nextval() would run per row.
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [cursor.fetchone()[0], len(instances)]
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
        raw = cursor.cursor
        raw.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                staging, _columns(fields), sql.Identifier(meta.db_table)
            )
        )
        _copy(raw, staging, _columns(fields), instances, _row_reader(fields))
        raw.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
                sql.Identifier(meta.db_table), _columns(fields), _columns(fields), staging
            )
        )
        _history_from_staging(raw, model, staging, user)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def _columns(fields: list) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(field.column) for field in fields)


def _history_from_staging(cursor, model, staging: sql.Identifier, user) -> None:
    """The "created" history rows of the staged rows (one INSERT … SELECT), with the time and
    the user simple-history would record."""
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
    statement = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
        sql.Identifier(history._meta.db_table), sql.SQL(", ").join(targets), sql.SQL(", ").join(sources), staging
    )
    cursor.execute(statement, params)


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


def _copy(cursor, table: sql.Identifier, columns: sql.Composable, instances: list, reader) -> None:
    """A value PostgreSQL text cannot hold (NUL) is refused by psycopg as its row is written,
    anything else by the server naming the COPY's line: either way the instance is named."""
    written = 0
    try:
        with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(table, columns)) as copy:
            for instance in instances:
                copy.write_row(reader(instance))
                written += 1
    except psycopg.DataError as error:
        line = _COPY_LINE.search(error.diag.context or "")
        if line:
            raise ValueNotStored(instances[int(line.group(1)) - 1]) from error
        raise ValueNotStored(instances[written] if error.diag.sqlstate is None else None) from error
