"""Service requests at the village and township desks."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import DeskLevel, ServiceRequest, ServiceRequestState, ServiceRequestTransition
from cases.service_requests import (
    MAY_NOT_LOG,
    PHONE_INVALID,
    REJECT_REASON_REQUIRED,
    REQUEST_ACCEPT_NOT_ALLOWED,
    REQUEST_COMPLETE_AT_TOWNSHIP,
    REQUEST_FORWARD_NOT_ALLOWED,
    VILLAGE_DESK_TOWNSHIP_ITEM,
    service_request_accept,
    service_request_complete,
    service_request_forward,
    service_request_log,
    service_request_reject,
)
from governance.models import HandlingMode, ServiceLevel
from governance.roles import Role
from staffing.idnumbers import ID_NUMBER_CHECK_DIGIT
from tests.cases.conftest import beijing
from tests.conftest import user_with_role
from tests.factories.cases import ServiceItemFactory

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def _messages(error):
    return [str(message) for message in error.value.messages]


@pytest.fixture
def village_clerk(county):
    return user_with_role("village", Role.VILLAGE_CLERK, county.village_a)


@pytest.fixture
def village_item(db):
    return ServiceItemFactory(code="FW-V-001", name="高龄津贴申领", promised_limit_days=3)


@pytest.fixture
def passing_item(db):
    return ServiceItemFactory(
        code="FW-V-002",
        name="残疾人两项补贴申请",
        handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP,
        promised_limit_days=5,
    )


@pytest.fixture
def township_item(db):
    return ServiceItemFactory(
        code="FW-T-001",
        name="农村宅基地申请审批",
        level=ServiceLevel.TOWNSHIP,
        handling_mode=HandlingMode.TOWNSHIP,
        statutory_limit_days=20,
        promised_limit_days=15,
    )


def _log(actor, desk, item, now=None, **overrides):
    fields = {"applicant_name": "李桂兰", "id_number": ID_NUMBER, "phone": PHONE, **overrides}
    return service_request_log(actor=actor, desk=desk, item=item, now=now, **fields)


def test_a_village_desk_logs_accepts_and_completes_a_village_item(county, village_clerk, village_item):
    result = _log(village_clerk, county.village_a, village_item, now=beijing(2026, 2, 13, 10))
    request = result.request
    assert (request.township, request.village, request.desk) == (county.township_a, county.village_a, DeskLevel.VILLAGE)
    assert request.due_at == beijing(2026, 2, 25, 17, 30)  # 3 working days across the Spring Festival, at the close
    assert request.handler == village_clerk
    service_request_accept(actor=village_clerk, request=request)
    done = service_request_complete(actor=village_clerk, request=request, result="已发放")
    assert done.state == ServiceRequestState.COMPLETED and done.finished_at is not None
    assert list(ServiceRequestTransition.objects.values_list("action", flat=True)) == ["log", "accept", "complete"]


def test_a_village_desk_cannot_log_a_township_item(county, village_clerk, township_item):
    with pytest.raises(ValidationError) as error:
        _log(village_clerk, county.village_a, township_item)
    assert _messages(error) == [str(VILLAGE_DESK_TOWNSHIP_ITEM) % {"item": township_item.name}]
    assert not ServiceRequest.objects.exists()


def test_the_township_desk_logs_a_township_item(county, owner, township_item):
    request = _log(owner, county.township_a, township_item).request
    assert request.village is None and request.desk == DeskLevel.TOWNSHIP


def test_accepted_at_the_village_completed_at_the_township(county, village_clerk, owner, passing_item):
    request = _log(village_clerk, county.village_a, passing_item).request
    service_request_accept(actor=village_clerk, request=request)
    with pytest.raises(ValidationError) as error:
        service_request_complete(actor=village_clerk, request=request)
    assert _messages(error) == [str(REQUEST_COMPLETE_AT_TOWNSHIP)]
    passed = service_request_forward(actor=village_clerk, request=request)
    assert passed.desk == DeskLevel.TOWNSHIP and passed.state == ServiceRequestState.ACCEPTED
    with pytest.raises(ValidationError) as error:
        service_request_complete(actor=village_clerk, request=request)  # no longer at the village's desk
    assert _messages(error) == [str(MAY_NOT_LOG)]
    assert service_request_complete(actor=owner, request=request).state == ServiceRequestState.COMPLETED
    assert ServiceRequestTransition.objects.get(action="forward").to_desk == DeskLevel.TOWNSHIP


def test_an_ordinary_village_item_does_not_pass_on(county, village_clerk, village_item):
    request = _log(village_clerk, county.village_a, village_item).request
    service_request_accept(actor=village_clerk, request=request)
    with pytest.raises(ValidationError) as error:
        service_request_forward(actor=village_clerk, request=request)
    assert _messages(error) == [str(REQUEST_FORWARD_NOT_ALLOWED)]


def test_rejection_needs_a_reason(county, owner, township_item):
    request = _log(owner, county.township_a, township_item).request
    with pytest.raises(ValidationError) as error:
        service_request_reject(actor=owner, request=request, reason="")
    assert _messages(error) == [str(REJECT_REASON_REQUIRED)]
    rejected = service_request_reject(actor=owner, request=request, reason="材料不全")
    assert rejected.state == ServiceRequestState.REJECTED and rejected.result == "材料不全"
    with pytest.raises(ValidationError) as error:
        service_request_accept(actor=owner, request=request)
    assert _messages(error) == [str(REQUEST_ACCEPT_NOT_ALLOWED)]


def test_bad_id_number_and_phone_are_refused_with_nothing_written(county, owner, township_item):
    with pytest.raises(ValidationError) as error:
        _log(owner, county.township_a, township_item, id_number="110105194912310021", phone="12345")
    assert error.value.message_dict == {
        "id_number": [str(ID_NUMBER_CHECK_DIGIT) % {"number": "110105194912310021"}],
        "phone": [str(PHONE_INVALID)],
    }
    assert not ServiceRequest.objects.exists()


def test_the_outsider_can_neither_log_nor_handle(county, owner, outsider, village_clerk, township_item, village_item):
    with pytest.raises(ValidationError) as error:
        _log(outsider, county.township_a, township_item)
    assert _messages(error) == [str(MAY_NOT_LOG)]
    with pytest.raises(ValidationError):
        _log(outsider, county.village_a, village_item)
    request = _log(owner, county.township_a, township_item).request
    for step in (service_request_accept, service_request_complete):
        with pytest.raises(ValidationError):
            step(actor=outsider, request=request)
    # the village clerk cannot handle a request at the township desk either
    with pytest.raises(ValidationError):
        service_request_accept(actor=village_clerk, request=request)
    request.refresh_from_db()
    assert request.state == ServiceRequestState.RECEIVED
    assert set(ServiceRequest.objects.for_user(outsider)) == set()


def test_a_due_date_in_a_year_without_data_falls_back(county, owner, township_item):
    result = _log(owner, county.township_a, township_item, now=beijing(2027, 3, 1, 9))
    assert result.guessed_years == (2027,)
    assert result.request.due_at == beijing(2027, 3, 22, 17, 30)


# --- issue 14 item 5: the promise counts office hours as case steps do ---


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (beijing(2026, 3, 7, 10), beijing(2026, 3, 11, 17, 30)),  # Saturday: counting starts Monday's opening
        (beijing(2026, 3, 6, 17, 30), beijing(2026, 3, 11, 17, 30)),  # Friday at the close: the same
        (beijing(2026, 3, 6, 10), beijing(2026, 3, 11, 17, 30)),  # Friday in office hours: Monday is day one
        (beijing(2026, 3, 9, 7), beijing(2026, 3, 11, 17, 30)),  # Monday before the opening: Monday is day one
        (beijing(2026, 3, 9, 10), beijing(2026, 3, 12, 17, 30)),
    ],
)
def test_a_request_received_outside_office_hours_is_not_due_earlier(county, village_clerk, village_item, received, due):
    assert _log(village_clerk, county.village_a, village_item, now=received).request.due_at == due


def test_the_office_hours_are_settings(settings, county, village_clerk, village_item):
    import datetime

    settings.WORKDAY_CLOSES = datetime.time(18, 0)
    request = _log(village_clerk, county.village_a, village_item, now=beijing(2026, 3, 7, 10)).request
    assert request.due_at == beijing(2026, 3, 11, 18)


# --- issue 10: elderly applicants keep the number issued under the code of their registration ---


@pytest.mark.parametrize(
    ("region", "born"),
    [("410102", (1938, 4, 5)), ("412723", (1946, 10, 1)), ("411702", (1952, 1, 20))],
)
def test_an_old_age_allowance_applicant_born_before_the_code_started_is_logged(
    county, village_clerk, village_item, region, born
):
    """高龄津贴 applicants: 410102 is dated "[1983-]" and 411702 "[2000-]" by python-stdnum,
    412723 was retired in 2000; each is the code these people registered under."""
    import datetime

    from staffing.idnumbers import id_number_compose

    number = id_number_compose(region, datetime.date(*born), 26)
    request = _log(village_clerk, county.village_a, village_item, id_number=number, phone="0371-63621234").request
    assert (request.id_number, request.phone) == (number, "0371-63621234")


def test_a_future_birth_date_is_refused_at_the_desk(county, owner, township_item):
    import datetime

    from staffing.idnumbers import ID_NUMBER_BIRTH_DATE_RANGE, id_number_compose

    number = id_number_compose("410102", datetime.date(2999, 1, 1), 26)
    with pytest.raises(ValidationError) as error:
        _log(owner, county.township_a, township_item, id_number=number)
    assert error.value.message_dict == {
        "id_number": [str(ID_NUMBER_BIRTH_DATE_RANGE % {"number": number, "birth_date": datetime.date(2999, 1, 1)})]
    }
    assert not ServiceRequest.objects.exists()
