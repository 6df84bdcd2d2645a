"""Journey 4 of issue 9: a department declines a case as not its own; the county governance centre
reassigns it to another department and escalates (督办) the other to the deputy county head in charge."""

import pytest
from playwright.sync_api import expect

from cases.models import AssignmentState, Case
from cases.raising import case_raise
from governance.models import CasePriority, CoordinationItem, Sector, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TITLE = "东关村废弃砖窑扬尘"


@pytest.fixture(scope="module")
def case(committed):
    """A case the clerk raised earlier (the raising itself is journey 1's)."""
    return case_raise(
        actor=committed.users["cg_clerk"],
        township=committed.townships["城关镇"],
        village=committed.villages["东关村"],
        item=CoordinationItem.objects.get(code="XT-001"),
        title=TITLE,
        description="废弃砖窑堆土裸露，大风天扬尘。",
        priority=CasePriority.NORMAL,
        co_sectors=[Sector.HOUSING_CONSTRUCTION],
        left_out_reason="扬尘治理由农业、住建部门处置，其他协办部门无需到场。",
    ).case


def test_a_declined_case_is_reassigned_and_another_escalated(open_as, case):
    agri = open_as("qh_agri")
    agri.follow("待报到的交办事项")
    agri.follow_in_list(case.reference)
    agri.step("退回：不属本部门职责")
    agri.page.fill("#id_reason", "扬尘治理属生态环境部门职责。")
    agri.submit()
    agri.expect_message("已完成：退回：不属本部门职责。")
    agri.shot("declined")

    centre = open_as("qh_centre")
    centre.follow("已退回，待改派")
    centre.follow_in_list(case.reference)
    centre.shot("declined-assignment")
    centre.step("改派其他部门")
    centre.page.select_option("#id_department", label="清河县生态环境分局")
    centre.page.fill("#id_reason", "扬尘属大气污染防治，请生态环境分局办理。")
    centre.submit()
    centre.expect_message("已完成：改派其他部门。")

    centre.page.locator(".object-tools").get_by_role("link", name="案件页面").click()
    centre.step("督办 · 清河县住房和城乡建设局")
    centre.page.fill("#id_reason", "请加快办理。")
    centre.submit()
    centre.expect_message("已完成：督办。")
    expect(centre.page.locator("#assignments")).to_contain_text("已督办")
    centre.shot("reassigned-and-escalated")

    declined = case.assignments.order_by("pk").first()
    assert declined.state == AssignmentState.REASSIGNED
    new = declined.reassigned_to
    assert new.department == Unit.objects.get(name="清河县生态环境分局")
    assert new.state == AssignmentState.ASSIGNED
    housing = case.assignments.get(department__name="清河县住房和城乡建设局")
    # The deputy county head whose portfolio covers housing (一正六副: urban construction).
    assert housing.escalated_to is not None
    assert str(housing.escalated_to) in centre.page.locator("#assignments").inner_text()
    assert Case.objects.get(pk=case.pk).state == "open"
