"""Journey 6 of issue 9: the county organisation officer proposes an appointment of a seconded cadre;
the township supervisor vetoes it with a reason (任用否决权); no carry-out is offered, and the step's
URL answers a Chinese refusal page."""

import pytest
from playwright.sync_api import expect

from staffing.models import AppointmentProposal, ProposalState, Secondment

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_proposal_vetoed_by_the_township_can_never_be_carried_out(open_as, demo_city):
    secondment = (
        Secondment.objects.in_force()
        .filter(host_unit__name="城关镇")
        .exclude(appointment_proposals__isnull=False)
        .select_related("cadre")
        .order_by("pk")
        .first()
    )
    organiser = open_as("qh_org")
    organiser.page.locator("#content-related tr.model-appointmentproposal a.addlink").click()
    organiser.choose("id_secondment", secondment.cadre.name)
    organiser.page.select_option("#id_action", label="调任其他岗位")
    organiser.page.fill("#id_new_post", "县农业农村局办公室副主任")
    organiser.page.fill("#id_effective_date", "2027-01-01")
    organiser.page.fill("#id_reason", "工作需要，拟调整岗位。")
    organiser.shot("proposal-form")
    organiser.page.locator("input[name=_save]").click()
    organiser.expect_message("成功")
    proposal = AppointmentProposal.objects.get(secondment=secondment, state=ProposalState.PROPOSED)

    supervisor = open_as("cg_secretary")
    supervisor.follow("待您表态（同意或否决）的任用动议")
    supervisor.follow_in_list(secondment.cadre.name)
    supervisor.step("否决")
    supervisor.page.fill("#id_reason", "该同志牵头的人居环境整治项目正在收尾，暂不同意调整。")
    supervisor.submit()
    supervisor.expect_message("已否决")
    supervisor.shot("vetoed")

    organiser.page.goto(f"{organiser.base_url}/admin/staffing/appointmentproposal/{proposal.pk}/change/")
    expect(organiser.page.locator("#workflow-steps")).to_contain_text("此记录目前没有需要您办理的步骤")
    assert organiser.steps() == []
    organiser.page.goto(f"{organiser.base_url}/admin/staffing/appointmentproposal/{proposal.pk}/step/carry_out/")
    expect(organiser.page.locator(".errornote")).to_contain_text("被否决的动议不得执行")
    organiser.shot("carry-out-refused")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.VETOED
