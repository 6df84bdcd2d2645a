"""Secondment in three hands (issue 14 item 6): the sending department drafts, the county
organisation department approves, the host township confirms the arrival (报到); in force, and in
the headcount, from arrival."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staffing import selectors, services
from staffing.models import Secondment, SecondmentState
from tests.staffing.test_admin import login, step_url, url
from tests.staffing.test_secondments import draft

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def drafted(county, agri_officer):
    return services.secondment_save(actor=agri_officer, secondment=draft(county))


def headcount(user, township):
    return selectors.township_staffing_list(user=user).get(pk=township.pk).seconded_in


def test_three_hands_each_a_step_with_its_actor(county, drafted, agri_officer, organiser, owner, colleague):
    assert headcount(colleague, county.township_a) == 0
    assert selectors.secondment_steps(secondment=drafted, user=organiser) == ["approve", "decline"]
    assert selectors.secondment_steps(secondment=drafted, user=owner) == []
    services.secondment_approve(actor=organiser, secondment=drafted)
    drafted.refresh_from_db()
    assert (drafted.state, drafted.approved_by) == (SecondmentState.APPROVED, organiser)
    assert headcount(colleague, county.township_a) == 0  # approved is not yet arrived
    assert selectors.secondment_steps(secondment=drafted, user=owner) == ["arrive"]
    services.secondment_confirm_arrival(
        actor=owner, secondment=drafted, arrived_on=datetime.date(2026, 1, 3), today=TODAY
    )
    drafted.refresh_from_db()
    assert (drafted.state, drafted.arrived_on, drafted.arrival_confirmed_by) == (
        SecondmentState.IN_FORCE,
        datetime.date(2026, 1, 3),
        owner,
    )
    assert headcount(colleague, county.township_a) == 1
    steps = list(drafted.transitions.values_list("actor__username", "from_state", "to_state"))
    assert steps == [
        ("agri_officer", "", "drafted"),
        ("organiser", "drafted", "approved"),
        ("owner", "approved", "in_force"),
    ]


def test_each_hand_is_refused_to_the_others(county, drafted, agri_officer, organiser, owner, outsider, supervisor_b):
    for actor in (agri_officer, owner, outsider):
        with pytest.raises(ValidationError) as caught:
            services.secondment_approve(actor=actor, secondment=drafted)
        assert caught.value.messages == [str(services.SECONDMENT_NOT_APPROVER)]
    with pytest.raises(ValidationError) as caught:  # not approved yet
        services.secondment_confirm_arrival(actor=owner, secondment=drafted, arrived_on=TODAY, today=TODAY)
    assert caught.value.error_list[0].code == "state"
    services.secondment_approve(actor=organiser, secondment=drafted)
    for actor in (outsider, supervisor_b, organiser, agri_officer):  # only the host township receives
        with pytest.raises(ValidationError) as caught:
            services.secondment_confirm_arrival(actor=actor, secondment=drafted, arrived_on=TODAY, today=TODAY)
        assert caught.value.messages == [str(services.SECONDMENT_NOT_RECEIVER)]
    with pytest.raises(ValidationError) as caught:
        services.secondment_confirm_arrival(
            actor=owner, secondment=drafted, arrived_on=TODAY + datetime.timedelta(days=1), today=TODAY
        )
    assert "arrived_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.secondment_confirm_arrival(
            actor=owner, secondment=drafted, arrived_on=datetime.date(2025, 12, 1), today=TODAY
        )
    assert "arrived_on" in caught.value.message_dict  # before the start date
    drafted.refresh_from_db()
    assert drafted.state == SecondmentState.APPROVED


def test_a_declined_draft_needs_a_reason_and_frees_the_cadre(county, drafted, organiser, agri_officer):
    with pytest.raises(ValidationError):
        services.secondment_decline(actor=organiser, secondment=drafted, reason=" ")
    services.secondment_decline(actor=organiser, secondment=drafted, reason="该同志另有任用")
    drafted.refresh_from_db()
    assert (drafted.state, drafted.decision_reason) == (SecondmentState.DECLINED, "该同志另有任用")
    with pytest.raises(ValidationError):
        services.secondment_approve(actor=organiser, secondment=drafted)
    again = services.secondment_save(actor=agri_officer, secondment=draft(county, cadre=drafted.cadre))
    assert again.state == SecondmentState.DRAFTED


def test_only_arrived_cadres_are_assessed(county, drafted, organiser, colleague):
    from tests.staffing.conftest import open_cycle

    services.secondment_approve(actor=organiser, secondment=drafted)
    cycle = open_cycle(colleague, county.township_a)
    assert not cycle.assessments.exists()


def test_the_three_hands_in_the_admin(client, county, agri_officer, organiser, owner, outsider):
    login(client, agri_officer)
    form = client.get(url("secondment", "add")).content.decode()
    assert "城关镇" in form and "柳林镇" in form  # the townships of its county, as a plain list
    from tests.factories.staffing import CadreFactory

    cadre = CadreFactory(home_unit=county.agriculture)
    response = client.post(
        url("secondment", "add"),
        {
            "cadre": cadre.pk,
            "sending_unit": county.agriculture.pk,
            "host_unit": county.township_a.pk,
            "start_date": "2026-01-01",
            "post": "农技推广员",
            "duties": "",
        },
    )
    assert response.status_code == 302
    secondment = Secondment.objects.get()
    login(client, organiser)
    client.post(step_url("secondment", secondment, "approve"))
    login(client, outsider)
    assert client.post(step_url("secondment", secondment, "arrive"), {"arrived_on": "2026-01-02"}).status_code in (
        403,
        404,
    )
    login(client, owner)
    page = client.get(url("secondment", "change", secondment.pk)).content.decode()
    assert step_url("secondment", secondment, "arrive") in page
    client.post(step_url("secondment", secondment, "arrive"), {"arrived_on": "2026-01-02"})
    secondment.refresh_from_db()
    assert secondment.state == SecondmentState.IN_FORCE


@pytest.mark.django_db(transaction=True)
def test_approving_and_declining_at_once_exactly_one_wins(postgres_only, county, agri_officer):
    from governance.roles import Role
    from tests.conftest import user_with_role

    first = user_with_role("org_1", Role.COUNTY_ORGANISATION, county.county)
    second = user_with_role("org_2", Role.COUNTY_ORGANISATION, county.county)
    secondment = services.secondment_save(actor=agri_officer, secondment=draft(county))
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, step):
        try:
            barrier.wait()
            step()
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = error.error_list[0].code
        finally:
            connection.close()

    steps = {
        "approve": lambda: services.secondment_approve(actor=first, secondment=secondment),
        "decline": lambda: services.secondment_decline(actor=second, secondment=secondment, reason="另有任用"),
    }
    threads = [threading.Thread(target=run, args=item) for item in steps.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["ok", "state"]
    secondment.refresh_from_db()
    assert secondment.transitions.exclude(from_state="").count() == 1


def test_the_parties_approved_cannot_be_changed_by_a_correction(county, drafted, agri_officer, organiser):
    """The admin shows them read-only; the service refuses them from every door (issue 14 item 6)."""
    services.secondment_approve(actor=organiser, secondment=drafted)
    moved = Secondment.objects.get(pk=drafted.pk)
    moved.host_unit = county.township_b
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=agri_officer, secondment=moved)
    assert caught.value.messages == [str(services.SECONDMENT_PARTIES_FIXED)]
    assert Secondment.objects.get(pk=drafted.pk).host_unit == county.township_a
    corrected = Secondment.objects.get(pk=drafted.pk)
    corrected.post = "更正后的岗位"
    services.secondment_save(actor=agri_officer, secondment=corrected)  # other fields stay correctable
    assert Secondment.objects.get(pk=drafted.pk).post == "更正后的岗位"
