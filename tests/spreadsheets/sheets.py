"""Building uploaded files the way Excel and clerks make them."""

import io

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
