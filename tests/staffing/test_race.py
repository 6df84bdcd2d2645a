"""Two supervisors approve one assessment at the same moment: exactly one succeeds (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from governance.roles import Role
from staffing import services
from staffing.models import AssessmentState, AssessmentTransition, Grade
from tests.conftest import user_with_role


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_exactly_one_succeeds(postgres_only, county, owner, colleague, cycle, assessment):
    other = user_with_role("deputy_a", Role.TOWNSHIP_SUPERVISOR, county.township_a)
    services.assessment_draft(actor=owner, assessment=assessment, grade=Grade.COMPETENT, score=None, comments="")
    services.assessment_submit(actor=owner, assessment=assessment)
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            barrier.wait()
            services.assessment_approve(actor=actor, assessment=assessment)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.error_list[0].code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (colleague, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "state"]
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED
    assert AssessmentTransition.objects.filter(assessment=assessment, to_state=AssessmentState.APPROVED).count() == 1
