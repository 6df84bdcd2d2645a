"""Issue 16: the township enforcement team (一支队伍管执法). 城关镇's clerk adds a member of the
township's staff with a credential and two items chosen in the multi-select; an item taken back
from the townships is not offered there, and a credential already run out is refused on its field
with the rule, the input kept and nothing written (a withdrawn item posted from a stale page is
refused by the service: tests/governance/test_enforcement_team.py). The county governance centre
opens the coverage page from the team's list and sees that 城关镇 still lacks an enforcer for one
item in force, while the other townships lack none."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import EnforcementItem, EnforcementMember
from staffing.models import Cadre

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CREDENTIAL = "豫清执2026-0107"
ITEMS = ("ZF-2024-001", "ZF-2024-005")  # in force since the first batch (governance.demo_catalogues)
WITHDRAWN = "ZF-2024-009"  # taken back by the county on 2025-06-30
UNCOVERED = "ZF-2026-002"  # governance.demo_work leaves 城关镇 without an enforcer for the last item


def _new_member() -> Cadre:
    """A cadre of 城关镇's own staff not yet on its team, whose name no other cadre shares."""
    for cadre in Cadre.objects.filter(home_unit__name="城关镇", enforcement_memberships__isnull=True).order_by("pk"):
        if not Cadre.objects.filter(name=cadre.name).exclude(pk=cadre.pk).exists():
            return cadre
    raise AssertionError("the demo has no 城关镇 cadre left to add")


def test_the_clerk_adds_a_credentialled_member_refused_a_lapsed_credential_offered_no_withdrawn_item(open_as):
    today = timezone.localdate()
    valid_until = today + datetime.timedelta(days=730)
    cadre = _new_member()
    # The demo's withdrawn item exists, out of force: "not offered" below is the rule, not a typo.
    assert EnforcementItem.objects.filter(code=WITHDRAWN).exists()
    assert not EnforcementItem.objects.in_force_on(today).filter(code=WITHDRAWN).exists()
    clerk = open_as("cg_clerk")
    clerk.follow("综合执法队员")
    expect(clerk.page.locator("#result_list")).to_contain_text("城关镇")
    clerk.page.locator(".object-tools").get_by_role("link", name="增加 综合执法队员").click()
    clerk.choose("id_township", "城关镇")
    clerk.choose("id_cadre", cadre.name)
    clerk.page.fill("#id_credential_number", CREDENTIAL)
    clerk.page.fill("#id_credential_valid_until", (today - datetime.timedelta(days=1)).isoformat())
    clerk.choose("id_items", ITEMS[0])
    # The item the county took back is not offered.
    clerk.page.locator("#id_items + .select2").click()
    clerk.page.locator(".select2-container--open .select2-search__field").fill(WITHDRAWN)
    expect(clerk.page.locator(".select2-results__message")).to_have_text("未找到结果")
    clerk.shot("item-taken-back-not-offered")
    clerk.page.keyboard.press("Escape")
    clerk.choose("id_items", ITEMS[1])
    clerk.submit()

    # Refused on its field, the person's input kept.
    expect(clerk.page.locator(".errornote")).to_be_visible()
    expect(clerk.page.locator(".field-credential_valid_until .errorlist")).to_have_text(
        "添加队员时执法证件必须在有效期内。"
    )
    expect(clerk.page.locator("#id_credential_number")).to_have_value(CREDENTIAL)
    clerk.shot("credential-run-out")
    assert not EnforcementMember.objects.filter(cadre=cadre).exists()

    clerk.page.fill("#id_credential_valid_until", valid_until.isoformat())
    clerk.submit()
    clerk.expect_message(CREDENTIAL)
    expect(clerk.page.locator("ul.messagelist .success")).to_be_visible()
    row = clerk.page.locator("#result_list tbody tr", has_text=CREDENTIAL)
    expect(row).to_contain_text(cadre.name)
    expect(row).to_contain_text(valid_until.isoformat())
    expect(row.locator("td.field-items_count")).to_have_text("2")
    clerk.shot("member-listed")

    member = EnforcementMember.objects.get(credential_number=CREDENTIAL)
    assert (member.cadre, member.township.name, member.credential_valid_until) == (cadre, "城关镇", valid_until)
    assert set(member.items.values_list("code", flat=True)) == set(ITEMS)
    assert member.history.filter(history_user__username="cg_clerk").exists()


def test_the_county_sees_which_items_lack_an_enforcer_in_which_township(open_as):
    centre = open_as("qh_centre")
    centre.follow("综合执法队员")
    table = centre.page.locator("#result_list")
    for township in ("城关镇", "柳林镇", "石桥乡"):
        expect(table).to_contain_text(township)
    # 城关镇's first member's credential runs out within the month: flagged ahead of time.
    expect(table.locator("strong.overdue-due")).to_have_count(1)
    centre.page.locator(".object-tools").get_by_role("link", name="缺少执法人员的事项").click()
    expect(centre.page.locator("h1")).to_have_text("缺少持证执法人员的执法事项")
    rows = centre.page.locator("#coverage tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("城关镇")
    expect(rows.first.locator("li")).to_have_text([str(EnforcementItem.objects.get(code=UNCOVERED))])
    centre.shot("coverage")
