"""Logging a service request through the API (the admin's ``service_request_log``) and reading it
back; ID numbers and phones are shown only to a client holding the personal-information capability
on the request's township, masked otherwise, as on the admin's list."""

import pytest
from django.utils import translation

from cases.models import ServiceRequest
from cases.service_requests import service_request_accept, service_request_complete
from governance.roles import Capability, Role
from staffing.idnumbers import ID_NUMBER_CHECK_DIGIT
from tests.api.conftest import ID_NUMBER, PHONE, caller, request_body
from tests.conftest import user_with_role
from tests.factories.cases import ServiceItemFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/service-requests/"
MASKED = ("110105********002X", "138****5678")


def test_the_hotline_logs_a_request_at_a_township_desk(county, hotline, township_item):
    response = hotline.post(REQUESTS, request_body(county))
    assert response.status_code == 201, response.json()
    body = response.json()
    request = ServiceRequest.objects.get()
    assert (body["id"], body["desk"], body["state"]) == (request.pk, "township", "received")
    assert body["ticket"] == "12345-20261201-0002"
    assert body["due_at"] and request.handler == hotline.client.user
    assert (body["id_number"], body["phone"]) == (ID_NUMBER, PHONE)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_wrong_id_number_gets_the_desks_message(county, hotline, township_item, language):
    bad = ID_NUMBER[:-1] + "3"
    response = hotline.post(REQUESTS, request_body(county, id_number=bad), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    with translation.override(language):
        expected = str(ID_NUMBER_CHECK_DIGIT) % {"number": bad}
    assert response.json()["fields"] == {"id_number": [expected]}
    assert not ServiceRequest.objects.exists()


def test_a_village_desk_logs_only_village_items(county, hotline, township_item):
    response = hotline.post(REQUESTS, request_body(county, desk=county.village_a.code))
    assert response.status_code == 400
    assert "城乡居民养老保险参保登记" in response.json()["fields"]["item"][0]
    village_item = ServiceItemFactory(code="FW-V01")
    assert hotline.post(REQUESTS, request_body(county, desk=county.village_a.code, item="FW-V01")).status_code == 201
    assert ServiceRequest.objects.get().village == county.village_a and village_item


def test_personal_information_is_masked_without_the_capability(county, city_admin, township_item):
    plain = caller(
        actor=city_admin,
        name="县App",
        units=[county.county],
        capabilities=[Capability.SEE_RECORDS, Capability.LOG_SERVICE_REQUEST],
    )
    created = plain.post(REQUESTS, request_body(county)).json()
    assert (created["id_number"], created["phone"]) == MASKED
    detail = plain.get(f"{REQUESTS}{created['id']}/").json()
    listed = plain.get(REQUESTS).json()["results"][0]
    assert (detail["id_number"], detail["phone"]) == (listed["id_number"], listed["phone"]) == MASKED


def test_personal_information_is_shown_with_the_capability(county, hotline, county_app, township_item):
    created = hotline.post(REQUESTS, request_body(county)).json()
    detail = county_app.get(f"{REQUESTS}{created['id']}/").json()
    assert (detail["id_number"], detail["phone"]) == (ID_NUMBER, PHONE)
    assert detail["ticket"] is None  # the hotline's ticket number is the hotline's business


def test_the_requests_steps(county, hotline, township_item):
    created = hotline.post(REQUESTS, request_body(county)).json()
    clerk = user_with_role("clerk", Role.TOWNSHIP_CLERK, county.township_a)
    request = ServiceRequest.objects.get(pk=created["id"])
    service_request_accept(actor=clerk, request=request)
    service_request_complete(actor=clerk, request=request, result="已办结")
    detail = hotline.get(f"{REQUESTS}{request.pk}/").json()
    assert (detail["state"], detail["result"]) == ("completed", "已办结")
    steps = hotline.get(f"{REQUESTS}{request.pk}/timeline/").json()
    assert [(s["action"], s["to_state"]) for s in steps] == [
        ("log", "received"),
        ("accept", "accepted"),
        ("complete", "completed"),
    ]
