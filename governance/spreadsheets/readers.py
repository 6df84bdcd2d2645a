"""Reading an uploaded file into a header row and data rows (step 1 of 3: parse, pure).

XLSX is read with python-calamine (about 12× faster than openpyxl's read-only mode, DESIGN.md
§7); CSV is decoded as UTF-8 (with or without the BOM Excel writes for "CSV UTF-8") or
GB18030, the superset of the GBK that Excel on Chinese Windows writes for plain "CSV",
without the clerk choosing. Anything the reader cannot trust is refused with a ``FileRefused``
whose message says what to do; nothing is written before a file is read whole.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from governance.spreadsheets.normalise import is_blank

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
    rows = _xlsx_rows(path) if fmt == XLSX else _csv_rows(path)
    table = None
    limit = settings.IMPORT_MAX_ROWS
    for number, cells in rows:
        if _is_blank_row(cells):
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


def _is_blank_row(cells: list) -> bool:
    first = cells[0] if cells else None
    if first is not None and not is_blank(first):
        return False  # the common row, told by its first cell
    return all(is_blank(cell) for cell in cells)


def count_data_rows(path: str | Path, fmt: str) -> int:
    """A quick upper bound of the data rows, to decide whether an import runs in the background."""
    path = Path(path)
    if fmt == CSV:
        with path.open("rb") as handle:
            return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            return max(workbook.get_sheet_by_index(0).height - 1, 0)
    except Exception:  # a damaged file is reported by read_table, in the import itself
        return 0


# --- XLSX ---------------------------------------------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"')


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list]]:
    _xlsx_refuse_formulas(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise FileRefused(XLSX_PROTECTED) from None
    except Exception:
        raise FileRefused(XLSX_CORRUPT) from None
    with workbook:
        try:
            sheets = [workbook.get_sheet_by_index(index) for index in range(len(workbook.sheet_names))]
            first = sheets[0]
            for other in sheets[1:]:
                if (
                    other.name not in TEMPLATE_SHEETS
                    and other.height
                    and any(not is_blank(cell) for row in other.iter_rows() for cell in row)
                ):
                    raise FileRefused(XLSX_SECOND_SHEET % {"sheet": other.name})
            merged = first.merged_cell_ranges or []
            if merged:
                (top, left), (bottom, right) = merged[0]
                raise FileRefused(XLSX_MERGED_CELLS % {"cells": f"{_cell_name(top, left)}:{_cell_name(bottom, right)}"})
            start_row = first.start[0] if first.start else 0
            # to_python reads the whole used range at once: about 2.5× faster than iter_rows.
            for offset, cells in enumerate(first.to_python()):
                yield start_row + offset + 1, cells
        except FileRefused:
            raise
        except Exception:
            raise FileRefused(XLSX_CORRUPT) from None


def _xlsx_refuse_formulas(path: Path) -> None:
    """Calamine reads a formula's cached value (often none): a formula is refused, not guessed."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
            if not names:
                raise FileRefused(XLSX_CORRUPT)
            for name in names:
                with archive.open(name) as member:
                    tail = b""
                    for chunk in iter(lambda member=member: member.read(1 << 20), b""):
                        window = tail + chunk
                        found = _FORMULA.search(window)
                        if found:
                            refs = _CELL_REF.findall(window, 0, found.start())
                            cell = refs[-1].decode() if refs else "?"
                            raise FileRefused(XLSX_FORMULA % {"cell": cell})
                        tail = window[-256:]
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile, ValueError):
        raise FileRefused(XLSX_CORRUPT) from None


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row + 1}"


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
