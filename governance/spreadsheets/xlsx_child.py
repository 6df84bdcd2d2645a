"""Everything that unpacks an uploaded .xlsx, run in a child process with bounded memory (issue 11.5).

An .xlsx is a zip of XML, and a small upload can claim any amount of work: a 2 KB file holding
one cell at XFD1048576 makes python-calamine allocate 550 GB and abort the whole process
(SIGABRT, which no ``except`` catches), and a 1 MB file can unpack to a gigabyte of shared
strings. So no part of an upload is unpacked in the web or Celery process. ``readers`` starts
this file as a fresh interpreter (``python -I xlsx_child.py '<json>'``: about 20 ms, no Django),
which first limits its own address space, CPU time and core size, then

1. checks the archive before any parser runs: the number of parts, each part's declared
   unpacked size, their total and each part's compression ratio;
2. counting (at upload, to choose between the preview and the background): returns the row
   count from the first sheet's declared ``<dimension>`` when that lies within the limits (read
   from the first 64 KB of the sheet, nothing more), else calamine's height of the sheet;
3. reading: scans the sheets' XML for formulas (streamed, 1 MB at a time), then reads the first
   sheet with python-calamine, dropping blank rows, refusing what the import cannot trust
   (merged cells, data on a second sheet, too many rows or columns).

It writes one answer to stdout with ``marshal`` (five times faster than pickle for 100,000 rows,
and it builds no class: it carries only built-in types, so dates travel as ISO text beside the
rows): ``("count", data rows)``, ``("rows", [(row number, cells), …], [(row index, cell index,
kind, ISO text), …])`` (the non-blank rows, header first) or ``("refused", code, params)``; the
parent turns a code into the clerk's message. An abort or ``MemoryError`` here becomes "too
large to read" there.

A declared dimension is a hint, not the truth: calamine sizes its grid from the cells that hold
values, and real files from the counties declare the whole sheet (``A1:XFD1048576``) while
holding a few dozen rows (DESIGN.md §8). A dimension within the limits gives the row count
without parsing (it decides only whether the import runs in the background); one beyond them
is neither trusted nor refused: the sheet is then read here, under the memory limit.
"""

import datetime
import gc
import json
import marshal
import re
import resource
import sys
import zipfile
from dataclasses import dataclass

# The child's exit status when it ran out of memory in Python (calamine's Rust code aborts instead).
OUT_OF_MEMORY = 3

