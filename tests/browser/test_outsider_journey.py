"""Journey 9 of issue 9: a clerk of the neighbouring township (柳林镇) opens none of 城关镇's records
by URL: not the record, its history, nor a step."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseAssignment, ServiceRequest
from staffing.models import AppointmentProposal, Assessment, Cadre, Nomination, Secondment

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _records():
    """One record of each kind that belongs to 城关镇 alone, with a step its own users may take."""
    chengguan = {"township__name": "城关镇"}
    hosted = {"host_unit__name": "城关镇"}
    return [
        ("cases", "case", Case.objects.filter(**chengguan).first(), "attach"),
        ("cases", "caseassignment", CaseAssignment.objects.filter(case__township__name="城关镇").first(), "rate"),
        ("cases", "servicerequest", ServiceRequest.objects.filter(**chengguan, village=None).first(), "accept"),
        ("staffing", "assessment", Assessment.objects.filter(**hosted).first(), "submit"),
        ("staffing", "appointmentproposal", AppointmentProposal.objects.filter(**hosted).first(), "veto"),
        ("staffing", "nomination", Nomination.objects.filter(**hosted).first(), "accept"),
        ("staffing", "secondment", Secondment.objects.filter(**hosted).first(), "end"),
        ("staffing", "cadre", Cadre.objects.filter(home_unit__name="城关镇").first(), None),
    ]


def test_the_neighbouring_township_opens_none_of_them(open_as, demo_city):
    outsider = open_as("ll_clerk")
    for app, model, record, step in _records():
        assert record is not None, f"the demo city has a {model} of 城关镇"
        base = f"{outsider.base_url}/admin/{app}/{model}/{record.pk}"
        outsider.page.goto(f"{base}/change/")
        # The admin's "does not exist" (a redirect home with a message), never the record.
        outsider.expect_message("不存在")
        assert str(record) not in outsider.page.locator("#content").inner_text()
        response = outsider.page.goto(f"{base}/history/")
        assert response.status == 404
        expect(outsider.page.locator(".errornote")).to_contain_text("不在您所负责单位的范围内")
        if step:
            assert outsider.page.goto(f"{base}/step/{step}/").status == 404
    outsider.shot("not-found")
