"""The net under the services: a broken deadlock is retried once, a constraint another step got to
first becomes the conflict message (issue 11: no 500 from a race)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError

from governance.transactions import CONFLICT, run_step


class Deadlock(Exception):
    sqlstate = "40P01"


def _operational(cause):
    error = OperationalError("deadlock detected")
    error.__cause__ = cause
    return error


def test_a_broken_deadlock_is_retried_once():
    calls = []

    def service():
        calls.append(1)
        if len(calls) == 1:
            raise _operational(Deadlock())
        return "done"

    assert run_step(service) == "done" and len(calls) == 2


def test_a_second_deadlock_is_the_conflict_message():
    def service():
        raise _operational(Deadlock())

    with pytest.raises(ValidationError) as refused:
        run_step(service)
    assert refused.value.messages == [str(CONFLICT)]


def test_a_constraint_met_first_by_another_step_is_the_conflict_message():
    def service():
        raise IntegrityError("duplicate key value violates unique constraint")

    with pytest.raises(ValidationError) as refused:
        run_step(service)
    assert refused.value.code == "conflict"


def test_other_database_errors_are_not_hidden():
    def service():
        raise OperationalError("server closed the connection")

    with pytest.raises(OperationalError):
        run_step(service)
