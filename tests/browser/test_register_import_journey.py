"""Issue 16 item 7: a township's own powers (乡镇本级权力事项) and the party-branch register
(党支部名册) imported from a spreadsheet in the browser, as their keepers do.

- 城关镇's party secretary downloads the template, uploads a workbook whose columns are in another
  order with a row for 柳林镇 (not a township the secretary supervises): the preview names the rule
  on that row and nothing is written; a workbook without the “对应责任” column is refused naming the
  column; the corrected workbook is previewed, confirmed, and its powers are listed.
- 城关镇's clerk uploads branches in another column order, one in 柳林镇's 柳林村 (outside the
  township) and one village branch placed in the township itself: both rows name their rule and
  nothing is written; the corrected file is confirmed, listed and exported.
"""

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from cases.branch_pairing import BranchKind, PartyBranch
from governance.models import TownshipPower

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Not the template's order: the importer reads columns by their headers.
POWER_HEAD = ["权力事项", "事项编码", "责任科室", "乡镇（街道）", "对应责任", "法律依据"]
VETERANS = [
    "退役军人优待抚恤的落实",
    "XZ-ZY-011",
    "退役军人服务站",
    "城关镇",
    "按时核发优抚金，走访慰问优抚对象。",
    "《退役军人保障法》第六十二条",
]
FLOOD = [
    "防汛抗旱工作的组织",
    "XZ-ZY-012",
    "应急管理办公室",
    "城关镇",
    "汛前排查隐患，汛期组织转移避险。",
    "《中华人民共和国防洪法》第三十八条",
]
BRANCH_HEAD = ["所在单位", "党员人数", "党支部名称", "支部书记", "支部类别"]
OFFICE = ["城关镇", 18, "城关镇机关第二党支部", "孙立新", "机关党支部"]
CLINIC = ["城关镇", 9, "城关镇卫生院党支部", "钱丽", "事业单位党支部"]


def _workbook(desk, name: str, rows: list[list]) -> str:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = desk.album.folder / name
    book.save(path)
    return str(path)


def _headers(path: str) -> list[str]:
    sheet = load_workbook(path).active
    return [cell.value.lstrip("*") for cell in sheet[1] if cell.value]


def _upload(desk, path: str) -> None:
    desk.page.set_input_files("#id_file", path)
    desk.submit()
    expect(desk.page.locator("#job-status")).to_be_visible()


def _open_import(desk, model_list: str) -> None:
    desk.follow(model_list)
    desk.page.locator(".object-tools").get_by_role("link", name="从表格导入").click()


def test_a_township_imports_its_own_powers(open_as, demo_city):
    secretary = open_as("cg_secretary")
    _open_import(secretary, "乡镇法定职权")
    template = secretary.download(lambda: secretary.page.locator("#content-main p a", has_text="导入模板").click())
    assert _headers(template)[:2] == ["乡镇（街道）", "事项编码"]  # the template's order, not the workbook's below

    outside = [*FLOOD[:3], "柳林镇", *FLOOD[4:]]
    _upload(secretary, _workbook(secretary, "powers-outside.xlsx", [POWER_HEAD, VETERANS, outside]))
    expect(secretary.page.locator("#job-status")).to_have_text("未导入：文件有错误")
    refused = secretary.page.locator("#job-rows-table tbody tr", has_text="防汛抗旱工作的组织")
    expect(refused).to_contain_text("“柳林镇”不是您主管的乡镇（街道）")
    secretary.shot("powers-preview-outside")
    assert not TownshipPower.objects.filter(code__in=["XZ-ZY-011", "XZ-ZY-012"]).exists()

    secretary.page.get_by_role("link", name="上传其他文件").click()
    without_duty = [[cell for index, cell in enumerate(row) if index != 4] for row in [POWER_HEAD, VETERANS, FLOOD]]
    _upload(secretary, _workbook(secretary, "powers-no-duty.xlsx", without_duty))
    expect(secretary.page.locator("#content-main .errornote").first).to_contain_text("表头缺少 “对应责任” 列")
    secretary.shot("powers-missing-column")
    assert not TownshipPower.objects.filter(code__in=["XZ-ZY-011", "XZ-ZY-012"]).exists()

    secretary.page.get_by_role("link", name="上传其他文件").click()
    _upload(secretary, _workbook(secretary, "powers.xlsx", [POWER_HEAD, VETERANS, FLOOD]))
    expect(secretary.page.locator("#job-status")).to_have_text("校验通过，待确认导入")
    secretary.shot("powers-preview-clean")
    secretary.page.locator("input[type=submit]", has_text="确认导入").click()
    secretary.expect_message("导入完成：新增 2 条")
    results = secretary.page.locator("#result_list")
    expect(results).to_contain_text("退役军人优待抚恤的落实")
    expect(results).to_contain_text("防汛抗旱工作的组织")
    secretary.shot("powers-listed")
    flood = TownshipPower.objects.get(township__name="城关镇", code="XZ-ZY-012")
    assert flood.office == "应急管理办公室" and flood.legal_basis == "《中华人民共和国防洪法》第三十八条"
    assert flood.active  # 是否有效 left out: a new power is in force


