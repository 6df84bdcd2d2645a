"""The three import steps (STYLE.md 5): parse (pure), validate every row (jurisdiction
included), apply all rows in one transaction, in bulk. If any row has an error nothing is written.
"""

import contextlib
import gc
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, transaction
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets.bulk import ValueNotStored
from governance.spreadsheets.readers import FileRefused, Table
from governance.spreadsheets.resources import (
    CELL_REQUIRED,
    DUPLICATE_IN_FILE,
    NO_COLUMN,
    Column,
    Outcome,
    Row,
    SheetResource,
)

HEADER_MISSING = _("The header row lacks the column(s) %(columns)s. Download the template and keep its header row.")
HEADER_UNKNOWN = _("The header row has unknown column(s) %(columns)s. Use the template’s header row as it is.")
HEADER_TWICE = _("The column %(column)s appears twice in the header row.")
CELL_NUL = _(
    "This cell holds a NUL character (an invisible control character, often pasted from another system), "
    "which the database cannot store. Retype the cell."
)
ROW_NOT_STORED = _(
    "The database cannot store a value of row %(row)s; nothing was written. Retype that row’s cells and upload "
    "the file again."
)
VALUE_NOT_STORED = _(
    "The database cannot store a value of this file; nothing was written. The administrator has been told."
)

# The columns our failed-rows file adds; a corrected file may come back with them still there.
ERROR_COLUMN = "错误原因"
ROW_COLUMN = "原行号"
LABEL_COLUMN = "记录名称"
ADDED_COLUMNS = frozenset({ERROR_COLUMN, ROW_COLUMN, LABEL_COLUMN})
PROGRESS_EVERY = 2000


class RowNotStored(Exception):
    """The database refused a value while the rows were written, so nothing was; ``message``
    names the row when it can be told (issue 11.7: this was a crash, or a job stuck "writing")."""

    def __init__(self, number: int | None):
        super().__init__(number)
        self.message = ROW_NOT_STORED % {"row": number} if number else VALUE_NOT_STORED


@dataclass
class ImportReport:
    rows: list[Row] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    committed: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in Outcome.LABELS}

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)


def header_map(resource: SheetResource, headers: list[str]) -> dict[int, Column]:
    """Which file column holds which resource column; Chinese or English headers, refused if wrong."""
    by_name = {}
    for column in resource.columns:
        by_name[column.header] = column
        by_name[column.field.lower()] = column
        for alias in column.aliases:
            by_name[alias] = column
    found: dict[int, object] = {}
    seen: set[str] = set()
    unknown = []
    for index, header in enumerate(headers):
        cleaned = header.strip().lstrip("*").strip()
        if not cleaned or cleaned in ADDED_COLUMNS:
            continue
        column = by_name.get(cleaned) or by_name.get(cleaned.lower())
        if column is None:
            unknown.append(f"“{cleaned}”")
            continue
        if column.header in seen:
            raise FileRefused(HEADER_TWICE % {"column": f"“{column.header}”"})
        seen.add(column.header)
        found[index] = column
    if unknown:
        raise FileRefused(HEADER_UNKNOWN % {"columns": "、".join(unknown)})
    missing = [f"“{column.header}”" for column in resource.columns if column.required and column.header not in seen]
    if missing:
        raise FileRefused(HEADER_MISSING % {"columns": "、".join(missing)})
    return found


@contextlib.contextmanager
def collector_paused():
    """Reading and judging a large file makes hundreds of thousands of long-lived objects; the
    cyclic garbage collector would rescan them all again and again (a third of the run). They
    are freed by reference counting when the import ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def sheet_import(
    *,
    resource: SheetResource,
    table: Table,
    commit: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Judge every row; write them all (``commit``) only when no row has an error. The caller
    (``services._run``) pauses the collector around reading and judging a file."""
    columns = header_map(resource, table.headers)
    report = ImportReport(headers=table.headers)
    report.rows = [_parse_row(number, cells, columns) for number, cells in table.rows]
    table.rows = []  # the parsed rows hold the cells now; let the raw list go
    _mark_duplicates(resource, report.rows)
    resource.prepare(report.rows)
    # A row's reasons are listed as its columns stand, left to right; the record's own come first.
    order = {NO_COLUMN: -1, **{column.header: index for index, column in enumerate(resource.columns)}}
    total = len(report.rows)
    for done, row in enumerate(report.rows, start=1):
        # Every row is built, whatever its cells: the resource judges the cells that were read
        # and the rules between them, so the clerk sees all of a row's errors at once.
        try:
            resource.build(row)
        except ValidationError as error:
            _add_validation_error(resource, row, error)
        row.label = resource.row_label(row)
        if row.errors:
            row.outcome = Outcome.ERROR
            row.errors.sort(key=lambda error: order.get(error[0], len(order)))
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    if commit and not report.has_errors:
        try:
            with transaction.atomic():
                resource.write(
                    [row.instance for row in report.rows if row.outcome == Outcome.NEW],
                    [row.instance for row in report.rows if row.outcome == Outcome.UPDATED],
                )
        except DataError as error:
            refused = error.instance if isinstance(error, ValueNotStored) else None
            numbers = (row.number for row in report.rows if refused is not None and row.instance is refused)
            raise RowNotStored(next(numbers, None)) from error
        report.committed = True
    return report


def _parse_row(number: int, cells: list, columns: dict) -> Row:
    row = Row(number=number, cells=cells)
    width = len(cells)
    for index, column in columns.items():
        raw = cells[index] if index < width else None
        if raw is None or raw == "" or (isinstance(raw, str) and raw.isspace()):
            if column.required:
                row.add_error(column.header, CELL_REQUIRED)
                row.failed.add(column.field)
            row.values[column.field] = None
            continue
        # NUL is the one character PostgreSQL text cannot hold (the readers decode strictly, so no
        # lone surrogate arrives); a cell may carry it as Excel's "_x0000_" (issue 11.7).
        if isinstance(raw, str) and "\x00" in raw:
            row.values[column.field] = None
            row.failed.add(column.field)
            row.add_error(column.header, CELL_NUL)
            continue
        try:
            row.values[column.field] = column.parse(raw)
        except ValidationError as error:
            row.values[column.field] = None
            row.failed.add(column.field)
            for message in error.messages:
                row.add_error(column.header, message)
    return row


def _mark_duplicates(resource: SheetResource, rows: list[Row]) -> None:
    """The second row naming the same record is an error: which of the two is meant is unknown."""
    first_seen: dict[tuple, int] = {}
    key_headers = "、".join(resource.header_of(name) for name in resource.natural_key)
    for row in rows:
        key = resource.key_of(row)
        if any(part is None for part in key):
            continue
        if key in first_seen:
            row.add_error(
                resource.header_of(resource.natural_key[0]),
                DUPLICATE_IN_FILE % {"key": key_headers, "row": first_seen[key]},
            )
        else:
            first_seen[key] = row.number


def _add_validation_error(resource: SheetResource, row: Row, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            row.add_error(NO_COLUMN, message)
        return
    for field_name, errors in error.message_dict.items():
        header = NO_COLUMN if field_name == NON_FIELD_ERRORS else resource.header_of(field_name)
        for message in errors:
            row.add_error(header, message)
