"""The demo city's township enforcement teams (issue 16): in 清河县 every township has a team whose
credentials cover the items in force, except that 城关镇 lacks an enforcer for one item and one of
its members' credentials runs out within the month. Loaded after staffing's cadres; idempotent."""

import datetime

from django.utils import timezone

from governance.demo import DemoCity
from governance.enforcement_team import member_save
from governance.models import EnforcementItem, EnforcementMember, PowerListVersion, TownshipPower
from governance.power_list import power_list_publish, township_power_save

# township, number of members, items left without an enforcer
TEAMS = [("城关镇", 3, 1), ("柳林镇", 2, 0), ("石桥乡", 1, 0)]


def load(demo: DemoCity) -> None:
    _teams(demo)
    _power_lists(demo)


def _teams(demo: DemoCity) -> None:
    from staffing.models import Cadre

    today = timezone.localdate()
    items = list(EnforcementItem.objects.in_force_on(today).order_by("code"))
    if not items:
        return
    for team_number, (name, size, left_out) in enumerate(TEAMS, start=1):
        township = demo.townships[name]
        if EnforcementMember.objects.filter(township=township).exists():
            continue
        keeper = demo.users["cg_secretary" if name == "城关镇" else "admin"]
        covered = items[: len(items) - left_out]
        cadres = Cadre.objects.filter(home_unit=township).order_by("pk")[2 : 2 + size]  # staff, not the deputies
        for index, cadre in enumerate(cadres):
            # 城关镇's first member's credential runs out in 20 days: flagged ahead of time.
            days = 20 if (name == "城关镇" and index == 0) else 700 + index * 30
            member_save(
                actor=keeper,
                member=EnforcementMember(
                    township=township,
                    cadre=cadre,
                    credential_number=f"豫{township.code[:6]}执{team_number:02d}{index + 1:04d}",
                    credential_valid_until=today + datetime.timedelta(days=days),
                ),
                # Split the items between the members; every covered item has at least one holder.
                items=covered[index::size] if size > 1 else covered,
                today=today,
            )


# 城关镇's own statutory powers (code, power, legal basis, office, responsibility).
OWN_POWERS = [
    (
        "XZ-ZY-001",
        "组织编制和实施本镇国民经济和社会发展规划",
        "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第八十三条",
        "党政综合办公室",
        "按期编制规划并报镇人民代表大会审议，组织实施并接受监督。",
    ),
    (
        "XZ-ZY-002",
        "村民委员会选举的指导",
        "《中华人民共和国村民委员会组织法》第四条",
        "党建工作办公室",
        "依法指导村民委员会换届选举，纠正违法选举行为。",
    ),
]


def _power_lists(demo: DemoCity) -> None:
    """Each of 清河县's townships publishes its power list; 城关镇's includes its own powers."""
    chengguan = demo.townships["城关镇"]
    for code, name, basis, office, duty in OWN_POWERS:
        if not TownshipPower.objects.filter(township=chengguan, code=code).exists():
            township_power_save(
                actor=demo.users["cg_secretary"],
                power=TownshipPower(
                    township=chengguan, code=code, name=name, legal_basis=basis, office=office, responsibility=duty
                ),
            )
    for name, _size, _left_out in TEAMS:
        township = demo.townships[name]
        if not PowerListVersion.objects.filter(township=township).exists():
            publisher = demo.users["cg_secretary" if name == "城关镇" else "admin"]
            power_list_publish(actor=publisher, township=township, note="首次公布")
