"""Building uploaded files the way Excel and clerks make them."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_bytes(rows: list[list], *, title: str = "Sheet1", extra_sheets: dict | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, extra_rows in (extra_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in extra_rows:
            other.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    # Excel writes CRLF line ends and quotes only where needed.
    text = "\r\n".join(",".join(_quote(str(cell)) for cell in row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def _quote(cell: str) -> str:
    return f'"{cell}"' if any(char in cell for char in ',"\n') else cell


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- hand-made workbooks: the least XML an .xlsx reader accepts, for files no spreadsheet
# program would write (bombs of issue 11.5, a NUL inside a cell) -----------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats'
    '-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline_cells(rows: dict[int, dict[str, str]]) -> str:
    """``{1: {"A": "姓名"}, 1048576: {"XFD": "x"}}`` as <sheetData> rows of inline strings."""
    return "".join(
        f'<row r="{number}">'
        + "".join(f'<c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for column, text in cells.items())
        + "</row>"
        for number, cells in sorted(rows.items())
    )


def handmade_xlsx(sheet_data: str, *, dimension: str | None = None, extra_members: dict | None = None) -> bytes:
    """A one-sheet workbook holding ``sheet_data`` (the inside of <sheetData>), declaring
    ``dimension`` if given; ``extra_members`` adds parts (name → bytes) to the zip."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main">{declared}<sheetData>{sheet_data}</sheetData></worksheet>'
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra_members or {}).items():
            archive.writestr(name, content)
    return output.getvalue()
