"""Issue 15: the county organisation officer reads the township overview (the county summary, then
石桥乡's page with its vacant post and the village lacking a 主任) and one list it links to; 城关镇's
clerk imports a training attendance sheet whose columns are in another order than the template's."""

import datetime

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from staffing.models import Cadre
from staffing.people.training import TrainingAttendance, TrainingSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_organisation_officer_reads_each_townships_people(open_as):
    organiser = open_as("qh_org")
    organiser.follow("乡镇人员概览")
    table = organiser.page.locator("#result_list")
    for township in ("城关镇", "柳林镇", "石桥乡"):
        expect(table).to_contain_text(township)
    expect(organiser.page.locator(".people-county-summary")).to_contain_text("未参加初任培训")
    organiser.shot("county-summary")
    organiser.follow_in_list("石桥乡")
    content = organiser.page.locator("#content-main")
    expect(content).to_contain_text("纪委书记")
    expect(content).to_contain_text("空缺")
    expect(content).to_contain_text("王楼村")
    expect(content).to_contain_text("缺配")
    organiser.shot("shiqiao")
    organiser.follow("这些村的“两委”成员")
    expect(organiser.page.locator("#result_list")).to_contain_text("王楼村")
    organiser.shot("village-members")


def test_a_clerk_imports_an_attendance_sheet_in_any_column_order(open_as, tmp_path):
    session = TrainingSession.objects.get(name=f"{datetime.date.today().year}年城关镇网格化治理现场观摩会")
    attended = set(session.attendances.values_list("cadre_id", flat=True))
    staff = [c for c in Cadre.objects.filter(home_unit__name="城关镇").order_by("pk") if c.pk not in attended][:2]
    book = Workbook()
    sheet = book.active
    sheet.append(["成绩", "身份证号", "是否出勤", "培训名称"])
    sheet.append([90, staff[0].id_number, "是", session.name])
    sheet.append([None, staff[1].id_number, "否", session.name])
    path = tmp_path / "出勤.xlsx"
    book.save(path)

    clerk = open_as("cg_clerk")
    clerk.page.goto(f"{clerk.base_url}/admin/staffing/trainingattendance/")
    clerk.page.locator(".object-tools").get_by_role("link", name="从表格导入").click()
    clerk.page.set_input_files("#id_file", path)
    clerk.submit()
    expect(clerk.page.locator("#job-status")).to_have_text("校验通过，待确认导入")
    clerk.shot("attendance-preview")
    clerk.page.locator("input[type=submit]", has_text="确认导入").click()
    clerk.expect_message("导入完成：新增 2 条")
    clerk.shot("attendance-imported")
    assert TrainingAttendance.objects.get(session=session, cadre=staff[0]).score == 90
    assert TrainingAttendance.objects.get(session=session, cadre=staff[1]).attended is False
