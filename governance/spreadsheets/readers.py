"""Reading an uploaded file into a header row and data rows (step 1 of 3: parse, pure).

XLSX is read with python-calamine (about 12× faster than openpyxl's read-only mode, DESIGN.md
§7), in a child process with bounded memory, never in this one (``xlsx_child``, issue 11.5);
CSV is decoded as UTF-8 (with or without the BOM Excel writes for "CSV UTF-8") or
GB18030, the superset of the GBK that Excel on Chinese Windows writes for plain "CSV",
without the clerk choosing. Anything the reader cannot trust is refused with a ``FileRefused``
whose message says what to do; nothing is written before a file is read whole.
"""

import codecs
import csv
import datetime
import io
import json
import logging
import marshal
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets import xlsx_child
from governance.spreadsheets.xlsx_child import is_blank_row

logger = logging.getLogger(__name__)

FILE_TOO_LARGE = _("The file is larger than %(limit)s MB; split it into smaller files.")
FILE_FORMAT_UNKNOWN = _("Only .xlsx and .csv files can be imported (save an .xls file as .xlsx first).")
FILE_EMPTY = _("The file is empty.")
FILE_NO_DATA_ROWS = _("The file has a header row but no data rows.")
FILE_TOO_MANY_ROWS = _("The file has more than %(limit)s data rows; split it into smaller files.")
XLSX_CORRUPT = _("The file cannot be opened as an Excel workbook (it is damaged, truncated or not really .xlsx).")
XLSX_PROTECTED = _("The workbook is password-protected; remove the password and upload it again.")
XLSX_FORMULA = _(
    "Cell %(cell)s holds a formula. Copy the sheet and paste it back as values only, then upload it again."
)
XLSX_MERGED_CELLS = _("Cells %(cells)s are merged. Unmerge every cell so each row holds one record.")
XLSX_SECOND_SHEET = _(
    "Worksheet “%(sheet)s” also holds data. Only the first worksheet is imported: put every row there "
    "and delete the other worksheets."
)
# Limits of issue 11.5 (settings IMPORT_XLSX_*): an upload that claims more work than any real
# workbook needs is refused before it is parsed, or when its parse outgrows the child's limits.
XLSX_TOO_MANY_MEMBERS = _(
    "The workbook is made of %(count)s parts; an import accepts at most %(limit)s. It is not an ordinary "
    "Excel workbook: open it in Excel and save it again as .xlsx."
)
XLSX_MEMBER_TOO_LARGE = _(
    "The part “%(member)s” of the workbook unpacks to %(size)s MB; an import accepts at most %(limit)s MB "
    "per part. Split the file into smaller files."
)
XLSX_UNCOMPRESSED_TOO_LARGE = _(
    "The workbook unpacks to %(size)s MB; an import accepts at most %(limit)s MB. Split the file into smaller files."
)
XLSX_RATIO_TOO_HIGH = _(
    "The part “%(member)s” of the workbook unpacks to %(ratio)s times its packed size; an import accepts at "
    "most %(limit)s times. It is not an ordinary Excel workbook: open it in Excel and save it again as .xlsx."
)
XLSX_TOO_MANY_COLUMNS = _(
    "Cells as far right as column %(column)s hold values; a sheet may use at most %(limit)s columns. "
    "Delete the columns right of the data."
)
XLSX_TOO_LARGE_TO_READ = _(
    "The workbook cannot be read within the memory limit of %(limit)s MB: its cells span too large an area "
    "(perhaps a value far below or right of the data). Delete the rows and columns beyond the data, or split "
    "the file."
)
XLSX_TOO_SLOW = _("The workbook could not be read within %(limit)s seconds; split it into smaller files.")
CSV_ENCODING_UNKNOWN = _(
    "The CSV file’s text encoding is not recognised (only UTF-8 and GBK/GB18030 are). "
    "In Excel choose “Save as” → “CSV UTF-8”."
)
CSV_BROKEN = _("The CSV file cannot be read: %(reason)s")

# The explanations sheet of our own templates and the hidden sheet holding their drop-down
# lists; a filled-in template keeps them, and that is fine (only the first sheet is imported).
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "下拉选项"
TEMPLATE_SHEETS = frozenset({INSTRUCTIONS_SHEET, OPTIONS_SHEET})

XLSX, CSV = "xlsx", "csv"


