import datetime
import io

import pytest
from openpyxl import load_workbook

from governance.resources import UnitSheet
from governance.spreadsheets.readers import INSTRUCTIONS_SHEET, OPTIONS_SHEET
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


def test_template_has_the_chinese_header_an_example_and_an_explanations_sheet(county, owner):
    workbook = load_workbook(io.BytesIO(template_file(UnitSheet(owner))))
    assert workbook.sheetnames == ["单位", INSTRUCTIONS_SHEET, OPTIONS_SHEET]
    rows = list(workbook["单位"].iter_rows(values_only=True))
    assert rows[0] == ("单位代码", "单位名称", "单位类型", "上级单位代码", "行业领域", "编制定额", "试点")
    # A new village under the clerk's own township, with the first code not yet taken (…001 is 东关村).
    assert rows[1][:4] == ("419921100002", "北关村", "村", "419921100000")
    guide = list(workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True))
    kind_row = next(row for row in guide if row[0] == "单位类型")
    assert kind_row[2] == "必填" and "县直部门" in kind_row[3] and "镇" in kind_row[3]


# --- issue 9: a template a clerk fills without reading the manual ---


def _drop_downs(workbook, sheet_name) -> dict[str, list[str]]:
    """Header → the words its drop-down offers, read back through the validation's range."""
    sheet, options = workbook[sheet_name], workbook[OPTIONS_SHEET]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list" and validation.allow_blank
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        source = validation.formula1.split("!")[1].replace("$", "")
        found[headers[column]] = [cell.value for row in options[source] for cell in row]
    return found


def test_the_cadre_template_offers_exactly_the_accepted_words_and_names_the_clerks_unit(county, owner, outsider):
    from staffing.ranks import RANK_WORDS
    from staffing.resources import EDUCATION, GENDER, POLITICAL_STATUS, RANK, STAFF_CATEGORY, CadreSheet

    workbook = load_workbook(io.BytesIO(template_file(CadreSheet(owner))))
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"
    menus = _drop_downs(workbook, "干部")
    assert set(menus) == {"性别", "政治面貌", "学历", "人员类别", "职级", "领导职务层次"}
    assert menus["性别"] == ["男", "女"] and menus["学历"] == EDUCATION.choices()
    assert "中专及高中" in menus["学历"] and "民主党派成员" in menus["政治面貌"]
    assert menus["职级"] == [words[0] for words in RANK_WORDS.values()] and "一级科员" in menus["职级"]
    for vocabulary, header in (
        (GENDER, "性别"),
        (POLITICAL_STATUS, "政治面貌"),
        (STAFF_CATEGORY, "人员类别"),
        (RANK, "职级"),
    ):
        assert all(vocabulary(word) for word in menus[header])  # every offered word imports

    rows = list(workbook["干部"].iter_rows(values_only=True))
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["编制单位"] == "城关镇" and example["职级"] == "一级科员" and example["人员类别"] == "公务员"
    theirs = dict(
        zip(
            rows[0], list(load_workbook(io.BytesIO(template_file(CadreSheet(outsider))))["干部"].values)[1], strict=True
        )
    )
    assert theirs["编制单位"] == "柳林镇"


def test_the_instructions_use_exactly_the_accepted_words(county, owner):
    from staffing.ranks import RANK_WORDS
    from staffing.resources import CadreSheet

    workbook = load_workbook(io.BytesIO(template_file(CadreSheet(owner))))
    guide = {row[0]: row[3] for row in workbook[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if row and row[0]}
    for words in RANK_WORDS.values():
        assert words[0] in guide["职级"]
    assert "副科级" in guide["职级"] and "2019年以前" in guide["职级"]
    assert guide["学历"] == "研究生、大学本科、大学专科、中专及高中、其他"
    assert guide["人员类别"] == "公务员、参照公务员法管理、事业编制、其他"
