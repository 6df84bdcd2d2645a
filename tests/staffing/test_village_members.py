"""Village two-committee members (issue 15 item 1): the cadres' personal-information rules, one head of
each committee per village, the township keeps its villages' members, the villages lacking a head."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.roles import Role
from staffing.idnumbers import mask_id_number
from staffing.people.village_committees import CommitteePost, VillageMember
from staffing.people.village_services import (
    MEMBER_OUTSIDE_SCOPE,
    village_committees,
    village_member_save,
    villages_lacking_heads,
)
from tests.conftest import user_with_role
from tests.factories.staffing import id_number

pytestmark = pytest.mark.django_db


def member(village, post=CommitteePost.SECRETARY, n=1, **values):
    return VillageMember(
        name=values.pop("name", "王建华"),
        id_number=values.pop("id_number", id_number(n)),
        phone=values.pop("phone", "13812345678"),
        political_status="cpc_member",
        education="secondary",
        village=village,
        post=post,
        term_start=datetime.date(2021, 3, 1),
        term_end=datetime.date(2026, 2, 28),
        **values,
    )


def test_the_township_keeps_its_villages_members_with_gender_and_birth_from_the_id_number(county, owner):
    saved = village_member_save(actor=owner, member=member(county.village_a))
    assert saved.gender == "male" and saved.birth_date.year == 1984
    assert list(VillageMember.objects.for_user(owner)) == [saved]
    assert saved.history.first().history_user == owner


def test_a_bad_id_number_or_phone_is_refused_by_the_cadres_rules(county, owner):
    wrong = member(county.village_a, id_number="410102198402020010", phone="12345")
    with pytest.raises(ValidationError) as refused:
        village_member_save(actor=owner, member=wrong)
    assert {"id_number", "phone"} <= set(refused.value.message_dict)
    assert not VillageMember.objects.exists()


def test_the_neighbouring_township_neither_keeps_nor_sees_the_members(county, owner, outsider):
    with pytest.raises(ValidationError) as refused:
        village_member_save(actor=outsider, member=member(county.village_a))
    assert str(MEMBER_OUTSIDE_SCOPE) in str(refused.value)
    village_member_save(actor=owner, member=member(county.village_a))
    assert not VillageMember.objects.for_user(outsider).exists()


def test_the_county_organisation_department_sees_every_village_of_the_county(county, owner):
    organiser = user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)
    village_member_save(actor=owner, member=member(county.village_a))
    assert VillageMember.objects.for_user(organiser).count() == 1


def test_one_secretary_per_village_and_one_shoulder_fills_both_heads(county, owner):
    village_member_save(actor=owner, member=member(county.village_a, CommitteePost.BOTH, n=1))
    for post in (CommitteePost.SECRETARY, CommitteePost.DIRECTOR):
        with pytest.raises(ValidationError):
            village_member_save(actor=owner, member=member(county.village_a, post, n=2))
    assert not villages_lacking_heads(user=owner).filter(pk=county.village_a.pk).exists()


def test_a_member_is_held_by_a_village_not_a_township(county, owner):
    with pytest.raises(ValidationError) as refused:
        village_member_save(actor=owner, member=member(county.township_a))
    assert "village" in refused.value.message_dict


def test_the_list_of_villages_lacking_a_head_names_which_post(county, owner):
    village_member_save(actor=owner, member=member(county.village_a, CommitteePost.SECRETARY))
    village = village_committees(user=owner).get(pk=county.village_a.pk)
    assert village.has_secretary and not village.has_director
    assert list(villages_lacking_heads(user=owner)) == [county.village_a]


def test_the_history_page_masks_a_members_id_number_for_a_township_clerk(client, county, owner):
    organiser = user_with_role("organiser", Role.COUNTY_ORGANISATION, county.county)
    saved = village_member_save(actor=owner, member=member(county.village_a))
    old_number = saved.id_number
    saved.id_number, saved.phone, saved.birth_date = id_number(7), "13700000001", None
    village_member_save(actor=organiser, member=saved)
    client.force_login(owner)
    history = client.get(reverse("admin:staffing_villagemember_history", args=[saved.pk])).content.decode()
    assert mask_id_number(saved.id_number) in history
    assert old_number not in history and saved.id_number not in history and "13700000001" not in history
