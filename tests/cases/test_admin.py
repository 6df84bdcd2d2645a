"""The case screens: the done-when walk through the browser, and every door closed to the
outsider from the neighbouring township and to the neighbouring department."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.assignments import ACCEPT_NOT_ALLOWED, assignment_accept, assignment_feedback, assignment_respond
from cases.models import AssignmentState, Case, CaseAssignment, CaseAttachment, CaseState, CaseTransition
from cases.ratings import assignment_rate
from governance.models import Sector
from governance.roles import Role
from governance.todo import todo_for
from tests.conftest import user_with_role
from tests.factories.cases import case_raised


def _login(client, user):
    client.force_login(user)
    return client


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _step(client, assignment, step, **data):
    return client.post(reverse("admin:cases_caseassignment_step", args=[assignment.pk, step]), data)


def _panel_steps(page) -> list[str]:
    """The steps the page's panel offers, by their step URLs' names."""
    return [button.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] for button in page.context["workflow"]["buttons"]]


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_done_when_raise_two_departments_return_one_and_close(
    client, county, owner, colleague, agri_officer, housing_officer, item, settings_media
):
    _login(client, owner)
    response = client.post(
        reverse("admin:cases_case_add"),
        {
            "township": county.township_a.pk,
            "village": county.village_a.pk,
            "item": item.pk,
            "title": "东关村排水沟堵塞",
            "description": "雨后积水",
            "place": "东关村南",
            "priority": "normal",
            "co_sectors": [Sector.HOUSING_CONSTRUCTION],
            "attachments": [SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff", content_type="image/jpeg")],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:cases_case_change", args=[case.pk])
    assert case.attachments.count() == 1
    agri, housing = case.assignments.order_by("pk")
    for officer, assignment in ((agri_officer, agri), (housing_officer, housing)):
        _login(client, officer)
        assert _step(client, assignment, "accept").status_code == 302
        _step(client, assignment, "feedback", feedback="已到现场")
        _step(client, assignment, "respond", response="已疏通")
    _login(client, colleague)
    _step(client, agri, "rate", rating="satisfied")
    _step(client, housing, "rate", rating="unsatisfied", comment="仍有积水")
    housing.refresh_from_db()
    assert (housing.state, housing.round) == (AssignmentState.ASSIGNED, 2)
    _login(client, housing_officer)
    _step(client, housing, "accept")
    _step(client, housing, "feedback", feedback="二次清淤")
    _step(client, housing, "respond", response="已彻底疏通")
    _login(client, colleague)
    _step(client, housing, "rate", rating="basically_satisfied")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200
    timeline = list(page.context["timeline"])
    assert [row.action for row in timeline].count("rate") == 3 and timeline[-1].action == "close"


def test_a_step_not_offered_answers_a_chinese_refusal_page(client, county, owner, colleague, item):
    assignment = case_raised(actor=owner, township=county.township_a, item=item).assignments[0]
    _login(client, colleague)  # the township supervisor sees the assignment but does not accept for the department
    assert "accept" not in _panel_steps(client.get(reverse("admin:cases_caseassignment_change", args=[assignment.pk])))
    response = _step(client, assignment, "accept")
    assert response.status_code == 403
    assert "现在不能" in response.content.decode()  # zh-hans, naming the step and the state
    assert "待报到" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED


def test_a_step_refused_by_its_service_comes_back_as_a_message(client, county, owner, agri_officer, item, monkeypatch):
    """The page offered the step, but the service refuses (another user acted in between)."""
    assignment = case_raised(actor=owner, township=county.township_a, item=item).assignments[0]
    _login(client, agri_officer)
    page = reverse("admin:cases_caseassignment_change", args=[assignment.pk])
    assignment_accept(actor=agri_officer, assignment=assignment)  # done in another tab meanwhile
    monkeypatch.setattr(
        "cases.admin.cases.assignment_steps",
        lambda *, assignments, user: {a.pk: ["accept"] for a in assignments},  # the stale page's offer
    )
    response = client.post(reverse("admin:cases_caseassignment_step", args=[assignment.pk, "accept"]), {"next": page})
    assert response.status_code == 302 and response.url == page
    assert _messages(response) == [str(ACCEPT_NOT_ALLOWED)]


def test_the_outsider_is_refused_on_every_door(client, county, owner, outsider, item, settings_media):
    raised = case_raised(actor=owner, township=county.township_a, item=item, village=county.village_a)
    case, assignment = raised.case, raised.assignments[0]
    from cases.raising import case_attachment_add

    attachment = case_attachment_add(actor=owner, case=case, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    _login(client, outsider)
    assert case not in client.get(reverse("admin:cases_case_changelist")).context["cl"].result_list
    assert list(client.get(reverse("admin:cases_caseassignment_changelist")).context["cl"].result_list) == []
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 302  # "does not exist"
    assert client.get(reverse("admin:cases_caseassignment_change", args=[assignment.pk])).status_code == 302
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 404
    assert client.get(reverse("admin:cases_caseassignment_history", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
    assert _step(client, assignment, "accept").status_code == 404
    url = reverse("admin:cases_case_attachment", args=[case.pk, attachment.pk])
    assert client.get(url).status_code == 404
    for step in ("attach", "add_department"):
        assert client.get(reverse("admin:cases_case_step", args=[case.pk, step])).status_code == 404
        assert client.post(reverse("admin:cases_case_step", args=[case.pk, step])).status_code == 404
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "case", "field_name": "township", "term": ""},
    )
    assert [row["text"] for row in autocomplete.json()["results"]] == ["柳林镇"]
    # FK choices on POST: raising for the neighbouring township is a form error, nothing written
    response = client.post(
        reverse("admin:cases_case_add"),
        {"township": county.township_a.pk, "item": item.pk, "title": "t", "description": "d", "priority": "normal"},
    )
    assert response.status_code == 200 and "township" in response.context["form"].errors
    assert Case.objects.count() == 1 and CaseAttachment.objects.count() == 1


def test_the_neighbouring_department_sees_neither_the_case_nor_the_assignment(
    client, county, owner, housing_officer, item
):
    raised = case_raised(actor=owner, township=county.township_a, item=item)
    _login(client, housing_officer)
    assert list(client.get(reverse("admin:cases_case_changelist")).context["cl"].result_list) == []
    assert client.get(reverse("admin:cases_case_change", args=[raised.case.pk])).status_code == 302
    assert client.get(reverse("admin:cases_caseassignment_change", args=[raised.assignments[0].pk])).status_code == 302
    assert _step(client, raised.assignments[0], "accept").status_code == 404
    assert client.get(reverse("admin:cases_case_history", args=[raised.case.pk])).status_code == 404


def test_a_co_department_sees_the_case_but_only_its_own_assignment_and_steps(
    client, county, owner, agri_officer, housing_officer, item
):
    raised = case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    agri, housing = raised.assignments
    _login(client, agri_officer)
    client.post(reverse("admin:cases_caseassignment_step", args=[agri.pk, "accept"]))
    _login(client, housing_officer)
    page = client.get(reverse("admin:cases_case_change", args=[raised.case.pk]))
    assert page.context["assignments"] == [housing]
    assert {row.department for row in page.context["timeline"]} == {None, county.housing}
    assert _panel_steps(page) == ["accept", "decline"]
    assert all(str(county.housing) in button.label for button in page.context["workflow"]["buttons"])


def test_the_centre_adds_reassigns_and_escalates_from_the_pages(client, county, owner, agri_officer, item):
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    raised = case_raised(actor=owner, township=county.township_a, item=item)
    agri = raised.assignments[0]
    _login(client, centre)
    page = client.get(reverse("admin:cases_case_change", args=[raised.case.pk]))
    assert _panel_steps(page) == ["add_department", "reassign", "escalate"]
    add = reverse("admin:cases_case_step", args=[raised.case.pk, "add_department"])
    client.post(add, {"department": county.housing.pk})
    assert raised.case.assignments.count() == 2
    _step(client, agri, "escalate", reason="督办")
    _login(client, agri_officer)
    _step(client, agri, "decline", reason="不属本局")
    _login(client, centre)
    response = _step(client, agri, "reassign", department=county.housing.pk)
    # housing is already on the case: not a choice, so the form says so on the same page
    assert response.status_code == 200 and "department" in response.context["form"].errors
    agri.refresh_from_db()
    assert agri.state == AssignmentState.DECLINED and agri.escalated_at is not None


def test_attachment_of_a_wrong_type_is_refused(client, county, owner, item, settings_media):
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    _login(client, owner)
    response = client.post(
        reverse("admin:cases_case_step", args=[case.pk, "attach"]), {"file": SimpleUploadedFile("run.exe", b"MZ")}
    )
    assert response.status_code == 200  # the step's page again, the file's error on its field
    assert "file" in response.context["form"].errors
    assert "exe" in " ".join(response.context["form"].errors["file"])
    assert not CaseAttachment.objects.exists()


def test_list_pages_do_not_grow_queries_with_rows(client, county, owner, centre, item, django_assert_max_num_queries):
    _login(client, centre)
    case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    counts = {}
    for url in (reverse("admin:cases_case_changelist"), reverse("admin:cases_caseassignment_changelist")):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[url] = len(few)
    for _ in range(4):
        case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    for url, before in counts.items():
        with django_assert_max_num_queries(before):
            client.get(url)


def test_the_case_page_reads_its_case_and_assignments_once(client, county, owner, centre, item):
    """Its steps panel, its timeline and Django's own view each asked for them (issue 12)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = case_raised(
        actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION]
    ).case
    _login(client, centre)
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200 and len(response.context["assignments"]) == 2
    reads = [query["sql"] for query in page.captured_queries]
    assert sum(sql.startswith('SELECT "cases_case"."id"') for sql in reads) == 1
    assert sum(sql.startswith('SELECT "cases_caseassignment"."id"') for sql in reads) == 1
    assert len(page.captured_queries) <= 20  # three are the session's, in the database here (Redis in production)