class FileRefused(Exception):
    """The whole file is refused; ``message`` is shown to the clerk as it is."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    headers: list[str]
    # (row number as the clerk sees it in Excel, the row's cells)
    rows: list[tuple[int, list]] = field(default_factory=list)


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        return XLSX
    if suffix == ".csv":
        return CSV
    raise FileRefused(FILE_FORMAT_UNKNOWN)


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise FileRefused(FILE_TOO_LARGE % {"limit": limit // (1024 * 1024)})


def read_table(path: str | Path, fmt: str) -> Table:
    """The first row is the header; blank rows are skipped; cells keep their native types."""
    path = Path(path)
    check_size(path.stat().st_size)
    if path.stat().st_size == 0:
        raise FileRefused(FILE_EMPTY)
    rows = _xlsx_in_child(path, "rows") if fmt == XLSX else _csv_rows(path)
    table = None
    limit = settings.IMPORT_MAX_ROWS
    for number, cells in rows:
        if is_blank_row(cells):
            continue
        if table is None:
            table = Table(headers=[str(cell).strip() if cell is not None else "" for cell in cells])
            continue
        if len(table.rows) >= limit:
            raise FileRefused(FILE_TOO_MANY_ROWS % {"limit": limit})
        table.rows.append((number, cells))
    if table is None:
        raise FileRefused(FILE_EMPTY)
    if not table.rows:
        raise FileRefused(FILE_NO_DATA_ROWS)
    return table


def count_data_rows(path: str | Path, fmt: str) -> int:
    """An upper bound of the data rows, to decide whether an import runs in the background.
    An .xlsx is checked against the archive limits here, so a bomb is refused at upload."""
    path = Path(path)
    if fmt == CSV:
        with path.open("rb") as handle:
            return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
    if path.stat().st_size == 0:
        return 0  # read_table says the file is empty
    return _xlsx_in_child(path, "count")


# --- XLSX ---------------------------------------------------------------------------------


# The cells the child sends beside its rows (marshal carries no datetime), back to what calamine gave.
_TEMPORAL = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timedelta": lambda seconds: datetime.timedelta(seconds=seconds),
}


def _xlsx_in_child(path: Path, mode: str):
    """Run ``xlsx_child`` on the file (``mode``: "count" or "rows") under the configured limits;
    its refusals, an abort, MemoryError or running out of time are ``FileRefused`` here."""
    seconds = settings.IMPORT_XLSX_READ_SECONDS
    limits = {
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_columns": settings.IMPORT_XLSX_MAX_COLUMNS,
        "max_members": settings.IMPORT_XLSX_MAX_MEMBERS,
        "max_member_bytes": settings.IMPORT_XLSX_MAX_MEMBER_BYTES,
        "max_total_bytes": settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES,
        "max_ratio": settings.IMPORT_XLSX_MAX_RATIO,
        "memory_bytes": settings.IMPORT_XLSX_READ_MEMORY_BYTES,
        "seconds": seconds,
    }
    arguments = json.dumps(
        {"path": str(path), "mode": mode, "limits": limits, "template_sheets": sorted(TEMPLATE_SHEETS)}
    )
    try:
        # -I: a fresh interpreter that reads no PYTHON* variables and imports nothing from the
        # project folder; the child imports only the standard library and python-calamine.
        done = subprocess.run(
            [sys.executable, "-I", xlsx_child.__file__, arguments], capture_output=True, timeout=seconds
        )
    except subprocess.TimeoutExpired:
        raise FileRefused(XLSX_TOO_SLOW % {"limit": seconds}) from None
    if done.returncode == 0:
        answer = marshal.loads(done.stdout)
        if answer[0] == "refused":
            raise FileRefused(_refusal(answer[1], answer[2]))
        if answer[0] == "rows":
            _, rows, temporal = answer
            for row_index, cell_index, kind, value in temporal:
                rows[row_index][1][cell_index] = _TEMPORAL[kind](value)
            return rows
        return answer[1]
    stderr = done.stderr.decode(errors="replace")
    if done.returncode == -signal.SIGXCPU:
        raise FileRefused(XLSX_TOO_SLOW % {"limit": seconds})
    if done.returncode == xlsx_child.OUT_OF_MEMORY or done.returncode < 0:
        # calamine's abort says how much it asked for ("memory allocation of 549755813888 bytes failed")
        logger.warning("the .xlsx reader ended with status %s (memory limit): %s", done.returncode, stderr[:300])
        raise FileRefused(XLSX_TOO_LARGE_TO_READ % {"limit": _megabytes(settings.IMPORT_XLSX_READ_MEMORY_BYTES)})
    raise RuntimeError(f"the .xlsx reader failed with status {done.returncode}: {stderr[-2000:]}")


def _refusal(code: str, params: dict):
    """The clerk's message for a refusal of the child; sizes (in bytes there) in MB."""
    if "size" in params:
        params = {**params, "size": _megabytes(params["size"]), "limit": _megabytes(params["limit"])}
    message = _CHILD_REFUSALS[code]
    return message % params if params else message


def _megabytes(size: int) -> int:
    return max(round(size / (1024 * 1024)), 1)


_CHILD_REFUSALS = {
    "corrupt": XLSX_CORRUPT,
    "protected": XLSX_PROTECTED,
    "formula": XLSX_FORMULA,
    "merged": XLSX_MERGED_CELLS,
    "second_sheet": XLSX_SECOND_SHEET,
    "too_many_rows": FILE_TOO_MANY_ROWS,
    "too_many_columns": XLSX_TOO_MANY_COLUMNS,
    "too_many_members": XLSX_TOO_MANY_MEMBERS,
    "member_too_large": XLSX_MEMBER_TOO_LARGE,
    "too_large_unpacked": XLSX_UNCOMPRESSED_TOO_LARGE,
    "ratio_too_high": XLSX_RATIO_TOO_HIGH,
}


# --- CSV ----------------------------------------------------------------------------------


def decode_csv(raw: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312); anything else is refused."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(CSV_ENCODING_UNKNOWN)
    if b"\x00" in raw:
        raise FileRefused(CSV_ENCODING_UNKNOWN)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(CSV_ENCODING_UNKNOWN)


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    content = decode_csv(path.read_bytes())
    first_line = content.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise FileRefused(CSV_BROKEN % {"reason": error}) from None
