"""The township enforcement team (一支队伍管执法): members are the township's staff (own or seconded
in force), each with a credential and the items they may enforce; the county sees which items in
force lack a credentialled enforcer in which township; credentials running out are flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.enforcement_team import (
    CREDENTIAL_EXPIRED,
    MAY_NOT_MANAGE_TEAM,
    credentials_expiring,
    items_lacking_enforcer,
    member_save,
)
from governance.models import EnforcementMember, Unit
from governance.roles import Role
from tests.conftest import user_with_role
from tests.factories.catalogues import EnforcementItemFactory
from tests.factories.staffing import CadreFactory, SecondmentFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


def _member(actor, township, cadre, items, *, number="豫执字4199210001", until=datetime.date(2027, 6, 30)):
    member = EnforcementMember(township=township, cadre=cadre, credential_number=number, credential_valid_until=until)
    return member_save(actor=actor, member=member, items=items, today=TODAY)


@pytest.fixture
def items(db):
    return [
        EnforcementItemFactory(name="对违法占用耕地建房的处罚"),
        EnforcementItemFactory(name="对乱倒建筑垃圾的处罚"),
    ]


def test_items_without_a_credentialled_enforcer_per_township(county, owner, outsider, items):
    own = CadreFactory(name="刘建军", home_unit=county.township_a)
    _member(owner, county.township_a, own, items[:1])
    seconded = SecondmentFactory(host_unit=county.township_b).cadre
    _member(outsider, county.township_b, seconded, items, number="豫执字4199210002", until=datetime.date(2026, 3, 20))
    townships = Unit.objects.filter(pk__in=[county.township_a.pk, county.township_b.pk])
    gaps = {gap.township: gap.items for gap in items_lacking_enforcer(townships=townships, day=TODAY)}
    assert gaps == {county.township_a: [items[1]]}
    # Once 柳林镇's only credential has run out, both items lack an enforcer there.
    later = {
        gap.township: gap.items for gap in items_lacking_enforcer(townships=townships, day=datetime.date(2026, 4, 1))
    }
    assert later[county.township_b] == items
    expiring = credentials_expiring(EnforcementMember.objects.all(), day=TODAY)
    assert [member.cadre for member in expiring] == [seconded]


def test_only_the_townships_staff_by_its_own_keepers(county, owner, outsider, items):
    elsewhere = CadreFactory(home_unit=county.agriculture)
    with pytest.raises(ValidationError) as error:
        _member(owner, county.township_a, elsewhere, items)
    assert "cadre" in error.value.message_dict
    own = CadreFactory(home_unit=county.township_a)
    with pytest.raises(ValidationError) as error:
        _member(outsider, county.township_a, own, items)
    assert error.value.messages == [str(MAY_NOT_MANAGE_TEAM)]
    with pytest.raises(ValidationError) as error:
        _member(owner, county.township_a, own, items, until=datetime.date(2026, 1, 1))
    assert error.value.message_dict["credential_valid_until"] == [str(CREDENTIAL_EXPIRED)]
    assert not EnforcementMember.objects.exists()


def test_the_county_sees_the_gaps_the_neighbour_only_its_own(client, county, owner, outsider, items):
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    member = _member(owner, county.township_a, CadreFactory(home_unit=county.township_a), items[:1])
    coverage = reverse("admin:governance_enforcementmember_coverage")
    client.force_login(centre)
    page = client.get(coverage).content.decode()
    assert "城关镇" in page and "柳林镇" in page and items[1].name in page
    client.force_login(outsider)
    page = client.get(coverage).content.decode()
    assert "城关镇" not in page and "柳林镇" in page
    assert client.get(reverse("admin:governance_enforcementmember_change", args=[member.pk])).status_code == 302
    assert (
        member.credential_number
        not in client.get(reverse("admin:governance_enforcementmember_changelist")).content.decode()
    )


def test_the_township_adds_a_member_through_the_admin(client, county, owner, items):
    cadre = CadreFactory(home_unit=county.township_a)
    client.force_login(owner)
    response = client.post(
        reverse("admin:governance_enforcementmember_add"),
        {"township": county.township_a.pk, "cadre": cadre.pk, "credential_number": "豫执字4199210009",
         "credential_valid_until": "2030-12-31", "items": [item.pk for item in items]},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(EnforcementMember.objects.get().items.all()) == set(items)
    listed = client.get(reverse("admin:governance_enforcementmember_changelist"), {"credential": "expiring"})
    assert listed.status_code == 200


def test_two_people_adding_the_same_member_at_once_the_second_gets_a_message_not_a_500(
    client, county, owner, items, monkeypatch
):
    """Both saves checked the one-membership rule before either had saved (played here by not
    checking it); the database's unique constraint refuses the second."""
    cadre = CadreFactory(home_unit=county.township_a)
    _member(owner, county.township_a, cadre, items)
    monkeypatch.setattr(EnforcementMember, "validate_constraints", lambda member, exclude=None: None)
    client.force_login(owner)
    response = client.post(
        reverse("admin:governance_enforcementmember_add"),
        {"township": county.township_a.pk, "cadre": cadre.pk, "credential_number": "豫执字4199210011",
         "credential_valid_until": "2030-12-31", "items": [items[0].pk]},
        follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 200
    assert "其他人同时修改了这条记录" in response.content.decode()
    assert EnforcementMember.objects.count() == 1


def test_the_demo_teams_leave_one_item_uncovered_and_flag_one_credential_and_lists_are_published(db):
    from governance import demo as governance_demo
    from governance import demo_work
    from staffing import demo as staffing_demo

    demo = governance_demo.load()
    staffing_demo.load(demo)
    demo_work.load(demo)
    demo_work.load(demo)  # idempotent
    county = demo.counties[0]
    gaps = items_lacking_enforcer(townships=Unit.objects.filter(parent=county))
    assert [(gap.township.name, len(gap.items)) for gap in gaps] == [("城关镇", 1)]
    assert credentials_expiring(EnforcementMember.objects.all()).count() == 1
    assert EnforcementMember.objects.count() == 6
    # Each of the county's townships has published its power list once (demo_work's second part).
    from governance.models import PowerListVersion

    assert PowerListVersion.objects.filter(township__parent=county).count() == 3


def test_the_admin_gives_items_through_the_service_which_refuses_a_withdrawn_one(client, county, owner, items):
    withdrawn = EnforcementItemFactory(
        name="对违法建设的处罚", effective_from=datetime.date(2020, 1, 1), effective_to=datetime.date(2024, 12, 31)
    )
    cadre = CadreFactory(home_unit=county.township_a)
    client.force_login(owner)
    response = client.post(
        reverse("admin:governance_enforcementmember_add"),
        {"township": county.township_a.pk, "cadre": cadre.pk, "credential_number": "豫执字4199210010",
         "credential_valid_until": "2030-12-31", "items": [items[0].pk, withdrawn.pk]},
        follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert withdrawn.code in response.content.decode() and "不在有效期" in response.content.decode()
    assert not EnforcementMember.objects.exists()


def test_a_refused_credential_stays_on_the_add_form_with_the_persons_input(client, county, owner, items):
    """The add form asks the service's rules: the refusal sits on its field and the input is kept
    (refused at save time, it came back as a message over an empty form; issue 16's browser journey)."""
    cadre = CadreFactory(home_unit=county.township_a)
    client.force_login(owner)
    response = client.post(
        reverse("admin:governance_enforcementmember_add"),
        {"township": county.township_a.pk, "cadre": cadre.pk, "credential_number": "豫执字4199210012",
         "credential_valid_until": "2020-12-31", "items": [items[0].pk]},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["credential_valid_until"] == ["添加队员时执法证件必须在有效期内。"]
    assert form["credential_number"].value() == "豫执字4199210012"
    assert not EnforcementMember.objects.exists()


def test_a_members_items_are_chosen_from_those_in_force(client, county, owner, items):
    """The items' autocomplete on the member's form offers no withdrawn item (the service would
    refuse it on saving); the catalogue's own search still finds it."""
    withdrawn = EnforcementItemFactory(
        name="对违法建设的处罚", effective_from=datetime.date(2020, 1, 1), effective_to=datetime.date(2024, 12, 31)
    )
    client.force_login(owner)
    field = {"app_label": "governance", "model_name": "enforcementmember", "field_name": "items"}
    offered = client.get(reverse("admin:autocomplete"), {**field, "term": "处罚"}).json()["results"]
    assert {int(result["id"]) for result in offered} == {item.pk for item in items}
    listed = client.get(reverse("admin:governance_enforcementitem_changelist"), {"q": "违法建设"})
    assert [row.pk for row in listed.context["cl"].result_list] == [withdrawn.pk]
