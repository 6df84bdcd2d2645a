"""Journey 8 of issue 9: a village clerk logs a service request for an older applicant (born before
1983, under an area code that started later), accepts it and passes it to the township; the township
clerk completes it."""

import pytest
from playwright.sync_api import expect

from cases.models import DeskLevel, ServiceRequest, ServiceRequestState

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Born 1965-03-08 in Zhengzhou's 中原区 (410102, listed from 1983): a real person keeps this number.
APPLICANT_ID = "410102196503082047"
APPLICANT = "王秀兰"


def test_a_village_request_passes_to_the_township_and_is_completed(open_as, demo_city):
    village = open_as("dg_village")
    village.page.locator("#content-related tr.model-servicerequest a.addlink").click()
    expect(village.page.locator("#select2-id_desk-container")).to_have_attribute("title", "东关村")
    village.choose("id_item", "耕地地力保护补贴申报")
    village.page.fill("#id_applicant_name", APPLICANT)
    village.page.fill("#id_id_number", APPLICANT_ID)
    village.page.fill("#id_phone", "13903711234")
    village.shot("log-form")
    village.submit()
    village.expect_message("办件已登记")
    village.step("受理")
    village.expect_message("已完成：受理。")
    village.step("转乡镇办理")
    village.expect_message("已完成：转乡镇办理。")
    village.shot("passed-to-township")
    request = ServiceRequest.objects.get(applicant_name=APPLICANT)
    assert request.desk == DeskLevel.TOWNSHIP and request.id_number == APPLICANT_ID

    clerk = open_as("cg_clerk")
    clerk.follow("待办结的办件")  # accepted at the village desk, it awaits completion here
    clerk.follow_in_list(APPLICANT)
    clerk.step("办结")
    clerk.page.fill("#id_result", "补贴申报材料齐全，已录入系统。")
    clerk.submit()
    clerk.expect_message("已完成：办结。")
    clerk.shot("completed")
    request.refresh_from_db()
    assert request.state == ServiceRequestState.COMPLETED