def test_queues_on_the_home_page(client, county, owner, agri_officer, item):
    case_raised(actor=owner, township=county.township_a, item=item)
    _login(client, agri_officer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    items = {entry.label: entry.count for entry in todo_for(response.wsgi_request)}
    assert items["待报到的交办事项"] == 1
    assert items["逾期的交办事项"] == 0


def test_scorecards_page(client, county, centre, agri_officer):
    _login(client, centre)
    response = client.get(
        reverse("admin:cases_caseassignment_scorecards"), {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert [card.department for card in response.context["scorecards"]] == [county.agriculture, county.housing]
    assert 'value="2026-03-01"' in response.content.decode()  # a date input holds ISO dates
    _login(client, agri_officer)
    response = client.get(reverse("admin:cases_caseassignment_scorecards"))
    assert [card.department for card in response.context["scorecards"]] == [county.agriculture]
    today = timezone.localdate()
    page = response.content.decode()
    assert f'value="{today:%Y-%m-01}"' in page and f'value="{today:%Y-%m-%d}"' in page  # this month so far


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("2026-01-01", "9999-12-31", "一年"), ("2026-03-31", "2026-03-01", "开始"), ("2026-13-01", "2026-03-01", "")],
)
def test_a_scorecard_period_out_of_bounds_is_a_message_not_a_500(client, county, centre, start, end, message):
    _login(client, centre)
    response = client.get(reverse("admin:cases_caseassignment_scorecards"), {"start": start, "end": end})
    assert response.status_code == 200
    assert response.context["scorecards"] == [] and response.context["form"].errors
    assert message in response.content.decode().split('class="errornote"')[1]


def test_the_todo_panel_never_lists_one_list_twice(client, county, owner):
    """A clerk who also coordinates the county would see "overdue" twice (two roles, one list)."""
    from governance.access import role_assign

    role_assign(user=owner, unit=county.county, role=Role.COUNTY_GOVERNANCE_CENTRE)
    _login(client, owner)
    response = client.get(reverse("admin:index"))
    urls = [item.url for item in todo_for(response.wsgi_request)]
    assert len(urls) == len(set(urls))


def test_the_assignment_list_says_no_plainly_and_its_next_due(client, county, owner, agri_officer, item):
    case_raised(actor=owner, township=county.township_a, item=item)
    _login(client, agri_officer)
    page = client.get(reverse("admin:cases_caseassignment_changelist")).content.decode()
    assert "icon-no.svg" not in page  # "not overdue" is a plain 否, not a red cross
    assert '<td class="field-overdue_shown">否</td>' in page
    assert "当前环节时限" in page


def test_assignment_rows_are_never_added_or_deleted_by_hand(client, county, owner, centre, item):
    assignment = case_raised(actor=owner, township=county.township_a, item=item).assignments[0]
    _login(client, centre)
    assert client.get(reverse("admin:cases_caseassignment_add")).status_code == 403
    assert client.post(reverse("admin:cases_caseassignment_delete", args=[assignment.pk])).status_code == 403
    assert CaseAssignment.objects.count() == 1 and CaseTransition.objects.count() == 3  # raised, assigned, left out


def test_service_request_desk_screens_mask_personal_information(client, county, owner, item):
    from cases.models import ServiceRequest
    from governance.models import HandlingMode, ServiceLevel
    from tests.factories.cases import ServiceItemFactory

    township_item = ServiceItemFactory(
        code="FW-T-9", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP, promised_limit_days=5
    )
    _login(client, owner)
    response = client.post(
        reverse("admin:cases_servicerequest_add"),
        {
            "desk": county.township_a.pk,
            "item": township_item.pk,
            "applicant_name": "李桂兰",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
        },
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("admin:cases_servicerequest_change", args=[request.pk]))
    assert "110105********002X" in page.content.decode() and "11010519491231002X" not in page.content.decode()
    listing = client.get(reverse("admin:cases_servicerequest_changelist")).content.decode()
    assert "139****5678" in listing and "13912345678" not in listing
    organiser = user_with_role("org", Role.COUNTY_ORGANISATION, county.county)
    organiser.user_permissions.add(
        *__import__("django.contrib.auth.models", fromlist=["Permission"]).Permission.objects.filter(
            codename="view_servicerequest"
        )
    )
    _login(client, organiser)
    assert (
        "11010519491231002X"
        in client.get(reverse("admin:cases_servicerequest_change", args=[request.pk])).content.decode()
    )


def test_a_village_desk_cannot_log_a_township_item_through_the_screen(client, county):
    from cases.models import ServiceRequest
    from governance.models import HandlingMode, ServiceLevel
    from tests.factories.cases import ServiceItemFactory

    village_clerk = user_with_role("village", Role.VILLAGE_CLERK, county.village_a)
    township_item = ServiceItemFactory(code="FW-T-8", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP)
    _login(client, village_clerk)
    response = client.post(
        reverse("admin:cases_servicerequest_add"),
        {
            "desk": county.village_a.pk,
            "item": township_item.pk,
            "applicant_name": "王建军",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
        },
    )
    assert response.status_code == 200
    assert "村级代办点只能登记村级事项" in str(response.context["form"].errors["item"])
    assert not ServiceRequest.objects.exists()


def test_the_outsider_is_refused_on_every_service_request_door(client, county, owner, outsider):
    from cases.models import ServiceRequest
    from cases.service_requests import service_request_log
    from governance.models import HandlingMode, ServiceLevel
    from tests.factories.cases import ServiceItemFactory

    township_item = ServiceItemFactory(code="FW-T-7", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP)
    request = service_request_log(
        actor=owner,
        desk=county.township_a,
        item=township_item,
        applicant_name="李桂兰",
        id_number="11010519491231002X",
        phone="13912345678",
    ).request
    _login(client, outsider)
    assert list(client.get(reverse("admin:cases_servicerequest_changelist")).context["cl"].result_list) == []
    assert client.get(reverse("admin:cases_servicerequest_change", args=[request.pk])).status_code == 302
    assert client.get(reverse("admin:cases_servicerequest_history", args=[request.pk])).status_code == 404
    assert client.post(reverse("admin:cases_servicerequest_delete", args=[request.pk])).status_code == 403
    step = reverse("admin:cases_servicerequest_step", args=[request.pk, "accept"])
    assert client.post(step).status_code == 404
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "servicerequest", "field_name": "township", "term": ""},
    )
    assert {row["text"] for row in autocomplete.json()["results"]} == {"柳林镇", "柳林村"}
    response = client.post(
        reverse("admin:cases_servicerequest_add"),
        {
            "desk": county.township_a.pk,
            "item": township_item.pk,
            "applicant_name": "王",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
        },
    )
    assert response.status_code == 200 and "desk" in response.context["form"].errors
    request.refresh_from_db()
    assert request.state == "received" and ServiceRequest.objects.count() == 1


