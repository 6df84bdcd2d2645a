import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from governance.spreadsheets import readers
from governance.spreadsheets.readers import CSV, XLSX, FileRefused, read_table
from tests.spreadsheets.sheets import csv_bytes, xlsx_bytes

ROWS = [["姓名", "日期", "人数"], ["张三", "2022/2/11", "3"], ["李四", "2022年2月11日", "4"]]


def _read(tmp_path, content: bytes, fmt: str):
    path = tmp_path / f"upload.{fmt}"
    path.write_bytes(content)
    return read_table(path, fmt)


def _refusal(tmp_path, content: bytes, fmt: str) -> str:
    with pytest.raises(FileRefused) as caught:
        _read(tmp_path, content, fmt)
    return str(caught.value.message)


def test_xlsx_keeps_native_cells_and_excel_row_numbers(tmp_path):
    table = _read(tmp_path, xlsx_bytes([ROWS[0], [], ["张三", datetime.date(2022, 2, 11), 3]]), XLSX)
    assert table.headers == ["姓名", "日期", "人数"]
    assert table.rows == [(3, ["张三", datetime.date(2022, 2, 11), 3.0])]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("gb18030", False), ("gbk", False)])
def test_csv_encoding_is_detected(tmp_path, encoding, bom):
    table = _read(tmp_path, csv_bytes(ROWS, encoding=encoding, bom=bom), CSV)
    assert table.headers == ROWS[0]
    assert [cells for _number, cells in table.rows] == ROWS[1:]


def test_gb18030_csv_as_excel_saves_it(tmp_path):
    """Excel on Chinese Windows, "CSV (逗号分隔)": GBK bytes, CRLF, quotes around a comma,
    and a character only GB18030 (four bytes) encodes."""
    content = '姓名,单位,备注\r\n王𠀀,清河县住建局,"有逗号,的备注"\r\n'.encode("gb18030")
    table = _read(tmp_path, content, CSV)
    assert table.rows == [(2, ["王𠀀", "清河县住建局", "有逗号,的备注"])]


def test_tab_separated_text_is_read(tmp_path):
    table = _read(tmp_path, "姓名\t人数\r\n张三\t3\r\n".encode(), CSV)
    assert table.rows == [(2, ["张三", "3"])]


@pytest.mark.parametrize(
    "content",
    ["姓名,人数\r\n张三,3\r\n".encode("utf-16"), b"\xff\xfe\xfd\x80\x81,\xfe\xff\r\n\x80\xff,1\r\n"],
)
def test_csv_in_an_unknown_encoding_is_refused(tmp_path, content):
    assert _refusal(tmp_path, content, CSV) == str(readers.CSV_ENCODING_UNKNOWN)


def test_empty_file_and_header_only_file_are_refused(tmp_path):
    assert _refusal(tmp_path, b"", CSV) == str(readers.FILE_EMPTY)
    assert _refusal(tmp_path, b"\r\n\r\n", CSV) == str(readers.FILE_EMPTY)
    assert _refusal(tmp_path, csv_bytes([ROWS[0]]), CSV) == str(readers.FILE_NO_DATA_ROWS)
    assert _refusal(tmp_path, xlsx_bytes([ROWS[0]]), XLSX) == str(readers.FILE_NO_DATA_ROWS)
    assert _refusal(tmp_path, xlsx_bytes([]), XLSX) == str(readers.FILE_EMPTY)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_xlsx_is_refused(tmp_path, cut):
    content = xlsx_bytes(ROWS)
    assert _refusal(tmp_path, content[: int(len(content) * cut)], XLSX) == str(readers.XLSX_CORRUPT)


def test_a_text_file_named_xlsx_is_refused(tmp_path):
    assert _refusal(tmp_path, csv_bytes(ROWS), XLSX) == str(readers.XLSX_CORRUPT)


def test_formula_is_refused_naming_the_cell(tmp_path):
    workbook = Workbook()
    workbook.active.append(ROWS[0])
    workbook.active.append(["张三", "2022-02-11", "=1+2"])
    output = io.BytesIO()
    workbook.save(output)
    assert _refusal(tmp_path, output.getvalue(), XLSX) == str(readers.XLSX_FORMULA % {"cell": "C2"})


def test_merged_cells_are_refused(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    output = io.BytesIO()
    workbook.save(output)
    assert _refusal(tmp_path, output.getvalue(), XLSX) == str(readers.XLSX_MERGED_CELLS % {"cells": "A2:A3"})


def test_data_on_a_second_sheet_is_refused_but_the_instructions_sheet_is_not(tmp_path):
    refused = xlsx_bytes(ROWS, extra_sheets={"Sheet2": [["王五", "2022-01-01", "1"]]})
    assert _refusal(tmp_path, refused, XLSX) == str(readers.XLSX_SECOND_SHEET % {"sheet": "Sheet2"})
    accepted = xlsx_bytes(ROWS, extra_sheets={readers.INSTRUCTIONS_SHEET: [["列名"], ["姓名"]], "空白": []})
    assert len(_read(tmp_path, accepted, XLSX).rows) == 2


def test_a_million_empty_styled_rows_read_as_the_rows_that_hold_data(tmp_path):
    """Excel files often carry formatting down to row 1,048,576; those rows are not data."""
    base = xlsx_bytes(ROWS)
    styled = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>' for n in range(4, 1_000_001))
    source = zipfile.ZipFile(io.BytesIO(base))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", styled.encode() + b"</sheetData>").replace(
                    b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:C1000000"/>'
                )
            target.writestr(item, data)
    table = _read(tmp_path, output.getvalue(), XLSX)
    assert [number for number, _cells in table.rows] == [2, 3]


def test_too_many_rows_are_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 1
    assert _refusal(tmp_path, csv_bytes(ROWS), CSV) == str(readers.FILE_TOO_MANY_ROWS % {"limit": 1})


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    content = csv_bytes(ROWS) + b"x" * (1024 * 1024)
    assert _refusal(tmp_path, content, CSV) == str(readers.FILE_TOO_LARGE % {"limit": 1})


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a", "a.ods"])
def test_only_xlsx_and_csv(name):
    with pytest.raises(FileRefused):
        readers.file_format(name)
