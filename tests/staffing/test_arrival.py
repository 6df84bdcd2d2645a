"""The arrival (报到) step: its timeline row carries the clerk's note, not the date (the date is the
secondment's ``arrived_on``), and two confirmations at once record one step (issue 14 item 6)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from governance.roles import Role
from staffing import services
from staffing.models import SecondmentState
from tests.conftest import user_with_role
from tests.staffing.test_admin import login, step_url, url
from tests.staffing.test_secondments import draft

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def approved(county, agri_officer, organiser):
    secondment = services.secondment_save(actor=agri_officer, secondment=draft(county))
    services.secondment_approve(actor=organiser, secondment=secondment)
    return secondment


def test_the_timeline_shows_the_note_as_reason_and_the_date_as_arrival(client, approved, owner):
    login(client, owner)
    client.post(step_url("secondment", approved, "arrive"), {"arrived_on": "2026-01-05", "reason": "持介绍信报到"})
    approved.refresh_from_db()
    assert approved.arrived_on == datetime.date(2026, 1, 5)
    step = approved.transitions.get(to_state=SecondmentState.IN_FORCE)
    assert step.reason == "持介绍信报到"
    page = client.get(url("secondment", "change", approved.pk)).content.decode()
    timeline = page[page.index('class="staffing-timeline"') :]
    timeline = timeline[: timeline.index("</table>")]
    assert "持介绍信报到" in timeline and "2026-01-05" not in timeline
    assert "2026年1月5日" in page or "2026-01-05" in page  # the arrival date, in its own field


def test_an_arrival_without_a_note_leaves_the_reason_empty(approved, owner):
    services.secondment_confirm_arrival(actor=owner, secondment=approved, arrived_on=TODAY, today=TODAY)
    assert approved.transitions.get(to_state=SecondmentState.IN_FORCE).reason == ""


def test_a_second_confirmation_names_the_state_it_found(approved, owner, colleague):
    services.secondment_confirm_arrival(actor=owner, secondment=approved, arrived_on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        services.secondment_confirm_arrival(actor=colleague, secondment=approved, arrived_on=TODAY, today=TODAY)
    assert caught.value.error_list[0].code == "state"
    assert str(SecondmentState.IN_FORCE.label) in caught.value.messages[0]


def _in_english(label) -> str:
    with translation.override("en"):
        return str(label)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_record_one_step(postgres_only, county, approved, owner):
    second_clerk = user_with_role("clerk_2", Role.TOWNSHIP_CLERK, county.township_a)
    barrier, outcomes = threading.Barrier(2), []

    def confirm(actor, day):
        translation.activate("en")  # the thread's own language, whatever the test's
        try:
            barrier.wait()
            services.secondment_confirm_arrival(actor=actor, secondment=approved, arrived_on=day, today=TODAY)
            outcomes.append("ok")
        except ValidationError as error:
            refused = error.error_list[0]
            outcomes.append((refused.code, str(refused.params["state"])))
        finally:
            connection.close()

    days = (datetime.date(2026, 1, 5), datetime.date(2026, 1, 6))
    threads = [threading.Thread(target=confirm, args=pair) for pair in zip((owner, second_clerk), days, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [outcome for outcome in outcomes if outcome != "ok"]
    assert len(outcomes) == 2 and len(refused) == 1
    # The second waited for the first's lock, then named the state it left (not the one it read).
    assert refused[0] == ("state", _in_english(SecondmentState.IN_FORCE.label))
    approved.refresh_from_db()
    assert approved.state == SecondmentState.IN_FORCE
    assert approved.transitions.filter(to_state=SecondmentState.IN_FORCE).count() == 1