def test_a_township_imports_its_party_branches(open_as, demo_city):
    clerk = open_as("cg_clerk")
    _open_import(clerk, "党支部名册")

    neighbour = ["柳林村", 30, "柳林村第二党支部", "周强", "村党支部"]
    misplaced = ["城关镇", 12, "城关镇老干部党支部", "吴平", "村党支部"]
    _upload(clerk, _workbook(clerk, "branches-bad.xlsx", [BRANCH_HEAD, OFFICE, neighbour, misplaced, CLINIC]))
    expect(clerk.page.locator("#job-status")).to_have_text("未导入：文件有错误")
    rows = clerk.page.locator("#job-rows-table tbody tr")
    expect(rows.filter(has_text="柳林村第二党支部")).to_contain_text("无权维护“柳林村”的党支部")
    expect(rows.filter(has_text="城关镇老干部党支部")).to_contain_text("村（社区）党支部必须设在村（社区）。")
    clerk.shot("branches-preview-with-reasons")
    names = ["城关镇机关第二党支部", "城关镇卫生院党支部", "柳林村第二党支部", "城关镇老干部党支部"]
    assert not PartyBranch.objects.filter(name__in=names).exists()

    clerk.page.get_by_role("link", name="上传其他文件").click()
    _upload(clerk, _workbook(clerk, "branches.xlsx", [BRANCH_HEAD, OFFICE, CLINIC]))
    expect(clerk.page.locator("#job-status")).to_have_text("校验通过，待确认导入")
    clerk.page.locator("input[type=submit]", has_text="确认导入").click()
    clerk.expect_message("导入完成：新增 2 条")
    results = clerk.page.locator("#result_list")
    expect(results).to_contain_text("城关镇机关第二党支部")
    expect(results).to_contain_text("城关镇卫生院党支部")
    clerk.shot("branches-listed")
    clinic = PartyBranch.objects.get(name="城关镇卫生院党支部")
    assert clinic.kind == BranchKind.INSTITUTION and clinic.unit.name == "城关镇" and clinic.county.name == "清河县"
    assert (clinic.secretary, clinic.members) == ("钱丽", 9)

    export_link = clerk.page.locator(".object-tools").get_by_role("link", name="导出为 Excel")
    exported = clerk.download(lambda: export_link.click())
    sheet = load_workbook(exported).active
    headers = [cell.value.lstrip("*") for cell in sheet[1]]
    exported_names = {
        sheet.cell(row=row, column=headers.index("党支部名称") + 1).value for row in range(2, sheet.max_row + 1)
    }
    assert {"城关镇机关第二党支部", "城关镇卫生院党支部"} <= exported_names
