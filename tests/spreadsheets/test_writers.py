import datetime
import io

import pytest
from openpyxl import load_workbook

from governance.resources import UnitSheet
from governance.spreadsheets.readers import INSTRUCTIONS_SHEET
from governance.spreadsheets.writers import csv_stream, safe_cell, template_file, xlsx_file

DANGEROUS = ["=1+2", "+86 138", "-5", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_could_run_as_a_formula_gets_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "a=b", "", 12, -5, 3.5, datetime.date(2022, 2, 11)])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_booleans_are_written_as_chinese_yes_no():
    assert (safe_cell(True), safe_cell(False), safe_cell(None)) == ("是", "否", "")


def test_csv_export_is_utf8_with_bom_and_escaped():
    content = "".join(csv_stream(["名称", "数"], [["=1+2", -5], ["@x", datetime.date(2022, 2, 11)]]))
    assert content.startswith("\ufeff名称,数\r\n")
    assert "'=1+2,-5\r\n" in content and "'@x,2022-02-11\r\n" in content


def test_xlsx_export_escapes_text_and_keeps_numbers_and_dates():
    output = xlsx_file("单位", ["名称", "数", "日期"], [["=1+2", -5, datetime.date(2022, 2, 11)], ["-x", 3.5, None]])
    sheet = load_workbook(output).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("名称", "数", "日期")
    assert rows[1] == ("'=1+2", -5, datetime.datetime(2022, 2, 11))
    assert rows[2][0] == "'-x" and rows[2][1] == 3.5
    assert sheet["A2"].data_type == "s" and sheet["B2"].data_type == "n" and sheet["C2"].is_date


def test_template_has_the_chinese_header_an_example_and_an_explanations_sheet():
    workbook = load_workbook(io.BytesIO(template_file(UnitSheet)))
    assert workbook.sheetnames == ["单位", INSTRUCTIONS_SHEET]
    rows = list(workbook["单位"].iter_rows(values_only=True))
    assert rows[0] == ("单位代码", "单位名称", "单位类型", "上级单位代码", "行业领域", "编制定额", "试点")
    assert rows[1][:3] == ("419921100002", "北关村", "村")
    guide = list(workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    kind_row = next(row for row in guide if row[0] == "单位类型")
    assert kind_row[2] == "必填" and "县直部门" in kind_row[3] and "镇" in kind_row[3]
