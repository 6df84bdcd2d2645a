"""Journey 5 of issue 9: a clerk drafts and submits two assessments; the supervisor approves both
with the batch action; on the supervisor's own submission no approval is offered, and the step's
URL answers a refusal naming the four-eyes rule."""

import pytest
from playwright.sync_api import expect

from staffing.models import Assessment, AssessmentState

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _open_assessments(desk):
    desk.page.locator("#content-related tr.model-assessment").get_by_role("link").first.click()


def _grade_and_submit(desk, assessment, comments):
    _open_assessments(desk)
    desk.page.fill("#searchbar", assessment.cadre.name)
    desk.page.keyboard.press("Enter")
    desk.follow_in_list(assessment.cadre.name)
    desk.page.select_option("#id_grade", label="称职")
    desk.page.fill("#id_score", "86")
    desk.page.fill("#id_comments", comments)
    desk.page.locator("input[name=_continue]").click()  # 保存并继续编辑
    desk.step("提交审批")
    desk.expect_message("已提交审批")


def test_drafts_submitted_batch_approved_and_no_approving_ones_own(open_as, demo_city):
    drafts = list(
        Assessment.objects.filter(
            cycle__name="2026年度城关镇派驻干部考核", state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED]
        )
        .select_related("cadre")
        .order_by("pk")[:3]
    )
    assert len(drafts) == 3, "the demo city keeps three assessments open for this journey"
    first, second, own = drafts

    clerk = open_as("cg_clerk")
    _grade_and_submit(clerk, first, "完成高标准农田建设任务。")
    clerk.home()
    _grade_and_submit(clerk, second, "积极参与防汛值守。")
    clerk.shot("submitted")

    supervisor = open_as("cg_secretary")
    supervisor.follow("待您审批的考核")
    for assessment in (first, second):
        row = supervisor.page.locator("#result_list tr", has_text=assessment.cadre.name)
        row.locator("input.action-select").check()
    supervisor.page.select_option("select[name=action]", label="批量审批通过所选考核")
    supervisor.page.locator("button[name=index]").click()
    supervisor.expect_message(f"{first.cadre.name}：已审批通过")
    supervisor.expect_message(f"{second.cadre.name}：已审批通过")
    supervisor.shot("batch-approved")
    assert {a.state for a in Assessment.objects.filter(pk__in=[first.pk, second.pk])} == {AssessmentState.APPROVED}

    supervisor.home()
    _grade_and_submit(supervisor, own, "本人填写。")
    assert "审批通过" not in supervisor.steps()
    expect(supervisor.page.locator("#workflow-steps")).not_to_contain_text("审批通过")
    supervisor.shot("own-submission-no-approve")
    supervisor.page.goto(f"{supervisor.base_url}/admin/staffing/assessment/{own.pk}/step/approve/")
    expect(supervisor.page.locator(".errornote")).to_contain_text("您本人填写或提交")
    supervisor.shot("own-submission-step-url-refused")
    own.refresh_from_db()
    assert own.state == AssessmentState.SUBMITTED
