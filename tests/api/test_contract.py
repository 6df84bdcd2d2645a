"""Contract tests: every operation of the OpenAPI schema is called as a caller would, and every
answer, successes and refusals alike, matches the schema; the schema itself generates without a
warning and its documentation pages are served with their scripts from our own static files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from cases.assignments import assignment_accept
from governance.roles import Capability, Role
from tests.api.conftest import caller, case_body, request_body
from tests.api.contract import Contract
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return Contract(response.json())


def test_the_schema_generates_without_a_warning():
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


def test_every_operation_answers_as_the_schema_says(
    county, city_admin, hotline, item, township_item, contract, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    def call(method, path, data=None, *, caller_=hotline, **kwargs):
        response = getattr(caller_, method)(path, data, **kwargs)
        contract.check(method, path.split("?")[0], response)
        return response

    created = call("post", "/api/v1/cases/", case_body(county)).json()
    reference = created["reference"]
    with_photo = case_body(county, ticket="12345-2")
    with_photo["attachments"] = [SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff0", content_type="image/jpeg")]
    call("post", "/api/v1/cases/", with_photo, format="multipart")
    officer = user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)
    from cases.models import Case

    assignment_accept(actor=officer, assignment=Case.objects.get(reference=reference).assignments.first())
    call("get", "/api/v1/cases/", {"changed_since": "2020-01-01T00:00:00+08:00", "page_size": 1})
    call("get", f"/api/v1/cases/{reference}/")
    call("get", f"/api/v1/cases/{reference}/timeline/")
    request_id = call("post", "/api/v1/service-requests/", request_body(county)).json()["id"]
    call("get", "/api/v1/service-requests/")
    call("get", f"/api/v1/service-requests/{request_id}/")
    call("get", f"/api/v1/service-requests/{request_id}/timeline/")
    call("get", "/api/v1/service-items/")
    call("get", "/api/v1/coordination-items/", {"include_inactive": "true"})
    call("get", "/api/v1/units/", {"level": "township"})

    # Refusals: each a documented status with the error body.
    call("post", "/api/v1/cases/", case_body(county, title=""))  # 400
    call("post", "/api/v1/cases/", case_body(county))  # 409: the ticket again
    call("post", "/api/v1/cases/", case_body(county), HTTP_IDEMPOTENCY_KEY="x" * 101)  # 422
    call("get", "/api/v1/cases/2026-000000000-0001/")  # 404
    reader = caller(actor=city_admin, name="只读", units=[county.county], capabilities=[Capability.SEE_RECORDS])
    call("post", "/api/v1/service-requests/", request_body(county), caller_=reader)  # 403
    hotline.http.credentials()
    call("get", "/api/v1/units/")  # 401
    with override_settings(API_MAX_BODY_BYTES=1024):
        call("post", "/api/v1/cases/", case_body(county, description="长" * 1000), caller_=reader)  # 413

    assert contract.operations() == contract.exercised


def test_the_documentation_pages_use_no_cdn(client):
    for page in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(page).content.decode()
        assert "/static/drf_spectacular_sidecar/" in html and "cdn" not in html.lower(), page
