"""The township's own governance office (乡镇社会治理室, issue 14 item 7): it sees every case and
service request of its township, completes what the village desks pass on, chases overdue steps
(催办) and raises cases; rating and the personnel powers stay with the township supervisor."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.assignments import CHASE_NOT_OVERDUE, MAY_NOT_CHASE, assignment_chase
from cases.models import Case, CaseTransition, Rating, ServiceRequest, ServiceRequestState, TransitionAction
from cases.ratings import MAY_NOT_RATE, assignment_rate
from cases.selectors import assignment_steps
from cases.service_requests import service_request_accept, service_request_complete, service_request_forward
from governance.models import HandlingMode
from governance.roles import Role
from tests.cases.conftest import beijing
from tests.cases.test_service_requests import _log
from tests.conftest import user_with_role
from tests.factories.cases import ServiceItemFactory, case_raised


@pytest.fixture
def office(county):
    return user_with_role("office", Role.TOWNSHIP_OFFICE, county.township_a)


@pytest.fixture
def neighbour_office(county):
    return user_with_role("neighbour_office", Role.TOWNSHIP_OFFICE, county.township_b)


@pytest.fixture
def raised(county, owner, item):
    return case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9))


def test_the_office_raises_a_case_and_sees_every_case_of_the_township(county, office, outsider, raised, item):
    mine = case_raised(actor=office, township=county.township_a, item=item, village=county.village_a)
    theirs = case_raised(actor=outsider, township=county.township_b, item=item)
    assert set(Case.objects.for_user(office)) == {raised.case, mine.case}
    assert theirs.case not in set(Case.objects.for_user(office))
    with pytest.raises(ValidationError):
        case_raised(actor=office, township=county.township_b, item=item)


def test_the_office_completes_what_the_village_desk_passes_on(county, office, neighbour_office):
    village_clerk = user_with_role("village", Role.VILLAGE_CLERK, county.village_a)
    item = ServiceItemFactory(code="FW-V-9", handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP, promised_limit_days=5)
    request = _log(village_clerk, county.village_a, item).request
    assert set(ServiceRequest.objects.for_user(office)) == {request}
    assert not ServiceRequest.objects.for_user(neighbour_office).exists()
    service_request_accept(actor=village_clerk, request=request)
    service_request_forward(actor=village_clerk, request=request)
    with pytest.raises(ValidationError):
        service_request_complete(actor=neighbour_office, request=request)
    assert service_request_complete(actor=office, request=request).state == ServiceRequestState.COMPLETED


def test_the_office_chases_an_overdue_step_with_a_note(county, office, neighbour_office, colleague, raised):
    assignment = raised.assignments[0]
    on_time, late = beijing(2026, 3, 2, 10), beijing(2026, 3, 4, 9)  # accept due at Tuesday's close
    with pytest.raises(ValidationError) as caught:
        assignment_chase(actor=office, assignment=assignment, reason="请尽快报到", now=on_time)
    assert caught.value.messages == [str(CHASE_NOT_OVERDUE)]
    for actor in (neighbour_office, colleague):  # the supervisor rates; chasing is the office's
        with pytest.raises(ValidationError) as caught:
            assignment_chase(actor=actor, assignment=assignment, reason="请尽快报到", now=late)
        assert caught.value.messages == [str(MAY_NOT_CHASE)]
    with pytest.raises(ValidationError):
        assignment_chase(actor=office, assignment=assignment, reason=" ", now=late)
    assignment_chase(actor=office, assignment=assignment, reason="已超期，请今日到现场", now=late)
    step = CaseTransition.objects.get(action=TransitionAction.CHASE)
    assert (step.actor, step.assignment, step.reason) == (office, assignment, "已超期，请今日到现场")
    assignment.refresh_from_db()
    assert assignment.state == "assigned"  # chasing changes no state


def test_the_office_does_not_rate(county, office, raised):
    assignment = raised.assignments[0]
    with pytest.raises(ValidationError) as caught:
        assignment_rate(actor=office, assignment=assignment, rating=Rating.SATISFIED)
    assert caught.value.messages == [str(MAY_NOT_RATE)]


def test_the_chase_button_and_the_home_queue(client, county, office, raised):
    from cases.models import CaseAssignment

    CaseAssignment.objects.filter(pk=raised.assignments[0].pk).update(accept_due=beijing(2026, 3, 2, 17, 30))
    assignment = CaseAssignment.objects.select_related("case").get(pk=raised.assignments[0].pk)
    assert assignment_steps(assignments=[assignment], user=office)[assignment.pk] == ["chase"]
    client.force_login(office)
    home = client.get(reverse("admin:index")).content.decode()
    assert "待催办的超期事项" in home
    assert "派驻干部" not in home and "staffing" not in home  # no personnel screens
    url = reverse("admin:cases_caseassignment_step", args=[assignment.pk, "chase"])
    response = client.post(url, {"reason": "请今日报到"})
    assert response.status_code == 302
    assert CaseTransition.objects.filter(action=TransitionAction.CHASE).count() == 1
    assert client.get(reverse("admin:cases_case_change", args=[raised.case.pk])).status_code == 200
