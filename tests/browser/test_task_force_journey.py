"""Issue 16: task forces (专班). 城关镇's clerk sets up a task force with two milestones on its add
page: first left county-wide (the county centre's to set up) with a milestone counted from an
implausible date, refused on the page with both rules, the input kept and nothing written; then
saved and listed. 城关镇's party secretary follows the home page's overdue-milestones line to the
list it counts, then opens a task force's milestone from its row and marks it done with its step
button. 城关镇's clerk reports progress on a milestone from the task force's page, then raises a case
to the department a milestone needs from the milestone's page: the case carries that department
and links back."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.taskforce_services import milestone_save, taskforce_save
from cases.taskforces import TaskForce, TaskForceMilestone, TaskForceProgress
from governance.models import CoordinationItem, LeadershipPost, Portfolio, Sector, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

NEW_TASK_FORCE = "城关镇农村供水保障专班"
LIVING_TASK_FORCE = "城关镇人居环境整治专班"
LIVING_MILESTONE = "完成村庄清洁行动第一轮"
DEMO_OVERDUE = "完成田间道路和灌排渠系设计"  # cases.demo_work: the sweep marked it overdue
HOUSING_MILESTONE = "完成农村危房改造鉴定"
PROGRESS = "东关村、西关村清洁行动已完成，其余村本周内完成。"


def _agriculture_post() -> LeadershipPost:
    return LeadershipPost.objects.select_related("county").get(county__name="清河县", portfolio=Portfolio.AGRICULTURE)


@pytest.fixture(scope="module")
def living_milestone(committed):
    """A task force of 城关镇 with one open milestone, not yet due, for the secretary to mark done."""
    secretary = get_user_model().objects.get(username="cg_secretary")
    township = Unit.objects.get(name="城关镇")
    today = timezone.localdate()
    task_force = taskforce_save(
        actor=secretary,
        task_force=TaskForce(
            name=LIVING_TASK_FORCE,
            county=township.parent,
            township=township,
            lead_post=_agriculture_post(),
            work="城关镇农村人居环境整治：村庄清洁行动、农村厕所革命。",
            start=today - datetime.timedelta(days=10),
        ),
    )
    return milestone_save(
        actor=secretary,
        milestone=TaskForceMilestone(
            task_force=task_force, title=LIVING_MILESTONE, counted_from=today, working_days=20
        ),
    )


def test_a_clerk_sets_up_a_task_force_with_its_milestones(open_as):
    today = timezone.localdate()
    clerk = open_as("cg_clerk")
    clerk.follow("工作专班")
    expect(clerk.page.locator("#result_list")).to_contain_text("城关镇高标准农田建设专班")
    clerk.page.locator(".object-tools").get_by_role("link", name="增加 专班").click()
    clerk.page.fill("#id_name", NEW_TASK_FORCE)
    clerk.page.select_option("#id_county", label="清河县")  # the township left empty: a county-wide one
    clerk.page.select_option("#id_lead_post", label=str(_agriculture_post()))
    clerk.page.fill("#id_work", "保障城关镇12个村安全饮水：更新老旧管网，新建两座加压站。")
    clerk.page.fill("#id_member_people", "王志刚 镇党委副书记\n赵建民 县水利局派驻干部")
    clerk.page.fill("#id_start", today.isoformat())
    clerk.page.fill("#id_milestones-0-title", "完成管网现状摸排")
    clerk.page.fill("#id_milestones-0-counted_from", today.isoformat())
    clerk.page.fill("#id_milestones-0-working_days", "10")
    clerk.page.locator("#milestones-group .add-row a", has_text="添加另一个 专班节点").click()
    clerk.page.fill("#id_milestones-1-title", "完成加压站选址")
    clerk.page.fill("#id_milestones-1-counted_from", "2999-01-01")  # a typing slip for 2026
    clerk.page.fill("#id_milestones-1-working_days", "15")
    clerk.submit()

    # A county-wide task force is the county centre's, and the date is refused in its milestone's
    # row, each with its rule; the form comes back with what was typed, milestones included.
    expect(clerk.page.locator(".errornote")).to_be_visible()
    expect(clerk.page.locator(".field-township .errorlist")).to_have_text(
        "县级专班由县社会治理中心设立：请选择本专班所属的乡镇。"
    )
    expect(clerk.page.locator("#milestones-group .errorlist")).to_have_text(
        "2999-01-01 不是合理的日期：须在1900-01-01至2100-12-31之间。"
    )
    expect(clerk.page.locator("#id_name")).to_have_value(NEW_TASK_FORCE)
    expect(clerk.page.locator("#id_milestones-0-title")).to_have_value("完成管网现状摸排")
    clerk.shot("county-wide-and-implausible-date")
    assert not TaskForce.objects.filter(name=NEW_TASK_FORCE).exists()
    assert not TaskForceMilestone.objects.filter(title="完成管网现状摸排").exists()

    clerk.choose("id_township", "城关镇")
    clerk.page.fill("#id_milestones-1-counted_from", today.isoformat())
    clerk.submit()
    clerk.expect_message(NEW_TASK_FORCE)
    expect(clerk.page.locator("ul.messagelist .success")).to_be_visible()
    row = clerk.page.locator("#result_list tbody tr", has_text=NEW_TASK_FORCE)
    expect(row).to_contain_text("城关镇")
    expect(row).to_contain_text(today.isoformat())
    clerk.shot("task-force-listed")

    task_force = TaskForce.objects.get(name=NEW_TASK_FORCE)
    assert (task_force.county.name, task_force.township.name) == ("清河县", "城关镇")
    milestones = {m.title: m for m in task_force.milestones.all()}
    assert set(milestones) == {"完成管网现状摸排", "完成加压站选址"}
    for milestone in milestones.values():
        assert milestone.counted_from == today
        assert timezone.localdate(milestone.due_at) > today  # the due counted on the working-day calendar
        assert milestone.done_at is None and not milestone.overdue
    assert milestones["完成加压站选址"].due_at > milestones["完成管网现状摸排"].due_at


def test_the_overdue_line_leads_to_the_list_and_a_milestone_is_marked_done(open_as, living_milestone):
    secretary = open_as("cg_secretary")
    line = secretary.page.locator("#todo tr", has_text="超期的专班节点")
    expect(line.locator("td")).to_have_text("1")
    line.get_by_role("link").click()
    expect(secretary.page).to_have_url(re.compile(r"/admin/cases/taskforcemilestone/\?overdue__exact=1&done=open$"))
    rows = secretary.page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(DEMO_OVERDUE)
    expect(rows.first).to_contain_text("是")
    secretary.shot("overdue-milestones")

    # From the task force's page, the milestone's row links to its own page with its steps.
    secretary.home()
    secretary.follow("工作专班")
    secretary.follow_in_list(LIVING_TASK_FORCE)
    secretary.page.locator("#milestones-group tr", has_text=LIVING_MILESTONE).locator("a.inlinechangelink").click()
    expect(secretary.page.locator("#workflow-steps .workflow-state")).to_contain_text("进行中")
    secretary.step("标记完成")
    secretary.expect_message("已完成：标记完成。")
    expect(secretary.page.locator("#workflow-steps .workflow-state")).to_contain_text("已完成")
    assert "标记完成" not in secretary.steps()
    assert secretary.field_value("完成时间").startswith(timezone.localdate().isoformat())
    secretary.shot("milestone-done")

    milestone = TaskForceMilestone.objects.get(pk=living_milestone.pk)
    assert milestone.done_at is not None
    assert milestone.history.filter(history_user__username="cg_secretary", done_at__isnull=False).exists()
    # The demo's overdue milestone is still the only one the home page counts.
    secretary.home()
    expect(secretary.page.locator("#todo tr", has_text="超期的专班节点").locator("td")).to_have_text("1")


@pytest.fixture(scope="module")
def milestone_needing_housing(living_milestone):
    """A second milestone of the same task force, which needs the county's housing department."""
    task_force = living_milestone.task_force
    return milestone_save(
        actor=get_user_model().objects.get(username="cg_secretary"),
        milestone=TaskForceMilestone(
            task_force=task_force,
            title=HOUSING_MILESTONE,
            counted_from=timezone.localdate(),
            working_days=15,
            needs_department=Unit.objects.get(parent=task_force.county, sector=Sector.HOUSING_CONSTRUCTION),
        ),
    )


