"""Writing sheets: exports (streamed), templates and failed-rows files, all formula-safe.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel as a formula (OWASP "CSV injection"); it is written with a leading ``'`` so it stays text.
django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading ``=``.
Numbers and dates are not text: they stay numbers and dates in XLSX.
"""

import codecs
import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation

from governance.spreadsheets.readers import INSTRUCTIONS_SHEET, OPTIONS_SHEET
from governance.spreadsheets.resources import SheetResource

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DATE_FORMAT = "yyyy-mm-dd"
_WRAP = Alignment(wrap_text=True, vertical="top")


def safe_cell(value):
    """The value as a spreadsheet should hold it: text that could run as a formula is prefixed
    with ``'``; booleans become 是/否; numbers and dates are left alone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    def write(self, value):
        return value


def csv_stream(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 with a BOM, so Excel on Chinese Windows opens it without mojibake; one row at a time."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8")
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_csv_text(safe_cell(value)) for value in row])


def _csv_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _xlsx_row(sheet, values: Iterable, *, header: bool = False, wrap_last: bool = False) -> list:
    cells = []
    for value in values:
        value = safe_cell(value)
        try:
            cell = WriteOnlyCell(sheet, value=value)
        except IllegalCharacterError:
            # A failed row may hold a NUL from the upload (that is why it failed, issue 11.7); an
            # XLSX cell cannot hold it or other control characters, so the copy goes without them.
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        if header:
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
        elif isinstance(cell.value, datetime.date):
            cell.number_format = _DATE_FORMAT
        cells.append(cell)
    if wrap_last and cells and not header:
        cells[-1].alignment = _WRAP  # one reason a line
    return cells


# A worksheet holds 1,048,576 rows; one is the header.
XLSX_MAX_DATA_ROWS = 1_048_575


def xlsx_file(
    sheet_name: str, headers: list[str], rows: Iterable[list], *, wrap_last: bool = False, **extra_sheets
) -> tempfile.SpooledTemporaryFile:
    """A write-only workbook (rows go straight to a temporary file, so memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    if wrap_last:
        sheet.column_dimensions[get_column_letter(len(headers))].width = 60
    sheet.append(_xlsx_row(sheet, headers, header=True))
    for row in rows:
        sheet.append(_xlsx_row(sheet, row, wrap_last=wrap_last))
    for title, (extra_headers, extra_rows) in extra_sheets.items():
        other = workbook.create_sheet(title)
        other.append(_xlsx_row(other, extra_headers, header=True))
        for row in extra_rows:
            other.append(_xlsx_row(other, row))
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output


def template_file(resource: SheetResource) -> bytes:
    """The empty template for ``resource``'s user: header row, one example row naming units of
    the user's own jurisdiction, a drop-down of the accepted words on every choice column (the
    lists on a hidden sheet, since an inline list holds 255 characters at most), and a sheet
    explaining every column in the same words."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = resource.sheet_name
    examples = resource.template_examples()
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    for index, column in enumerate(resource.columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        example = sheet.cell(row=2, column=index, value=safe_cell(examples.get(column.field, column.example)))
        # Long numbers (ID numbers, codes) must stay text, or Excel drops their last digits.
        example.number_format = "@"
        sheet.column_dimensions[header.column_letter].width = max(12, len(column.header) * 2 + 4)
        if column.choices:
            listed = len(sheet.data_validations.dataValidation) + 1
            sheet.add_data_validation(_drop_down(options, listed, column, header.column_letter))
    sheet.freeze_panes = "A2"
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET, index=1), resource)
    output = tempfile.SpooledTemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output.read()


def _drop_down(options, target: int, column, letter: str) -> DataValidation:
    """The column's accepted words listed in column ``target`` of the hidden options sheet,
    offered as a drop-down on the column below the header. Typing another word only warns: the
    importer also reads common synonyms (党员, 大专…), and says what is wrong with anything else."""
    options.cell(row=1, column=target, value=column.header)
    for row, word in enumerate(column.choices, start=2):
        options.cell(row=row, column=target, value=word)
    source = get_column_letter(target)
    validation = DataValidation(
        type="list",
        formula1=f"'{OPTIONS_SHEET}'!${source}$2:${source}${len(column.choices) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=column.header,
        error=_drop_down_message(column.choices),
    )
    validation.add(f"{letter}2:{letter}{XLSX_MAX_DATA_ROWS + 1}")
    return validation


def _drop_down_message(words: list[str]) -> str:
    """Excel shows at most 255 characters: the words themselves if they fit, else where to read them."""
    listed = f"请从下拉列表中选择。可选：{'、'.join(words)}"
    return listed if len(listed) <= 255 else f"请从下拉列表中选择；可选值见“{INSTRUCTIONS_SHEET}”工作表。"


def _instructions(guide, resource: SheetResource) -> None:
    guide.append(["列名", "英文列名", "是否必填", "填写要求"])
    for cell in guide[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in resource.columns:
        guide.append([column.header, column.field, "必填" if column.required else "选填", str(column.rule or "")])
    guide.append([])
    guide.append(
        [
            "说明",
            "",
            "",
            "第一行是表头，请勿修改；示例行请删除或改写后再导入；有下拉列表的列请从列表中选择；"
            "不要使用公式和合并单元格；只导入第一个工作表。",
        ]
    )
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["D"].width = 80
    for row in guide.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True)
