"""Issue 16: branch pairing (支部联支部) and the village convenience-service terminals, clicked
through as a township's staff do.

- 城关镇's clerk sees on the county's gaps page that 南街社区 has no paired branch, registers the
  community's branch, pairs it with a county office's branch through the add form (the village
  branch by its autocomplete, which offers only the clerk's own township's branches), records a
  joint activity, and sees it listed and the community gone from the gaps page. An activity dated
  before the pair began is refused on the form with the rule's message, keeping what was typed, and
  writes nothing; so is pairing two branches already paired over the same days.
- 城关镇's governance office reads the requests logged at 西关村's terminal and opens a terminal for
  南街社区 with its village-level service items; an implausible opening date is refused on the form.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.branch_pairing import ActivityKind, BranchKind, BranchPair, PairActivity, PartyBranch
from cases.terminals import VillageTerminal
from governance.models import ServiceItem, ServiceLevel

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COMMUNITY_BRANCH = "南街社区党支部"
OFFICE_BRANCH = "县民政局机关党支部"  # paired with 杨庄村 too: an office branch pairs with many villages


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - datetime.timedelta(days=days_ago):%Y-%m-%d}"


def test_a_township_pairs_its_unpaired_community_and_records_an_activity(open_as, demo_city):
    clerk = open_as("cg_clerk")
    clerk.follow("支部联支部结对")
    clerk.page.locator(".object-tools").get_by_role("link", name="未结对的村（社区）").click()
    expect(clerk.page.locator("#villages-without-pair")).to_contain_text("城关镇 · 南街社区")
    clerk.shot("gaps-before")

    # The community's branch first: the register.
    clerk.home()
    clerk.follow("党支部名册")
    clerk.page.locator(".object-tools").get_by_role("link", name="增加").click()
    clerk.page.fill("#id_name", COMMUNITY_BRANCH)
    clerk.page.select_option("#id_kind", label="村（社区）党支部")
    clerk.choose("id_unit", "南街社区")
    clerk.page.fill("#id_secretary", "赵秀兰")
    clerk.page.fill("#id_members", "21")
    clerk.submit()
    clerk.expect_message(COMMUNITY_BRANCH)
    branch = PartyBranch.objects.get(name=COMMUNITY_BRANCH)
    assert branch.kind == BranchKind.VILLAGE and branch.unit.name == "南街社区" and branch.county.name == "清河县"

    # The pair: a county office's branch from the plain list, the village branch by its autocomplete.
    clerk.home()
    clerk.follow("支部联支部结对")
    clerk.page.locator(".object-tools").get_by_role("link", name="增加").click()
    clerk.page.select_option("#id_office_branch", label=OFFICE_BRANCH)
    clerk.page.locator("#id_village_branch + .select2").click()
    clerk.page.locator(".select2-container--open .select2-search__field").fill("柳林村")
    expect(clerk.page.locator(".select2-results__option")).to_have_text(["未找到结果"])  # another township's
    clerk.page.keyboard.press("Escape")
    clerk.choose("id_village_branch", COMMUNITY_BRANCH)
    clerk.page.fill("#id_start", _day(30))
    clerk.shot("pair-form")
    clerk.submit()
    clerk.expect_message("成功")
    expect(clerk.page.locator("#result_list")).to_contain_text(COMMUNITY_BRANCH)
    pair = BranchPair.objects.get(village_branch=branch)
    assert pair.office_branch.name == OFFICE_BRANCH and pair.end is None

    # An activity before the pair began: refused with the rule, nothing written.
    clerk.home()
    clerk.follow("联建活动")
    clerk.page.locator(".object-tools").get_by_role("link", name="增加").click()
    clerk.choose("id_pair", COMMUNITY_BRANCH)
    clerk.page.select_option("#id_kind", label="志愿服务")
    clerk.page.fill("#id_date", _day(45))
    clerk.page.fill("#id_participants", "民政局机关党员6人、社区党员11人")
    clerk.page.fill("#id_summary", "为社区独居老人上门打扫卫生、检查用电安全。")
    clerk.submit()
    expect(clerk.page.locator(".field-date .errorlist")).to_have_text("活动日期必须在结对期间内。")
    expect(clerk.page.locator("#id_participants")).to_have_value("民政局机关党员6人、社区党员11人")  # kept
    clerk.shot("activity-refused")
    assert not PairActivity.objects.filter(pair=pair).exists()

    # The date corrected on the same form: recorded and listed.
    clerk.page.fill("#id_date", _day(2))
    clerk.submit()
    clerk.expect_message("成功")
    row = clerk.page.locator("#result_list tbody tr", has_text=COMMUNITY_BRANCH)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("志愿服务")
    clerk.shot("activity-listed")
    activity = PairActivity.objects.get(pair=pair)
    assert activity.kind == ActivityKind.VOLUNTEERING and f"{activity.date:%Y-%m-%d}" == _day(2)

    clerk.home()
    clerk.follow("支部联支部结对")
    clerk.page.locator(".object-tools").get_by_role("link", name="未结对的村（社区）").click()
    expect(clerk.page.locator("#villages-without-pair")).not_to_contain_text("南街社区")
    expect(clerk.page.locator("#idle-pairs")).not_to_contain_text(COMMUNITY_BRANCH)
    clerk.shot("gaps-after")


def test_two_branches_already_paired_are_not_paired_again(open_as, demo_city):
    secretary = open_as("cg_secretary")
    secretary.follow("支部联支部结对")
    secretary.page.locator(".object-tools").get_by_role("link", name="增加").click()
    secretary.page.select_option("#id_office_branch", label="县农业农村局机关党支部")
    secretary.choose("id_village_branch", "东关村党支部")
    secretary.page.fill("#id_start", _day(10))
    secretary.submit()
    expect(secretary.page.locator("#content-main .errorlist.nonfield")).to_have_text("这两个支部在该期间内已有结对。")
    secretary.shot("overlap-refused")
    assert BranchPair.objects.filter(village_branch__name="东关村党支部").count() == 1


def test_the_township_office_opens_a_terminal_for_a_community(open_as, demo_city):
    office = open_as("cg_office")
    office.follow("村级便民服务终端")
    office.follow_in_list("西关村")
    panel = office.page.locator("#terminal-requests")
    expect(panel).to_contain_text("刘淑珍")
    expect(panel).to_contain_text("陈国强")
    office.shot("terminal-with-requests")

    item = ServiceItem.objects.filter(level=ServiceLevel.VILLAGE, active=True).order_by("code").first()
    office.home()
    office.follow("村级便民服务终端")
    office.page.locator(".object-tools").get_by_role("link", name="增加").click()
    office.choose("id_village", "南街社区")
    office.page.fill("#id_place", "南街社区党群服务中心")
    office.page.fill("#id_keeper", "周丽")
    office.page.fill("#id_keeper_phone", "13903710103")
    office.page.fill("#id_opened_on", "2999-03-01")  # a typing slip
    office.choose("id_items", item.name)
    office.submit()
    expect(office.page.locator(".errorlist")).to_contain_text("2999-03-01 不是合理的日期")
    office.shot("terminal-date-refused")
    assert not VillageTerminal.objects.filter(village__name="南街社区").exists()

    office.page.fill("#id_opened_on", "2026-06-01")
    office.submit()
    office.expect_message("成功")
    expect(office.page.locator("#result_list")).to_contain_text("南街社区党群服务中心")
    office.shot("terminal-listed")
    terminal = VillageTerminal.objects.get(village__name="南街社区")
    assert terminal.keeper == "周丽" and list(terminal.items.all()) == [item]
