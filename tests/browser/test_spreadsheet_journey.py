"""Journey 7 of issue 9: a township clerk downloads the cadres template, fills it with two bad
rows, uploads it, reads every reason in the preview, downloads the failed rows, fixes them,
uploads again and confirms; then exports the list."""

import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from staffing.idnumbers import id_number_compose
from staffing.models import Cadre
from staffing.ranks import Rank

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Real people keep the number issued under the code of their birth: 中原区 410102 dates from 1983.
FIRST = id_number_compose("410102", datetime.date(1968, 4, 9), 11)  # odd sequence: a man
SECOND = id_number_compose("410184", datetime.date(1979, 10, 23), 24)  # even: a woman
WRONG_CHECK_DIGIT = FIRST[:-1] + ("0" if FIRST[-1] != "0" else "1")


def _sheet(path):
    book = load_workbook(path)
    sheet = book["干部"]
    headers = [cell.value.lstrip("*") if cell.value else cell.value for cell in sheet[1]]
    return book, sheet, {header: index + 1 for index, header in enumerate(headers) if header}


def _fill(sheet, columns, row, values):
    for header, value in values.items():
        sheet.cell(row=row, column=columns[header], value=value)


def _upload(desk, path):
    desk.page.set_input_files("#id_file", path)
    desk.submit()
    expect(desk.page.locator("#job-status")).to_be_visible()


def test_a_cadre_sheet_from_template_to_import_and_export(open_as):
    clerk = open_as("cg_clerk")
    clerk.page.locator("#content-related tr.model-cadre").get_by_role("link").first.click()
    clerk.page.locator(".object-tools").get_by_role("link", name="从表格导入").click()
    template = clerk.download(lambda: clerk.page.locator("#content-main p a", has_text="导入模板").click())

    book, sheet, columns = _sheet(template)
    assert sheet.cell(row=2, column=columns["编制单位"]).value == "城关镇"  # the sample names the clerk's own unit
    sheet.delete_rows(2, sheet.max_row)
    common = {"政治面貌": "中共党员", "学历": "大学本科", "编制单位": "城关镇", "人员类别": "公务员"}
    _fill(
        sheet,
        columns,
        2,
        {
            **common,
            "姓名": "赵建国",
            "身份证号": WRONG_CHECK_DIGIT,
            "现任职务": "党政办主任",
            "职级": "一级科长",
            "联系电话": "1391234",
        },
    )
    _fill(
        sheet,
        columns,
        3,
        {
            **common,
            "姓名": "钱秀英",
            "身份证号": SECOND,
            "现任职务": "社会事务办副主任",
            "职级": "二级主任科员",
            "编制单位": "柳林镇",
        },
    )
    book.save(template)

    _upload(clerk, template)
    expect(clerk.page.locator("#job-status")).to_have_text("未导入：文件有错误")
    rows = clerk.page.locator("#job-rows-table tbody tr")
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "赵建国" in first and "校验码" in first and "一级科长" in first and "联系电话" in first  # all at once
    assert "钱秀英" in second and "管辖范围" in second
    clerk.shot("preview-with-reasons")
    failed = clerk.download(lambda: clerk.page.get_by_role("link", name="下载错误行").click())
    assert not Cadre.objects.filter(name__in=["赵建国", "钱秀英"]).exists()  # nothing written

    book, sheet, columns = _sheet(failed)
    rows_by_name = {sheet.cell(row=row, column=columns["姓名"]).value: row for row in range(2, sheet.max_row + 1)}
    _fill(
        sheet, columns, rows_by_name["赵建国"], {"身份证号": FIRST, "职级": "一级主任科员", "联系电话": "13912345678"}
    )
    _fill(sheet, columns, rows_by_name["钱秀英"], {"编制单位": "城关镇"})
    book.save(failed)

    clerk.page.get_by_role("link", name="上传其他文件").click()
    _upload(clerk, failed)
    expect(clerk.page.locator("#job-status")).to_have_text("校验通过，待确认导入")
    clerk.shot("preview-clean")
    clerk.page.locator("input[type=submit]", has_text="确认导入").click()
    clerk.expect_message("导入完成：新增 2 条")  # back on the list
    clerk.shot("imported")
    assert Cadre.objects.get(id_number=FIRST).rank == Rank.PRINCIPAL_1
    assert Cadre.objects.get(id_number=SECOND).home_unit.name == "城关镇"

    export_link = clerk.page.locator(".object-tools").get_by_role("link", name="导出为 Excel")
    exported = clerk.download(lambda: export_link.click())
    book, sheet, columns = _sheet(exported)
    names = {sheet.cell(row=row, column=columns["姓名"]).value for row in range(2, sheet.max_row + 1)}
    assert {"赵建国", "钱秀英"} <= names
