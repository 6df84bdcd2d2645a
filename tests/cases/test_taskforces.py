"""Task forces (专班): milestones due on the working-day calendar, marked overdue by the same sweep
as the assignments and shown on the home to-do panel; a milestone needing a department raises a
case linked back; the county sees its overdue milestones, the neighbouring township nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases.taskforce_services import (
    LEAD_POST_OUTSIDE_COUNTY,
    MAY_NOT_MANAGE,
    MILESTONE_HAS_CASE,
    milestone_case_raise,
    milestone_done,
    milestone_save,
    milestones_sweep_overdue,
    progress_report,
    taskforce_save,
)
from cases.taskforces import TaskForce, TaskForceMilestone
from governance.models import LeadershipPost, PostRank
from governance.todo import todo_for
from tests.cases.conftest import beijing
from tests.factories.governance import CountyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(county):
    return LeadershipPost.objects.create(county=county.county, rank=PostRank.HEAD, holder_name="张建国")


def _task_force(actor, county, head, **fields) -> TaskForce:
    fields.setdefault("township", county.township_a)
    return taskforce_save(
        actor=actor,
        task_force=TaskForce(
            name="高标准农田建设专班",
            county=county.county,
            lead_post=head,
            work="2026年高标准农田建设",
            start=datetime.date(2026, 3, 2),
            **fields,
        ),
    )


def _milestone(actor, task_force, **fields) -> TaskForceMilestone:
    fields.setdefault("title", "完成项目选址")
    fields.setdefault("counted_from", datetime.date(2026, 4, 30))
    fields.setdefault("working_days", 3)
    return milestone_save(actor=actor, milestone=TaskForceMilestone(task_force=task_force, **fields))


def test_a_milestone_falls_due_on_the_working_day_calendar(county, owner, head):
    task_force = _task_force(owner, county, head)
    # Counted from Thursday 2026-04-30: May Day holiday 1–5 May, Saturday 9 May a make-up working day.
    milestone = _milestone(owner, task_force)
    assert milestone.due_at == beijing(2026, 5, 7, 17, 30)


def test_the_sweep_marks_overdue_milestones_and_the_home_panel_counts_them(
    client, county, owner, centre, outsider, head
):
    task_force = _task_force(owner, county, head)
    late = _milestone(owner, task_force, title="完成招标", counted_from=datetime.date(2026, 3, 2), working_days=2)
    done = _milestone(owner, task_force, title="完成选址", counted_from=datetime.date(2026, 3, 2), working_days=1)
    milestone_done(actor=owner, milestone=done, now=beijing(2026, 3, 2, 15))
    assert milestones_sweep_overdue(now=beijing(2026, 3, 10, 9)) == 1
    assert milestones_sweep_overdue(now=beijing(2026, 3, 10, 9)) == 0  # once only
    late.refresh_from_db()
    assert late.overdue
    call_command("sweep_overdue", stdout=open("/dev/null", "w"))
    for user, expected in ((owner, 1), (centre, 1), (outsider, 0)):
        client.force_login(user)
        request = client.get(reverse("admin:index")).wsgi_request
        counts = {item.label: item.count for item in todo_for(request)}
        assert counts.get("超期的专班节点", counts.get("Overdue task-force milestones")) == expected


def test_a_milestone_needing_a_department_raises_a_linked_case(county, owner, head, item):
    task_force = _task_force(owner, county, head)
    milestone = _milestone(owner, task_force, needs_department=county.housing)
    raised = milestone_case_raise(actor=owner, milestone=milestone, item=item, now=beijing(2026, 3, 2, 9))
    assert {a.department for a in raised.assignments} == {county.agriculture, county.housing}
    assert raised.case.task_force_milestone == milestone
    with pytest.raises(ValidationError) as error:
        milestone_case_raise(actor=owner, milestone=milestone, item=item)
    assert error.value.messages == [str(MILESTONE_HAS_CASE) % {"reference": raised.case.reference}]


def test_refusals(county, owner, outsider, head):
    task_force = _task_force(owner, county, head)
    with pytest.raises(ValidationError) as error:
        progress_report(actor=outsider, task_force=task_force, content="x")
    assert error.value.messages == [str(MAY_NOT_MANAGE)]
    with pytest.raises(ValidationError) as error:
        _milestone(outsider, task_force)
    assert error.value.messages == [str(MAY_NOT_MANAGE)]
    other = CountyFactory(parent=county.city)
    foreign = LeadershipPost.objects.create(county=other, rank=PostRank.HEAD)
    with pytest.raises(ValidationError) as error:
        _task_force(owner, county, foreign)
    assert error.value.message_dict["lead_post"] == [str(LEAD_POST_OUTSIDE_COUNTY)]
    assert TaskForce.objects.count() == 1 and not TaskForceMilestone.objects.exists()


def test_the_county_lists_overdue_milestones_the_neighbour_sees_none(client, county, owner, centre, outsider, head):
    task_force = _task_force(owner, county, head)
    late = _milestone(owner, task_force, counted_from=datetime.date(2026, 3, 2), working_days=1)
    milestones_sweep_overdue(now=beijing(2026, 3, 10, 9))
    url = reverse("admin:cases_taskforcemilestone_changelist")
    client.force_login(centre)
    assert late.title in client.get(url, {"overdue__exact": "1", "done": "open"}).content.decode()
    client.force_login(outsider)
    assert late.title not in client.get(url).content.decode()
    assert client.get(reverse("admin:cases_taskforce_change", args=[task_force.pk])).status_code == 302


def test_the_task_force_page_adds_milestones_through_the_service(client, county, owner, head):
    client.force_login(owner)
    response = client.post(
        reverse("admin:cases_taskforce_add"),
        {
            "name": "人居环境整治专班",
            "county": county.county.pk,
            "township": county.township_a.pk,
            "lead_post": head.pk,
            "work": "村庄清洁行动",
            "start": "2026-03-02",
            "milestones-TOTAL_FORMS": "1",
            "milestones-INITIAL_FORMS": "0",
            "milestones-0-title": "完成垃圾清运",
            "milestones-0-counted_from": "2026-04-30",
            "milestones-0-working_days": "3",
            "progress_reports-TOTAL_FORMS": "0",
            "progress_reports-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    milestone = TaskForceMilestone.objects.get()
    assert milestone.due_at == beijing(2026, 5, 7, 17, 30)


def _milestone_form(county, head, counted_from, working_days):
    return {
        "name": "人居环境整治专班",
        "county": county.county.pk,
        "township": county.township_a.pk,
        "lead_post": head.pk,
        "work": "村庄清洁行动",
        "start": "2026-03-02",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-title": "完成垃圾清运",
        "milestones-0-counted_from": counted_from,
        "milestones-0-working_days": working_days,
        "progress_reports-TOTAL_FORMS": "0",
        "progress_reports-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize(
    ("counted_from", "working_days", "message"),
    [
        ("9999-12-31", "3", "不是合理的日期"),
        ("2026-04-30", "0", "确保该值大于或等于"),
        ("2026-04-30", "1001", "确保该值小于或等于"),
    ],
)
def test_an_implausible_milestone_is_a_message_in_chinese_and_writes_nothing(
    client, county, owner, head, counted_from, working_days, message
):
    client.force_login(owner)
    response = client.post(
        reverse("admin:cases_taskforce_add"),
        _milestone_form(county, head, counted_from, working_days),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TaskForce.objects.exists() and not TaskForceMilestone.objects.exists()


def test_the_service_refuses_an_implausible_milestone_without_crashing(county, owner, head):
    task_force = _task_force(owner, county, head)
    for fields in ({"counted_from": datetime.date(9999, 12, 31)}, {"working_days": 0}):
        with pytest.raises(ValidationError) as error:
            _milestone(owner, task_force, **fields)
        assert set(error.value.message_dict) == set(fields)
    assert not TaskForceMilestone.objects.exists()
    with pytest.raises(ValidationError) as error:
        _task_force(owner, county, head, end=datetime.date(9999, 12, 31))
    assert "end" in error.value.message_dict


def test_a_refused_task_force_stays_on_its_form_with_the_milestones_typed(client, county, owner, head):
    """The form asks the service's rules: a township clerk's county-wide task force (no township)
    is refused on its township field, naming who sets one up, the milestone rows kept (refused at
    save time, it came back as a message over an emptied form; issue 16's browser journey)."""
    client.force_login(owner)
    data = {**_milestone_form(county, head, "2026-04-30", "3"), "township": ""}
    response = client.post(reverse("admin:cases_taskforce_add"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["township"] == [
        "县级专班由县社会治理中心设立：请选择本专班所属的乡镇。"
    ]
    assert "完成垃圾清运" in response.content.decode()
    assert not TaskForce.objects.exists() and not TaskForceMilestone.objects.exists()


def test_the_task_force_page_links_each_milestone_to_its_steps(client, county, owner, head):
    task_force = _task_force(owner, county, head)
    milestone = _milestone(owner, task_force)
    client.force_login(owner)
    page = client.get(reverse("admin:cases_taskforce_change", args=[task_force.pk])).content.decode()
    assert reverse("admin:cases_taskforcemilestone_change", args=[milestone.pk]) in page