def test_service_request_steps_through_the_screen(client, county, owner):
    from cases.service_requests import service_request_log
    from governance.models import HandlingMode, ServiceLevel
    from tests.factories.cases import ServiceItemFactory

    township_item = ServiceItemFactory(code="FW-T-6", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP)
    request = service_request_log(
        actor=owner,
        desk=county.township_a,
        item=township_item,
        applicant_name="李桂兰",
        id_number="11010519491231002X",
        phone="13912345678",
    ).request
    _login(client, owner)
    page = client.get(reverse("admin:cases_servicerequest_change", args=[request.pk]))
    assert _panel_steps(page) == ["accept", "reject"]
    client.post(reverse("admin:cases_servicerequest_step", args=[request.pk, "accept"]))
    response = client.post(reverse("admin:cases_servicerequest_step", args=[request.pk, "reject"]), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors  # a reason is required
    client.post(reverse("admin:cases_servicerequest_step", args=[request.pk, "complete"]), {"result": "已办结"})
    request.refresh_from_db()
    assert request.state == "completed" and request.result == "已办结"


def test_the_case_page_does_not_grow_queries_with_its_assignments(client, county, owner, centre, item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = case_raised(actor=owner, township=county.township_a, item=item).case
    two = case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION]).case
    _login(client, centre)
    counts = []
    for case in (one, two):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
        counts.append(len(queries))
    # the second assignment adds only its reassign form's department list
    assert counts[1] <= counts[0] + 1


