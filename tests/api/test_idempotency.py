"""Safe to retry: the same Idempotency-Key gets the same answer and creates once; the same key with
another request is refused; two requests with one key at the same moment create once (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Case, ServiceRequest
from governance.api.models import IdempotencyRecord
from tests.api.conftest import case_body, request_body

CASES = "/api/v1/cases/"


@pytest.mark.django_db
def test_a_retry_gets_the_same_answer_and_creates_nothing(county, hotline, item):
    first = hotline.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY="k-1")
    again = hotline.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_is_the_answer_to_its_retries_too(county, hotline, township_item):
    body = request_body(county, id_number="123")
    first = hotline.post("/api/v1/service-requests/", body, HTTP_IDEMPOTENCY_KEY="k-2")
    again = hotline.post("/api/v1/service-requests/", body, HTTP_IDEMPOTENCY_KEY="k-2")
    assert first.status_code == again.status_code == 400 and first.json() == again.json()
    assert not ServiceRequest.objects.exists()


@pytest.mark.django_db
def test_the_same_key_for_another_request_is_refused(county, hotline, item):
    hotline.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY="k-3")
    other = hotline.post(CASES, case_body(county, title="别的事"), HTTP_IDEMPOTENCY_KEY="k-3")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_client(county, hotline, county_app, item):
    assert hotline.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert county_app.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " padded ", "键", "x" * 101, "a\tb"])
def test_a_key_that_is_not_one_is_refused(county, hotline, item, key):
    response = hotline.post(CASES, case_body(county), HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_invalid"
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_without_a_key_each_call_creates(county, hotline, item):
    hotline.post(CASES, case_body(county, ticket=""))
    hotline.post(CASES, case_body(county, ticket=""))
    assert Case.objects.count() == 2 and not IdempotencyRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_create_one_case(postgres_only, county, hotline, item):
    """As two gateway threads retrying a timed-out call would: each on its own connection."""
    barrier = threading.Barrier(2)
    answers = [None, None]

    def post(index):
        http = APIClient()
        http.credentials(HTTP_AUTHORIZATION=f"Bearer {hotline.token}")
        try:
            barrier.wait()
            answers[index] = http.post(CASES, case_body(county), format="json", HTTP_IDEMPOTENCY_KEY="race")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Case.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    assert sum(answer.has_header("Idempotent-Replayed") for answer in answers) == 1
