"""Scorecard arithmetic on known data, and who sees which departments."""

from datetime import date
from decimal import Decimal

from cases.assignments import assignment_accept, assignment_decline, assignment_feedback, assignment_respond
from cases.ratings import assignment_rate
from cases.scorecards import department_scorecards
from governance.models import Sector
from tests.cases.conftest import beijing
from tests.factories.cases import case_raised


def _respond(officer, assignment, accept, respond):
    assignment_accept(actor=officer, assignment=assignment, now=accept)
    assignment_feedback(actor=officer, assignment=assignment, feedback="进展", now=accept)
    assignment_respond(actor=officer, assignment=assignment, response="结果", now=respond)


def _figures(card):
    return (
        card.assigned,
        card.accepted_on_time,
        card.resolved_on_time,
        card.rated,
        card.satisfied,
        card.returned,
        card.declined,
        card.satisfaction_rate,
    )


def test_scorecard_arithmetic(county, owner, colleague, agri_officer, housing_officer, centre, item):
    # Case 1 (03-02 09:00, dues accept 03-03, resolve 03-11): agriculture on time and satisfied;
    # housing accepts late (03-04), is returned unsatisfied, then rated basically satisfied.
    first = case_raised(
        actor=owner,
        township=county.township_a,
        item=item,
        co_sectors=[Sector.HOUSING_CONSTRUCTION],
        now=beijing(2026, 3, 2, 9),
    )
    agri, housing = first.assignments
    _respond(agri_officer, agri, beijing(2026, 3, 2, 10), beijing(2026, 3, 5, 10))
    assignment_rate(actor=colleague, assignment=agri, rating="satisfied", now=beijing(2026, 3, 6, 9))
    _respond(housing_officer, housing, beijing(2026, 3, 4, 10), beijing(2026, 3, 12, 10))  # both late
    assignment_rate(
        actor=colleague, assignment=housing, rating="unsatisfied", comment="未完成", now=beijing(2026, 3, 13, 9)
    )
    _respond(housing_officer, housing, beijing(2026, 3, 16, 9), beijing(2026, 3, 17, 9))  # round 2 on time
    assignment_rate(actor=colleague, assignment=housing, rating="basically_satisfied", now=beijing(2026, 3, 18, 9))
    # Case 2: agriculture declines it.
    second = case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 20, 9))
    assignment_decline(actor=agri_officer, assignment=second.assignments[0], reason="不属本局")
    # Case 3 in April: outside a March period.
    case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 4, 1, 9))

    cards = {
        card.department: card
        for card in department_scorecards(user=centre, start=date(2026, 3, 1), end=date(2026, 3, 31))
    }
    assert set(cards) == {county.agriculture, county.housing}
    # the decline happened "now" (today, in November), outside March
    assert _figures(cards[county.agriculture]) == (2, 1, 1, 1, 1, 0, 0, Decimal("100.0"))
    assert _figures(cards[county.housing]) == (1, 1, 1, 2, 1, 1, 0, Decimal("50.0"))
    whole_year = {
        c.department: c for c in department_scorecards(user=centre, start=date(2026, 1, 1), end=date(2026, 12, 31))
    }
    assert whole_year[county.agriculture].assigned == 3 and whole_year[county.agriculture].declined == 1


def test_a_department_sees_only_its_own_card_and_a_township_none(county, agri_officer, owner):
    cards = department_scorecards(user=agri_officer, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [card.department for card in cards] == [county.agriculture]
    assert _figures(cards[0]) == (0, 0, 0, 0, 0, 0, 0, None)
    assert department_scorecards(user=owner, start=date(2026, 3, 1), end=date(2026, 3, 31)) == []


def test_the_city_sees_every_department(county, city_admin):
    cards = department_scorecards(user=city_admin, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert {card.department for card in cards} == {county.agriculture, county.housing}
