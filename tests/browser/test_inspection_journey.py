"""Issue 16: a township leader records what an unannounced inspection (四不两直) found and raises
its case in one step; the county governance centre opens a township's published power list and
its printable page."""

import pytest
from playwright.sync_api import expect

from cases.inspections import InspectionFinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FINDING = "东关村村口垃圾堆放未清运"


def test_a_leader_records_a_finding_and_raises_its_case_in_one_step(open_as, demo_city):
    leader = open_as("cg_secretary")
    leader.follow("四不两直检查")
    leader.follow_in_list("李卫东")
    leader.step("记录发现的问题并吹哨立案")
    leader.page.fill("#id_title", FINDING)
    leader.page.fill("#id_description", "村口垃圾堆放约三天未清运，影响村容村貌。")
    leader.page.select_option("#id_village", label="东关村")
    leader.page.select_option("#id_item", index=1)
    leader.shot("finding-form")
    leader.submit()
    leader.expect_message("已完成：记录发现的问题并吹哨立案。")
    case = InspectionFinding.objects.select_related("case").get(title=FINDING).case
    expect(leader.page.locator("#findings")).to_contain_text(case.reference)
    leader.shot("inspection-with-cases")


def test_the_county_opens_a_townships_printable_power_list(open_as, demo_city):
    centre = open_as("qh_centre")
    centre.follow("权责清单")
    centre.follow_in_list("城关镇")
    centre.follow("打印页")
    expect(centre.page.locator("h1")).to_have_text("城关镇权责清单")
    expect(centre.page.locator("#power-list")).to_contain_text("村民委员会选举的指导")
    centre.shot("printable-power-list")
