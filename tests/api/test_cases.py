"""Raising a case through the API: the same service as the admin (``case_raise``), so the same rules
and the same messages, in Chinese or English by Accept-Language; attachments; the caller's ticket
number unique per client; reading one case and its timeline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.models import Case, CaseAttachment
from cases.raising import ITEM_INACTIVE, NOT_A_TOWNSHIP, VILLAGE_OUTSIDE_TOWNSHIP
from cases.ratings import assignment_rate
from governance.api.models import ApiTicket
from governance.models import CoordinationItem
from governance.roles import Capability, Role
from tests.api.conftest import caller, case_body
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def _in(language, message):
    with translation.override(language):
        return str(message)


def test_the_hotline_raises_a_case_for_two_departments(county, hotline, item):
    response = hotline.post(CASES, case_body(county))
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference and response["Location"].endswith(f"{CASES}{case.reference}/")
    assert body["ticket"] == "12345-20261201-0001"
    assert [a["department"]["name"] for a in body["assignments"]] == ["清河县农业农村局", "清河县住建局"]
    assert all(a["state"] == "assigned" and a["accept_due"] for a in body["assignments"])
    assert case.raised_by == hotline.client.user  # the timeline says the hotline raised it
    assert ApiTicket.objects.get(case=case).client == hotline.client


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"village": "419921101001"}, "village", VILLAGE_OUTSIDE_TOWNSHIP),  # 柳林村 of the other township
        ({"township": "419921100001", "village": None}, "township", NOT_A_TOWNSHIP),  # a village
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_services_rules_and_messages_hold(county, hotline, item, changes, field, message, language):
    response = hotline.post(CASES, case_body(county, **changes), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    expected = _in(language, message)
    assert body["fields"] == {field: [expected]} and body["message"] == expected
    assert not Case.objects.exists() and not ApiTicket.objects.exists()


def test_the_messages_are_the_admins_chinese_by_default(county, hotline, item):
    CoordinationItem.objects.filter(pk=item.pk).update(active=False)
    body = hotline.post(CASES, case_body(county)).json()
    assert body["fields"] == {"item": [_in("zh-hans", ITEM_INACTIVE)]}
    assert body["message"] == _in("zh-hans", ITEM_INACTIVE) != _in("en", ITEM_INACTIVE)


def test_type_and_shape_errors_are_named_by_field(county, hotline, item):
    body = hotline.post(
        CASES, case_body(county, title={"a": 1}, co_sectors=["nowhere"], priority="soon", item="XT-404")
    ).json()
    assert set(body["fields"]) == {"title", "co_sectors.0", "priority", "item"}
    assert body["message"] == "请求有误，请查看各字段的说明。"
    assert "XT-404" in body["fields"]["item"][0]


def test_a_client_without_the_capability_is_refused(county, city_admin, item):
    reader = caller(actor=city_admin, name="只读", units=[county.county], capabilities=[Capability.SEE_RECORDS])
    response = reader.post(CASES, case_body(county))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied" and "发起案件" in response.json()["message"]


def test_a_ticket_number_is_used_once_per_client(county, hotline, county_app, item):
    assert hotline.post(CASES, case_body(county)).status_code == 201
    again = hotline.post(CASES, case_body(county, title="另一件事"))
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_ticket" and Case.objects.get().reference in again.json()["message"]
    # Another client's numbering is its own.
    assert county_app.post(CASES, case_body(county)).status_code == 201
    assert Case.objects.count() == 2


def test_cases_without_a_ticket_number_need_none(county, hotline, item):
    assert hotline.post(CASES, case_body(county, ticket="")).status_code == 201
    assert hotline.post(CASES, case_body(county, ticket="")).status_code == 201


def _photo(name="photo.jpg", size=100):
    return SimpleUploadedFile(name, b"\xff\xd8\xff" + b"0" * size, content_type="image/jpeg")


def test_attachments_come_as_a_multipart_form(county, hotline, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body = case_body(county)
    body["attachments"] = [_photo("现场1.jpg"), _photo("现场2.jpg")]
    response = hotline.post(CASES, body, format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["现场1.jpg", "现场2.jpg"]
    assert CaseAttachment.objects.count() == 2


def test_an_attachment_the_admin_would_refuse_is_refused(county, hotline, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body = case_body(county)
    body["attachments"] = [_photo("virus.exe")]
    response = hotline.post(CASES, body, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["attachments"]
    assert not Case.objects.exists()


@override_settings(API_MAX_ATTACHMENTS=1)
def test_too_many_attachments_are_refused(county, hotline, item):
    body = case_body(county)
    body["attachments"] = [_photo(), _photo("b.jpg")]
    response = hotline.post(CASES, body, format="multipart")
    assert response.status_code == 400 and "最多 1 个附件" in response.json()["fields"]["attachments"][0]


def test_one_case_and_its_timeline_through_to_closing(county, hotline, item):
    reference = hotline.post(CASES, case_body(county, co_sectors=[], left_out_reason="只涉及农业部门")).json()[
        "reference"
    ]
    case = Case.objects.get(reference=reference)
    officer = user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)
    supervisor = user_with_role("boss", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    assignment = case.assignments.get()
    assignment_accept(actor=officer, assignment=assignment)
    assignment_feedback(actor=officer, assignment=assignment, feedback="已到现场")
    assignment_respond(actor=officer, assignment=assignment, response="已清淤")
    assignment_rate(actor=supervisor, assignment=assignment, rating="satisfied")

    detail = hotline.get(f"{CASES}{reference}/").json()
    assert detail["state"] == "closed" and detail["closed_at"]
    assert detail["assignments"][0] | {"rating": "satisfied", "response": "已清淤"} == detail["assignments"][0]
    steps = hotline.get(f"{CASES}{reference}/timeline/").json()
    actions = ["raise", "left_out", "assign", "accept", "feedback", "respond", "rate", "close"]
    assert [step["action"] for step in steps] == actions
    assert steps[1]["reason"] == "清河县住建局：只涉及农业部门"  # housing, co-handling for the item, left out
    assert steps[-1]["to_state"] == "closed" and steps[3]["department"]["name"] == "清河县农业农村局"


def test_an_unknown_reference_is_a_json_404(county, hotline):
    response = hotline.get(f"{CASES}2026-000000000-0001/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_items_co_handling_departments_are_assigned_unless_left_out_with_a_reason(hotline, county, item):
    """Issue 14: a hotline that names no co-handling sectors gets the item's; leaving one out needs a reason."""
    body = case_body(county)
    del body["co_sectors"]
    reference = hotline.post(CASES, body).json()["reference"]
    case = Case.objects.get(reference=reference)
    assert {a.department.name for a in case.assignments.all()} == {"清河县农业农村局", "清河县住建局"}
    refused = hotline.post(CASES, case_body(county, ticket="12345-2", co_sectors=[]))
    assert refused.status_code == 400 and "co_sectors" in refused.json()["fields"]
    assert "清河县住建局" in refused.json()["fields"]["co_sectors"][0]
