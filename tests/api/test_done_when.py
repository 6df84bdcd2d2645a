"""Issue 17's "done when", as one story: the hotline creates a service request for a township and a
case for two departments, retries the same call safely, lists what changed since its last poll and
receives a signed webhook when the case closes; a county client sees nothing of another county."""

import hashlib
import hmac
import json

import pytest

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.models import Case, ServiceRequest
from cases.ratings import assignment_rate
from governance.roles import Role
from tests.api.conftest import caller, case_body, request_body
from tests.api.test_webhooks import Receiver
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db


def test_the_hotlines_day(
    county, city_admin, item, township_item, other_county_app, django_capture_on_commit_callbacks
):
    from governance.celery import app

    receiver = Receiver()
    eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        hotline = caller(actor=city_admin, name="12345热线", units=[county.city], webhook_url=receiver.url)
        logged = hotline.post("/api/v1/service-requests/", request_body(county), HTTP_IDEMPOTENCY_KEY="sr-1")
        raised = hotline.post("/api/v1/cases/", case_body(county), HTTP_IDEMPOTENCY_KEY="case-1")
        retried = hotline.post("/api/v1/cases/", case_body(county), HTTP_IDEMPOTENCY_KEY="case-1")
        assert (logged.status_code, raised.status_code, retried.status_code) == (201, 201, 201)
        assert retried.json() == raised.json() and Case.objects.count() == ServiceRequest.objects.count() == 1
        case = raised.json()
        assert len(case["assignments"]) == 2
        last_poll = case["changed_at"]

        officers = [
            user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture),
            user_with_role("housing", Role.DEPARTMENT_OFFICER, county.housing),
        ]
        supervisor = user_with_role("boss", Role.TOWNSHIP_SUPERVISOR, county.township_a)
        with django_capture_on_commit_callbacks(execute=True):
            for officer, assignment in zip(officers, Case.objects.get().assignments.order_by("pk"), strict=True):
                assignment_accept(actor=officer, assignment=assignment)
                assignment_feedback(actor=officer, assignment=assignment, feedback="已到现场")
                assignment_respond(actor=officer, assignment=assignment, response="已处置")
                assignment_rate(actor=supervisor, assignment=assignment, rating="satisfied")

        changed = hotline.get("/api/v1/cases/", {"changed_since": last_poll}).json()["results"]
        assert [(c["reference"], c["state"]) for c in changed] == [(case["reference"], "closed")]
        headers, body = receiver.received[-1]
        assert json.loads(body)["type"] == "case.close"
        signed = headers["X-Signature-Timestamp"].encode() + b"." + body
        expected = hmac.new(hotline.webhook_secret.encode(), signed, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Signature"], f"sha256={expected}")

        assert other_county_app.get(f"/api/v1/cases/{case['reference']}/").status_code == 404
        assert other_county_app.get("/api/v1/cases/").json()["results"] == []
        assert other_county_app.get("/api/v1/service-requests/").json()["results"] == []
    finally:
        app.conf.task_always_eager = eager
        receiver.close()
