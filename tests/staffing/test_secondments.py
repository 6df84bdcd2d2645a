import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staffing import services
from staffing.models import SECONDMENT_ONE_IN_FORCE, Secondment, SecondmentState
from tests.factories.governance import CountyFactory, DepartmentFactory, TownshipFactory
from tests.factories.staffing import CadreFactory, SecondmentFactory


def draft(county, **fields):
    cadre = fields.pop("cadre", None) or CadreFactory(home_unit=county.agriculture)
    values = {
        "cadre": cadre,
        "sending_unit": county.agriculture,
        "host_unit": county.township_a,
        "start_date": datetime.date(2026, 1, 1),
        "post": "农技推广员",
        **fields,
    }
    return Secondment(**values)


def arrived(secondment, organiser, *, on=datetime.date(2026, 1, 5)):
    """The second and third hands: approved by the organisation department, arrival confirmed."""
    from governance.roles import Role
    from tests.conftest import user_with_role

    services.secondment_approve(actor=organiser, secondment=secondment)
    receiver = user_with_role(f"receiver{secondment.pk}", Role.TOWNSHIP_CLERK, secondment.host_unit)
    services.secondment_confirm_arrival(actor=receiver, secondment=secondment, arrived_on=on)
    secondment.refresh_from_db()
    return secondment


def test_the_sending_department_drafts_a_secondment_with_a_timeline(county, agri_officer):
    secondment = services.secondment_save(actor=agri_officer, secondment=draft(county))
    assert secondment.state == SecondmentState.DRAFTED and not secondment.in_force
    step = secondment.transitions.get()
    assert (step.actor, step.from_state, step.to_state) == (agri_officer, "", SecondmentState.DRAFTED)


def test_overlapping_secondment_is_refused(county, organiser):
    first = services.secondment_save(actor=organiser, secondment=draft(county))
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(
            actor=organiser, secondment=draft(county, cadre=first.cadre, host_unit=county.township_b)
        )
    assert caught.value.messages == [str(SECONDMENT_ONE_IN_FORCE)]
    assert Secondment.objects.count() == 1


def test_overlap_with_an_ended_period_is_refused_but_a_later_one_is_fine(county, organiser):
    first = arrived(services.secondment_save(actor=organiser, secondment=draft(county)), organiser)
    services.secondment_end(actor=organiser, secondment=first, end_date=datetime.date(2026, 6, 30), reason="期满")
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(
            actor=organiser,
            secondment=draft(county, cadre=first.cadre, start_date=datetime.date(2026, 6, 1)),
        )
    assert caught.value.error_list[0].code == "overlap"
    later = services.secondment_save(
        actor=organiser, secondment=draft(county, cadre=first.cadre, start_date=datetime.date(2026, 7, 1))
    )
    assert later.state == SecondmentState.DRAFTED


def test_the_database_holds_one_secondment_in_force_per_cadre(county):
    first = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Secondment.objects.create(
            cadre=first.cadre,
            sending_unit=county.agriculture,
            host_unit=county.township_b,
            start_date=datetime.date(2026, 1, 1),
            post="x",
        )


def test_host_outside_the_sending_departments_county_is_refused(county, city_admin):
    other_county = CountyFactory(parent=county.city)
    far_township = TownshipFactory(parent=other_county)
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=city_admin, secondment=draft(county, host_unit=far_township))
    assert caught.value.message_dict["host_unit"] == [str(services.HOST_OUTSIDE_COUNTY)]
    assert not Secondment.objects.exists()


def test_units_must_be_a_department_and_a_township(county, organiser):
    cadre = CadreFactory(home_unit=county.township_a)
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(
            actor=organiser,
            secondment=draft(county, cadre=cadre, sending_unit=county.township_a, host_unit=county.village_a),
        )
    assert caught.value.message_dict == {
        "sending_unit": [str(services.SENDING_UNIT_NOT_DEPARTMENT)],
        "host_unit": [str(services.HOST_NOT_TOWNSHIP)],
    }


