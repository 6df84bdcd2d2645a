"""Bulk rows into a table: PostgreSQL's COPY (tens of thousands of rows a second), or batched
INSERTs on SQLite for the small cities tests use. Keys are handed out here, so rows can point at
each other before any is written; the table's sequence is moved past them at the end."""

import json

from django.db import connection, models


class TableWriter:
    """``add(**values)`` with every column of the model by attribute name (``township_id``)."""

    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [field for field in model._meta.concrete_fields if field.attname != "id"]
        self.names = [field.attname for field in self.fields]
        self.rows: list[tuple] = []
        self.next_id = _max_id(self.table) + 1
        self.written = 0

    def new_id(self) -> int:
        """A key for a row added later with ``add(row_id=…)`` (rows that point at each other)."""
        row_id = self.next_id
        self.next_id += 1
        return row_id

    def add(self, row_id: int | None = None, **values) -> int:
        row_id = self.new_id() if row_id is None else row_id
        self.rows.append((row_id, *(values[name] for name in self.names)))
        if len(values) != len(self.names):
            raise TypeError(f"{self.table}: unknown columns {sorted(set(values) - set(self.names))}")
        return row_id

    def flush(self) -> None:
        """Write the queued rows (the caller flushes tables in the order their rows point)."""
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        self.written += len(self.rows)
        self.rows = []

    def finish(self) -> int:
        self.flush()
        if connection.vendor == "postgresql" and self.written:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {self.table}))",
                    [self.table],
                )
        return self.written

    def _columns(self) -> str:
        return ", ".join(f'"{column}"' for column in ["id", *(field.column for field in self.fields)])

    def _copy(self) -> None:
        # COPY takes a JSON column's value as its text; a list would be written as an array literal.
        json_at = {index for index, field in enumerate(self.fields, start=1) if isinstance(field, models.JSONField)}
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.table} ({self._columns()}) FROM STDIN") as copy,
        ):
            for row in self.rows:
                copy.write_row([json.dumps(value) if index in json_at else value for index, value in enumerate(row)])

    def _insert(self) -> None:
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        prepared = [
            (
                row[0],
                *(field.get_db_prep_save(value, connection) for field, value in zip(self.fields, row[1:], strict=True)),
            )
            for row in self.rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {self.table} ({self._columns()}) VALUES ({marks})", prepared)


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0]
