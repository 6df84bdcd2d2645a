"""Polling: the records changed since a moment, oldest change first, page by page with a cursor
that continues exactly where the last page stopped."""

from datetime import timedelta

import pytest

from cases.assignments import assignment_accept
from governance.roles import Role
from tests.cases.conftest import beijing
from tests.conftest import user_with_role
from tests.factories.cases import case_raised

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def _references(caller, url, params=None):
    """Every page, following "next"; the references in the order given."""
    seen, response = [], caller.get(url, params)
    while True:
        body = response.json()
        seen += [case["reference"] for case in body["results"]]
        if not body["next"]:
            return seen
        response = caller.get(body["next"])


def test_changed_since_lists_the_cases_with_a_later_step_oldest_change_first(county, owner, hotline, item):
    start = beijing(2026, 3, 2, 9)
    cases = [
        case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[], now=start + timedelta(hours=h))
        for h in range(5)
    ]
    officer = user_with_role("agri", Role.DEPARTMENT_OFFICER, county.agriculture)
    assignment_accept(actor=officer, assignment=cases[0].assignments[0], now=start + timedelta(hours=10))

    since = (start + timedelta(hours=2, minutes=30)).isoformat()
    listed = _references(hotline, CASES, {"changed_since": since, "page_size": 2})
    # Raised at 3 and 4 h, then the first case, accepted at 10 h.
    assert listed == [cases[3].case.reference, cases[4].case.reference, cases[0].case.reference]
    everything = _references(hotline, CASES, {"page_size": 2})
    assert everything == [c.case.reference for c in cases[1:]] + [cases[0].case.reference]


def test_a_moment_without_an_offset_is_beijing_time(county, owner, hotline, item):
    case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9))
    assert _references(hotline, CASES, {"changed_since": "2026-03-02T08:59:00"})
    assert not _references(hotline, CASES, {"changed_since": "2026-03-02T09:01:00"})


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00", "\x00", "9" * 300])
def test_a_moment_that_is_not_one_is_a_400_naming_it(county, hotline, value):
    response = hotline.get(CASES, {"changed_since": value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["changed_since"]


@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2", "cD0AAA%3D%3D"])
def test_a_cursor_that_is_not_ours_is_a_400(county, hotline, cursor):
    response = hotline.get(f"{CASES}?cursor={cursor}")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["cursor"]


def test_the_clients_own_ticket_finds_its_case(county, hotline, item):
    from tests.api.conftest import case_body

    reference = hotline.post(CASES, case_body(county)).json()["reference"]
    assert _references(hotline, CASES, {"ticket": "12345-20261201-0001"}) == [reference]
    assert _references(hotline, CASES, {"ticket": "other"}) == []