def test_progress_is_reported_and_a_milestone_raises_a_case_to_the_department_it_needs(
    open_as, living_milestone, milestone_needing_housing
):
    clerk = open_as("cg_clerk")
    clerk.follow("工作专班")
    clerk.follow_in_list(LIVING_TASK_FORCE)

    # Progress, from the task force's page: the step's own page, a milestone chosen, then listed.
    clerk.step("报告进展")
    clerk.page.fill("#id_content", PROGRESS)
    clerk.page.select_option("#id_milestone", label=str(living_milestone))  # "task force · milestone"
    clerk.submit()
    clerk.expect_message("报告进展")
    expect(clerk.page.locator(".inline-group", has_text=PROGRESS)).to_contain_text(LIVING_MILESTONE)
    clerk.shot("progress-reported")
    report = TaskForceProgress.objects.get(content=PROGRESS)
    assert (report.milestone_id, report.reported_by.username) == (living_milestone.pk, "cg_clerk")

    # The milestone that needs the housing department: its page offers the whistle.
    clerk.page.locator("#milestones-group tr", has_text=HOUSING_MILESTONE).locator("a.inlinechangelink").click()
    clerk.step("向所需部门吹哨立案")
    # An item whose own departments leave housing out: the case has it because the milestone needs it.
    item = next(
        item
        for item in CoordinationItem.objects.filter(active=True).order_by("code")
        if Sector.HOUSING_CONSTRUCTION not in [item.lead_sector, *item.co_sectors]
    )
    clerk.page.select_option("#id_item", label=str(item))
    clerk.page.select_option("#id_priority", label="紧急")
    clerk.submit()
    clerk.expect_message("向所需部门吹哨立案")
    case = Case.objects.get(pk=TaskForceMilestone.objects.get(pk=milestone_needing_housing.pk).case_id)
    expect(clerk.page.locator("#content-main")).to_contain_text(case.reference)
    assert "向所需部门吹哨立案" not in clerk.steps()  # one case per milestone
    clerk.shot("milestone-case-raised")

    # The case, from the milestone's page: raised by 城关镇, the housing department among those asked.
    clerk.page.get_by_role("link", name=case.reference).first.click()
    expect(clerk.page.locator("#content-main")).to_contain_text(f"{LIVING_TASK_FORCE}：{HOUSING_MILESTONE}")
    departments = set(case.assignments.values_list("department__sector", flat=True))
    assert {item.lead_sector, Sector.HOUSING_CONSTRUCTION} <= departments
    assert (case.township.name, case.priority, case.raised_by.username) == ("城关镇", "urgent", "cg_clerk")
    clerk.shot("case-from-milestone")
