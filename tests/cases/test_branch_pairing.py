"""Branch pairing (支部联支部): an office branch paired with a village branch for a period, their
joint activities with a photo validated as case attachments are; the county's lists of villages
without a pair and pairs with no activity this quarter; the neighbouring township sees neither."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.branch_pairing import ActivityKind, BranchKind, BranchPair, PairActivity, PartyBranch
from cases.branch_services import (
    ACTIVITY_OUTSIDE_PAIR,
    MAY_NOT_KEEP,
    PAIR_NEEDS_VILLAGE_BRANCH,
    PAIR_OVERLAPS,
    VILLAGE_BRANCH_NEEDS_VILLAGE,
    activity_record,
    branch_save,
    pair_save,
    pairs_without_activity,
    villages_without_pair,
)
from governance.models import Unit
from governance.roles import Role
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def org(county):
    return user_with_role("org", Role.COUNTY_ORGANISATION, county.county)


@pytest.fixture
def branches(county, org):
    office = branch_save(
        actor=org,
        branch=PartyBranch(name="县农业农村局机关党支部", kind=BranchKind.DEPARTMENT, unit=county.agriculture),
    )
    village = branch_save(
        actor=org, branch=PartyBranch(name="东关村党支部", kind=BranchKind.VILLAGE, unit=county.village_a)
    )
    return office, village


def _pair(actor, office, village, start=datetime.date(2026, 1, 1), end=None):
    return pair_save(actor=actor, pair=BranchPair(office_branch=office, village_branch=village, start=start, end=end))


def test_pairs_activities_and_the_countys_two_lists(county, org, owner, branches):
    office, village = branches
    pair = _pair(owner, office, village)  # the township pairs its own village
    villages = Unit.objects.filter(pk__in=[county.village_a.pk, county.village_b.pk])
    assert list(villages_without_pair(villages=villages, day=TODAY)) == [county.village_b]
    assert list(pairs_without_activity(pairs=BranchPair.objects.all(), day=TODAY)) == [pair]
    activity_record(
        actor=owner,
        activity=PairActivity(pair=pair, kind=ActivityKind.LIVING_ENVIRONMENT, date=datetime.date(2026, 4, 10),
                              participants="机关党员12人、村党员20人"),
    )  # fmt: skip
    assert list(pairs_without_activity(pairs=BranchPair.objects.all(), day=TODAY)) == []
    # A new quarter starts with no activity yet.
    assert list(pairs_without_activity(pairs=BranchPair.objects.all(), day=datetime.date(2026, 7, 2))) == [pair]


def test_refusals(county, org, outsider, branches):
    office, village = branches
    with pytest.raises(ValidationError) as error:
        _pair(outsider, office, village)
    assert error.value.messages == [str(MAY_NOT_KEEP)]
    with pytest.raises(ValidationError) as error:
        _pair(org, office, office)
    assert error.value.message_dict["village_branch"] == [str(PAIR_NEEDS_VILLAGE_BRANCH)]
    _pair(org, office, village, end=datetime.date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        _pair(org, office, village, start=datetime.date(2026, 6, 1))
    assert error.value.messages == [str(PAIR_OVERLAPS)]
    assert BranchPair.objects.count() == 1


def test_a_photo_is_validated_like_an_attachment(county, org, branches, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pair = _pair(org, *branches)
    bad = PairActivity(pair=pair, kind=ActivityKind.PARTY_DAY, date=datetime.date(2026, 4, 1), participants="全体党员",
                       photo=SimpleUploadedFile("活动.exe", b"MZ"))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        activity_record(actor=org, activity=bad)
    assert "photo" in error.value.message_dict
    assert not PairActivity.objects.exists()


def test_the_county_sees_the_gaps_the_neighbour_not_the_pairs(client, county, org, outsider, branches):
    pair = _pair(org, *branches)
    client.force_login(org)
    page = client.get(reverse("admin:cases_branchpair_gaps")).content.decode()
    assert "柳林村" in page and str(pair) in page
    client.force_login(outsider)
    page = client.get(reverse("admin:cases_branchpair_gaps")).content.decode()
    assert "东关村" not in page and "柳林村" in page
    assert client.get(reverse("admin:cases_branchpair_change", args=[pair.pk])).status_code == 302


def test_the_forms_refuse_with_the_rule_and_keep_what_was_typed(client, county, org, owner, branches):
    """A rule the service would refuse at save time stops on the form, with its message on the
    field, and the page keeps what was typed (it used to come back blank with a message only)."""
    office, village = branches
    pair = _pair(owner, office, village, start=datetime.date(2026, 3, 1))
    client.force_login(owner)
    page = client.post(
        reverse("admin:cases_pairactivity_add"),
        {"pair": pair.pk, "kind": ActivityKind.PARTY_DAY, "date": "2026-02-10", "participants": "机关党员9人"},
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["date"] == [str(ACTIVITY_OUTSIDE_PAIR)]
    assert "机关党员9人" in page.content.decode()
    page = client.post(
        reverse("admin:cases_branchpair_add"),
        {"office_branch": office.pk, "village_branch": village.pk, "start": "2026-06-01"},
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.non_field_errors() == [str(PAIR_OVERLAPS)]
    page = client.post(
        reverse("admin:cases_partybranch_add"),
        {"name": "东关村第二党支部", "kind": BranchKind.VILLAGE, "unit": county.township_a.pk, "members": 3},
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["unit"] == [str(VILLAGE_BRANCH_NEEDS_VILLAGE)]
    assert not PairActivity.objects.exists()
    assert BranchPair.objects.count() == 1 and PartyBranch.objects.count() == 2