# A part this small cannot exhaust anything, whatever its ratio (an empty sheet's XML packs 20:1).
RATIO_GRACE_BYTES = 1 << 20
# <dimension> is the second element of a worksheet, within its first few hundred bytes.
DIMENSION_WINDOW = 1 << 16
# workbook.xml and its relationships name the sheets: kilobytes in any real file.
WORKBOOK_PART_LIMIT = 1 << 20

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL_REF = re.compile(rb'<(?:\w+:)?c r="([A-Z]+[0-9]+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_FIRST_SHEET_ID = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?\b(?:\w+:)?id="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


class Refused(Exception):
    """The file is refused; ``code`` names the parent's message, ``params`` fill it in."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows (IMPORT_MAX_ROWS); the header comes on top
    max_columns: int
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int
    memory_bytes: int
    seconds: int


def main() -> None:
    arguments = json.loads(sys.argv[1])
    limits = Limits(**arguments["limits"])
    confine(limits)
    gc.disable()  # the rows live until the process ends; the collector would only rescan them
    try:
        answer = answer_for(arguments["path"], arguments["mode"], limits, frozenset(arguments["template_sheets"]))
    except Refused as refusal:
        answer = ("refused", refusal.code, refusal.params)
    except MemoryError:
        sys.exit(OUT_OF_MEMORY)
    try:
        sys.stdout.buffer.write(marshal.dumps(answer))
    except MemoryError:
        sys.exit(OUT_OF_MEMORY)


def confine(limits: Limits) -> None:
    """Past the address-space limit an allocation fails (calamine aborts, Python raises
    MemoryError); past the CPU limit the kernel ends the process even if the parent is gone;
    no core file is written of a process that may have mapped gigabytes."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def answer_for(path: str, mode: str, limits: Limits, template_sheets: frozenset) -> tuple:
    try:
        with zipfile.ZipFile(path) as archive:
            archive_check(archive, limits)
            if mode == "count":
                dimension = declared_dimension(archive)
                if dimension is not None and dimension[0] <= limits.max_rows + 1 and dimension[1] <= limits.max_columns:
                    return ("count", max(dimension[0] - 1, 0))
            else:
                refuse_formulas(archive)
    except (Refused, MemoryError):
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError…: whatever a damaged archive raises (issue 11.7)
        raise Refused("corrupt") from None
    if mode == "count":
        return ("count", first_sheet_height(path, limits))
    rows = read_first_sheet(path, limits, template_sheets)
    return ("rows", rows, temporal_cells(rows))


# --- the archive ----------------------------------------------------------------------------------


def archive_check(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The sizes the archive declares, before anything is unpacked. (Python's zipfile stops at a
    part's declared size; calamine's reader may not, which is why it runs under the memory limit.)"""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise Refused("too_many_members", count=len(members), limit=limits.max_members)
    total = 0
    for member in members:
        if member.file_size > limits.max_member_bytes:
            name, size = member.filename[-100:], member.file_size
            raise Refused("member_too_large", member=name, size=size, limit=limits.max_member_bytes)
        if member.file_size > RATIO_GRACE_BYTES and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise Refused("ratio_too_high", member=member.filename[-100:], ratio=ratio, limit=limits.max_ratio)
        total += member.file_size
    if total > limits.max_total_bytes:
        raise Refused("too_large_unpacked", size=total, limit=limits.max_total_bytes)


# --- counting: the declared dimension -------------------------------------------------------------


def declared_dimension(archive: zipfile.ZipFile) -> tuple[int, int] | None:
    """(rows, columns) of the first sheet's ``<dimension ref="A1:L100001"/>``, or None when it
    cannot be told from the first bytes of the sheet."""
    name = first_sheet_member(archive)
    if name is None:
        return None
    with archive.open(name) as sheet:
        found = _DIMENSION.search(sheet.read(DIMENSION_WINDOW))
    if found is None:
        return None
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:  # a single cell, "A1"
        last_column, last_row = first_column, first_row
    rows = int(last_row) - int(first_row) + 1
    columns = column_number(last_column.decode()) - column_number(first_column.decode()) + 1
    return (rows, columns) if rows > 0 and columns > 0 else None


def first_sheet_member(archive: zipfile.ZipFile) -> str | None:
    """The part holding the workbook's first sheet (the one calamine reads as index 0): its
    relationship id in ``xl/workbook.xml``, its target in ``xl/_rels/workbook.xml.rels``."""
    try:
        workbook = _read_small(archive, "xl/workbook.xml")
        relationships = _read_small(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    found = _FIRST_SHEET_ID.search(workbook)
    if found is None:
        return None
    for relationship in _RELATIONSHIP.finditer(relationships):
        attributes = dict(_ATTRIBUTE.findall(relationship.group(1)))
        if attributes.get(b"Id") == found.group(1) and b"Target" in attributes:
            target = attributes[b"Target"].decode(errors="replace")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(WORKBOOK_PART_LIMIT)


# --- reading: formulas ----------------------------------------------------------------------------


def refuse_formulas(archive: zipfile.ZipFile) -> None:
    """Calamine reads a formula's cached value (often none): a formula is refused, not guessed."""
    names = [name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if not names:
        raise Refused("corrupt")
    for name in names:
        with archive.open(name) as member:
            tail = b""
            for chunk in iter(lambda member=member: member.read(1 << 20), b""):
                window = tail + chunk
                found = _FORMULA.search(window)
                if found:
                    refs = _CELL_REF.findall(window, 0, found.start())
                    raise Refused("formula", cell=refs[-1].decode() if refs else "?")
                tail = window[-256:]


# --- calamine -------------------------------------------------------------------------------------


def first_sheet_height(path: str, limits: Limits) -> int:
    """Data rows of the first sheet as calamine sizes it (blank rows between values included): an
    upper bound, as a declared dimension is."""
    with _workbook(path) as workbook:
        first = _sheets(workbook, limits)[0]
        return max(first.height - 1, 0)


def read_first_sheet(path: str, limits: Limits, template_sheets: frozenset) -> list[tuple[int, list]]:
    """The first sheet's non-blank rows, header included, as (row number in Excel, cells);
    cells keep their types. ``readers.read_table`` takes the header and judges the rest. Other
    sheets must be blank, except our templates' own (``template_sheets``)."""
    with _workbook(path) as workbook:
        sheets = _sheets(workbook, limits)
        first = sheets[0]
        try:
            for other in sheets[1:]:
                if (
                    other.name not in template_sheets
                    and other.height
                    and any(not is_blank(cell) for row in other.iter_rows() for cell in row)
                ):
                    raise Refused("second_sheet", sheet=other.name)
            merged = first.merged_cell_ranges or []
            if merged:
                (top, left), (bottom, right) = merged[0]
                raise Refused("merged", cells=f"{column_name(left)}{top + 1}:{column_name(right)}{bottom + 1}")
            start_row = first.start[0] if first.start else 0
            # to_python reads the whole used range at once: about 2.5× faster than iter_rows.
            cells_by_row = first.to_python()
        except (Refused, MemoryError):
            raise
        except Exception:
            raise Refused("corrupt") from None
    rows = []
    for offset, cells in enumerate(cells_by_row):
        if is_blank_row(cells):
            continue
        if len(rows) > limits.max_rows:  # the header and max_rows data rows are there already
            raise Refused("too_many_rows", limit=limits.max_rows)
        rows.append((start_row + offset + 1, cells))
    return rows


def _workbook(path: str):
    import python_calamine  # here, so that the parent imports this module without loading it

    try:
        return python_calamine.CalamineWorkbook.from_path(path)
    except python_calamine.PasswordError:
        raise Refused("protected") from None
    except Exception:
        raise Refused("corrupt") from None


def _sheets(workbook, limits: Limits) -> list:
    """Every sheet, read; the first within the column limit. Here calamine sizes each sheet's grid
    from its outermost values: the allocation the memory limit bounds."""
    try:
        sheets = [workbook.get_sheet_by_index(index) for index in range(len(workbook.sheet_names))]
    except MemoryError:
        raise
    except Exception:
        raise Refused("corrupt") from None
    if not sheets:  # a workbook part naming no sheet: Excel cannot open it either (found by hypothesis)
        raise Refused("corrupt")
    first = sheets[0]
    if first.width > limits.max_columns:
        last = (first.start[1] if first.start else 0) + first.width - 1
        raise Refused("too_many_columns", column=column_name(last), limit=limits.max_columns)
    return sheets


# What calamine gives a date, time or duration cell; marshal carries none of them.
_TEMPORAL_TYPES = frozenset({datetime.datetime, datetime.date, datetime.time, datetime.timedelta})


def temporal_cells(rows: list[tuple[int, list]]) -> list[tuple]:
    """The cells marshal cannot carry, as (row index, cell index, kind, ISO text or seconds), each
    replaced in its row by None; ``readers`` puts them back."""
    found = []
    for row_index, (_number, cells) in enumerate(rows):
        for cell_index, cell in enumerate(cells):
            if type(cell) in _TEMPORAL_TYPES:
                if isinstance(cell, datetime.timedelta):
                    found.append((row_index, cell_index, "timedelta", cell.total_seconds()))
                else:
                    found.append((row_index, cell_index, type(cell).__name__, cell.isoformat()))
                cells[cell_index] = None
    return found


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(cells: list) -> bool:
    first = cells[0] if cells else None
    if first is not None and not is_blank(first):
        return False  # the common row, told by its first cell
    return all(is_blank(cell) for cell in cells)


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 16383 → XFD."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_number(letters: str) -> int:
    """A → 1, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


if __name__ == "__main__":
    main()
