"""Race safety on PostgreSQL: reference numbers, the sweep run concurrently, and two last ratings
closing the case exactly once. Each worker uses its own connection, as two web or Celery
processes would."""

import threading

import pytest
from django.db import connection

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.deadlines import assignments_sweep_overdue
from cases.models import Case, CaseState, CaseTransition, TransitionAction
from cases.ratings import assignment_rate
from governance.models import Sector
from tests.cases.conftest import beijing
from tests.factories.cases import case_raised

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*calls):
    """Run the calls at the same moment in threads; return their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_raising_gets_distinct_reference_numbers(postgres_only, county, owner, item):
    results = _together(*(lambda: case_raised(actor=owner, township=county.township_a, item=item) for _ in range(4)))
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(Case.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


def test_concurrent_sweeps_mark_each_assignment_once(postgres_only, county, owner, item):
    for _ in range(3):
        case_raised(actor=owner, township=county.township_a, item=item, now=beijing(2026, 3, 2, 9))
    now = beijing(2026, 3, 4, 10)
    results = _together(*(lambda: assignments_sweep_overdue(now=now) for _ in range(3)))
    assert sum(result.marked_overdue for result in results) == 3
    assert CaseTransition.objects.filter(action=TransitionAction.OVERDUE).count() == 3


def test_two_last_ratings_at_once_close_the_case_once(
    postgres_only, county, owner, colleague, agri_officer, housing_officer, item
):
    raised = case_raised(actor=owner, township=county.township_a, item=item, co_sectors=[Sector.HOUSING_CONSTRUCTION])
    for officer, assignment in zip((agri_officer, housing_officer), raised.assignments, strict=True):
        assignment_accept(actor=officer, assignment=assignment)
        assignment_feedback(actor=officer, assignment=assignment, feedback="进展")
        assignment_respond(actor=officer, assignment=assignment, response="结果")
    results = _together(
        *(lambda a=a: assignment_rate(actor=colleague, assignment=a, rating="satisfied") for a in raised.assignments)
    )
    assert not [r for r in results if isinstance(r, Exception)]
    raised.case.refresh_from_db()
    assert raised.case.state == CaseState.CLOSED
    assert CaseTransition.objects.filter(action=TransitionAction.CLOSE).count() == 1


def test_adding_a_department_while_reassigning_to_it_is_refused_not_a_500(
    postgres_only, county, owner, centre, agri_officer, item
):
    """Issue 11: "add department" racing "reassign" to the same department gave IntegrityError
    or a deadlock (reassign did not lock the case row). Both now lock the case first: one wins,
    the other gets the rule's message."""
    from django.core.exceptions import ValidationError

    from cases.assignments import assignment_decline, assignment_reassign
    from cases.raising import case_department_add

    for _attempt in range(6):
        assignment = case_raised(actor=owner, township=county.township_a, item=item).assignments[0]
        assignment_decline(actor=agri_officer, assignment=assignment, reason="不属本局")
        results = _together(
            lambda a=assignment: case_department_add(actor=centre, case=a.case, department=county.housing),
            lambda a=assignment: assignment_reassign(actor=centre, assignment=a, department=county.housing),
        )
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 1 and isinstance(failures[0], ValidationError), results
        assert assignment.case.assignments.filter(department=county.housing).count() == 1