def test_an_inactive_item_cannot_be_chosen_on_the_raise_form(client, county, owner, item):
    from tests.factories.cases import CoordinationItemFactory

    retired = CoordinationItemFactory(code="XT-OLD", name="已停用事项", active=False)
    _login(client, owner)
    response = client.post(
        reverse("admin:cases_case_add"),
        {"township": county.township_a.pk, "item": retired.pk, "title": "t", "description": "d", "priority": "normal"},
    )
    assert response.status_code == 200 and "item" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_case_history_page_shows_every_change_with_who_made_it(client, county, owner, colleague, agri_officer, item):
    """Issue 11: after a whole lifecycle the history pages showed only "created"."""
    raised = case_raised(actor=owner, township=county.township_a, item=item)
    assignment = raised.assignments[0]
    assignment_accept(actor=agri_officer, assignment=assignment)
    assignment_feedback(actor=agri_officer, assignment=assignment, feedback="已到现场")
    assignment_respond(actor=agri_officer, assignment=assignment, response="已疏通")
    assignment_rate(actor=colleague, assignment=assignment, rating="satisfied")
    states = list(assignment.history.order_by("history_id").values_list("state", "history_user__username"))
    assert states == [
        ("assigned", "owner"),
        ("accepted", "agri"),
        ("in_progress", "agri"),
        ("responded", "agri"),
        ("completed", "colleague"),
    ]
    assert list(raised.case.history.order_by("history_id").values_list("state", flat=True)) == ["open", "closed"]
    _login(client, colleague)
    page = client.get(reverse("admin:cases_caseassignment_history", args=[assignment.pk])).content.decode()
    changes = page[page.index('id="change-history"') :]
    assert "已反馈，待评价" in changes and "已办结" in changes  # the state, by its label, old → new
    assert "已疏通" in changes  # the result written


@pytest.mark.parametrize("digits", ["²", "١", "12"])
def test_a_filter_given_unusual_digits_answers_a_page_not_a_500(client, county, centre, digits):
    """``"²".isdigit()`` is true yet ``int("²")`` fails: the filters read decimal digits only."""
    client.force_login(centre)
    cases = client.get(reverse("admin:cases_case_changelist"), {"township": digits})
    assignments = client.get(reverse("admin:cases_caseassignment_changelist"), {"escalated_to": digits})
    assert cases.status_code in (200, 302) and assignments.status_code in (200, 302)