def test_a_department_seconds_only_its_own_cadres(county, organiser):
    housing_cadre = CadreFactory(home_unit=county.housing)
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=organiser, secondment=draft(county, cadre=housing_cadre))
    assert caught.value.message_dict["sending_unit"] == [str(services.SENDING_UNIT_NOT_HOME)]


@pytest.mark.parametrize("who", ["owner", "colleague", "housing_officer", "outsider"])
def test_only_the_sending_department_or_the_organisation_drafts(county, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=actor, secondment=draft(county))
    assert caught.value.messages == [str(services.SECONDMENT_NOT_PERMITTED)]
    assert not Secondment.objects.exists()


def test_ending_records_who_and_why(county, organiser, secondment):
    services.secondment_end(
        actor=organiser, secondment=secondment, end_date=datetime.date(2026, 5, 1), reason="任务完成"
    )
    secondment.refresh_from_db()
    assert (secondment.actual_end, secondment.ended_by, secondment.end_reason) == (
        datetime.date(2026, 5, 1),
        organiser,
        "任务完成",
    )
    assert secondment.transitions.get().to_state == SecondmentState.ENDED
    assert secondment.history.first().history_user == organiser
    with pytest.raises(ValidationError) as caught:
        services.secondment_end(
            actor=organiser, secondment=secondment, end_date=datetime.date(2026, 5, 2), reason="again"
        )
    assert caught.value.messages == [str(services.SECONDMENT_NOT_IN_FORCE)]


def test_ending_needs_a_reason_a_sane_date_and_the_right(county, organiser, colleague, secondment):
    with pytest.raises(ValidationError, match=str(services.END_REASON_REQUIRED)):
        services.secondment_end(actor=organiser, secondment=secondment, end_date=datetime.date(2026, 5, 1), reason=" ")
    with pytest.raises(ValidationError, match=str(services.END_BEFORE_START)):
        services.secondment_end(actor=organiser, secondment=secondment, end_date=datetime.date(2020, 1, 1), reason="x")
    with pytest.raises(ValidationError):
        services.secondment_end(actor=colleague, secondment=secondment, end_date=datetime.date(2026, 5, 1), reason="x")
    secondment.refresh_from_db()
    assert secondment.in_force


def test_department_in_another_county_cannot_second_here(county, city_admin):
    other_department = DepartmentFactory(parent=CountyFactory(parent=county.city))
    cadre = CadreFactory(home_unit=other_department)
    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=city_admin, secondment=draft(county, cadre=cadre, sending_unit=other_department))
    assert caught.value.message_dict["host_unit"] == [str(services.HOST_OUTSIDE_COUNTY)]


def test_the_database_refuses_an_end_reason_without_an_end_date(county, organiser, secondment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Secondment.objects.filter(pk=secondment.pk).update(ended_by=organiser, end_reason="no date")


# --- issue 10: a date far in the future is a typing slip, refused with a message ---


@pytest.mark.parametrize(
    ("field", "value"),
    [("planned_end", datetime.date(9999, 12, 31)), ("start_date", datetime.date(2999, 1, 1))],
)
def test_an_implausible_date_is_refused_and_nothing_written(county, organiser, field, value):
    from governance.dates import DATE_OUT_OF_RANGE

    with pytest.raises(ValidationError) as caught:
        services.secondment_save(actor=organiser, secondment=draft(county, **{field: value}))
    assert caught.value.message_dict[field] == [str(DATE_OUT_OF_RANGE % {"date": value})]
    assert not Secondment.objects.exists()


def test_ending_in_9999_is_refused(county, organiser, secondment):
    from governance.dates import DATE_OUT_OF_RANGE

    with pytest.raises(ValidationError) as caught:
        services.secondment_end(
            actor=organiser, secondment=secondment, end_date=datetime.date(9999, 12, 31), reason="期满"
        )
    assert caught.value.messages == [str(DATE_OUT_OF_RANGE % {"date": datetime.date(9999, 12, 31)})]
    secondment.refresh_from_db()
    assert secondment.in_force
