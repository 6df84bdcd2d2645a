"""Issue 14 item 8 in the browser: 城关镇's clerk writes a seconded cadre's April record (平时考核)
and submits it; the township secretary approves it from the home page's queue."""

import pytest

from staffing.models import PeriodicRecord, PeriodicState, Secondment, SecondmentState

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_clerk_writes_a_record_and_the_secretary_approves_it(open_as, demo_city):
    secondment = (
        Secondment.objects.filter(host_unit__name="城关镇", state=SecondmentState.IN_FORCE, periodic_records__period=3)
        .select_related("cadre")
        .first()
    )
    name = secondment.cadre.name
    clerk = open_as("cg_clerk")
    clerk.page.locator("#content-related tr.model-periodicrecord").get_by_role("link").first.click()
    clerk.page.locator(".object-tools a.addlink").click()
    clerk.page.select_option("#id_secondment", label=str(secondment))
    clerk.page.fill("#id_year", "2026")
    clerk.page.select_option("#id_period_kind", value="month")
    clerk.page.fill("#id_period", "4")
    clerk.page.select_option("#id_grade", label="较好")
    clerk.page.fill("#id_attendance_days", "19")
    clerk.page.fill("#id_leave_days", "1")
    clerk.page.fill("#id_comments", "完成春季动物防疫和耕地保护巡查。")
    clerk.page.locator("input[name=_continue]").click()
    clerk.step("提交审批")
    clerk.expect_message("已提交审批")
    clerk.shot("written-and-submitted")

    secretary = open_as("cg_secretary")
    secretary.follow("待您审批的平时考核记录")
    secretary.page.locator("#result_list tbody tr", has_text=name).filter(has_text="2026年4月").get_by_role(
        "link"
    ).first.click()
    secretary.step("审批通过")
    secretary.expect_message("已审批通过")
    secretary.shot("approved")
    record = PeriodicRecord.objects.get(secondment=secondment, year=2026, period=4)
    assert (record.state, record.drafted_by.username, record.approved_by.username) == (
        PeriodicState.APPROVED,
        "cg_clerk",
        "cg_secretary",
    )
