"""Postings both ways (issue 15 item 3): recorded by the county organisation department, from the
cadre's own unit to another unit or a front line, one live at a time and never beside a secondment;
the unit's list shows secondments as 派驻, the only kind the township's powers apply to."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from governance.roles import Role
from staffing import services
from staffing.models import Secondment, SecondmentState
from staffing.people.posting_services import (
    POSTING_FIXED,
    POSTING_NOT_PERMITTED,
    POSTING_WHILE_SECONDED,
    posting_save,
    unit_postings,
)
from staffing.people.postings import Destination, Posting, PostingKind
from staffing.services import SECONDMENT_WHILE_POSTED
from tests.conftest import user_with_role
from tests.factories.staffing import CadreFactory, SecondmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(county):
    return user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)


def posting(cadre, to_unit=None, kind=PostingKind.EXCHANGE, **values):
    return Posting(
        cadre=cadre,
        kind=kind,
        from_unit=cadre.home_unit,
        to_unit=to_unit,
        post=values.pop("post", "党政办副主任"),
        start_date=datetime.date(2026, 3, 1),
        **values,
    )


def test_a_township_cadre_goes_to_a_department_and_shows_in_both_units_lists(county, organiser):
    cadre = CadreFactory(home_unit=county.township_a)
    saved = posting_save(actor=organiser, posting=posting(cadre, county.agriculture))
    for unit in (county.township_a, county.agriculture):
        rows = unit_postings(unit)
        assert [(row.record, row.township_powers) for row in rows] == [(saved, False)]
    assert saved.history.first().history_user == organiser


def test_secondments_show_as_paizhu_with_the_townships_powers(county):
    secondment = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    [row] = unit_postings(county.township_a)
    assert row.record == secondment and row.township_powers and row.kind == str(PostingKind.SECONDED.label)


def test_a_cadre_selected_to_a_front_line_names_it(county, organiser):
    cadre = CadreFactory(home_unit=county.agriculture)
    front = posting(cadre, kind=PostingKind.SELECTED, destination=Destination.PROJECT)
    with pytest.raises(ValidationError) as refused:
        posting_save(actor=organiser, posting=front)
    assert "front_line" in refused.value.message_dict
    front.front_line = "清河县高标准农田建设项目指挥部"
    assert posting_save(actor=organiser, posting=front).host_name == "清河县高标准农田建设项目指挥部"


def test_only_the_organisation_department_records_postings(county, owner):
    cadre = CadreFactory(home_unit=county.township_a)
    with pytest.raises(ValidationError) as refused:
        posting_save(actor=owner, posting=posting(cadre, county.agriculture))
    assert str(POSTING_NOT_PERMITTED) in str(refused.value)


def test_one_place_at_a_time(county, organiser):
    seconded = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a).cadre
    with pytest.raises(ValidationError) as refused:
        posting_save(actor=organiser, posting=posting(seconded, county.housing))
    assert str(POSTING_WHILE_SECONDED) in str(refused.value)
    cadre = CadreFactory(home_unit=county.township_a)
    posting_save(actor=organiser, posting=posting(cadre, county.agriculture))
    with pytest.raises(ValidationError):
        posting_save(actor=organiser, posting=posting(cadre, county.housing))


def test_the_neighbouring_township_does_not_see_the_posting(county, organiser, outsider, owner):
    posting_save(actor=organiser, posting=posting(CadreFactory(home_unit=county.township_a), county.agriculture))
    assert Posting.objects.for_user(owner).count() == 1
    assert not Posting.objects.for_user(outsider).exists()


def test_no_secondment_is_drafted_or_approved_while_the_cadre_is_posted(county, organiser):
    cadre = CadreFactory(home_unit=county.agriculture)
    posting_save(actor=organiser, posting=posting(cadre, county.housing))
    fresh = Secondment(
        cadre=cadre,
        sending_unit=county.agriculture,
        host_unit=county.township_b,
        post="农技推广员",
        start_date=datetime.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.secondment_save(actor=organiser, secondment=fresh)
    assert str(SECONDMENT_WHILE_POSTED) in str(refused.value)
    assert not Secondment.objects.exists()
    # A draft left from before the posting (written past the services) is not approved either.
    drafted = SecondmentFactory(
        cadre=cadre, sending_unit=county.agriculture, host_unit=county.township_a, state=SecondmentState.DRAFTED
    )
    with pytest.raises(ValidationError) as refused:
        services.secondment_approve(actor=organiser, secondment=drafted)
    assert str(SECONDMENT_WHILE_POSTED) in str(refused.value)
    drafted.refresh_from_db()
    assert drafted.state == SecondmentState.DRAFTED


@pytest.mark.parametrize(
    "change",
    [
        lambda saved, county: setattr(saved, "cadre", CadreFactory(home_unit=county.township_a)),
        lambda saved, county: setattr(saved, "kind", PostingKind.SELECTED),
        lambda saved, county: setattr(saved, "from_unit", county.township_b),
    ],
    ids=["cadre", "kind", "from_unit"],
)
def test_the_cadre_kind_and_origin_of_a_posting_are_fixed(county, organiser, change):
    cadre = CadreFactory(home_unit=county.township_a)
    saved = posting_save(actor=organiser, posting=posting(cadre, county.agriculture))
    change(saved, county)
    with pytest.raises(ValidationError) as refused:
        posting_save(actor=organiser, posting=saved)
    assert str(POSTING_FIXED) in str(refused.value)
    stored = Posting.objects.get(pk=saved.pk)
    assert (stored.kind, stored.from_unit) == (PostingKind.EXCHANGE, county.township_a)


@pytest.mark.django_db(transaction=True)
def test_a_posting_and_a_secondment_recorded_at_once_exactly_one_succeeds(postgres_only, county, organiser):
    cadre = CadreFactory(home_unit=county.agriculture)
    barrier = threading.Barrier(2)
    outcomes = []

    def record(save):
        try:
            barrier.wait()
            save()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    secondment = Secondment(
        cadre=cadre,
        sending_unit=county.agriculture,
        host_unit=county.township_a,
        post="农技推广员",
        start_date=datetime.date(2026, 4, 1),
    )
    saves = (
        lambda: posting_save(actor=organiser, posting=posting(cadre, county.housing)),
        lambda: services.secondment_save(actor=organiser, secondment=secondment),
    )
    threads = [threading.Thread(target=record, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Posting.objects.count() + Secondment.objects.count() == 1
