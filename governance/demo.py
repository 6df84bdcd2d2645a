"""The demo city: a fictional prefecture-level city in Henan (province code 41) with one pilot
county and one pilot new area (speech: "在**县和**新区启动党建统领基层治理试点"), their
departments, townships and villages, the county leadership posts, and one user per role.

Loading is idempotent: every record is found by its natural key before it is created.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from governance.access import role_assign
from governance.demo_catalogues import load_catalogues
from governance.models import LeadershipPost, Portfolio, PortfolioDepartment, PostRank, Sector, Unit, UnitKind
from governance.roles import Role

DEMO_PASSWORD = "Demo-2026-pass"

CITY = ("419900000000", "豫中市")
COUNTIES = [
    # code, name, kind, pilot
    ("419921000000", "清河县", UnitKind.COUNTY, True),
    ("419971000000", "东湖新区", UnitKind.NEW_AREA, True),
]
TOWNSHIPS = {
    "419921000000": [
        ("419921100000", "城关镇", UnitKind.TOWN, 140, ["东关村", "西关村", "南街社区"]),
        ("419921101000", "柳林镇", UnitKind.TOWN, 120, ["柳林村", "杨庄村", "北岗村"]),
        ("419921200000", "石桥乡", UnitKind.TOWNSHIP, 100, ["石桥村", "王楼村"]),
    ],
    "419971000000": [
        ("419971001000", "龙湖街道", UnitKind.STREET, 100, ["龙湖社区", "滨河社区"]),
        ("419971100000", "白沙镇", UnitKind.TOWN, 100, ["白沙村", "黄岗村"]),
    ],
}
DEPARTMENTS = [
    # sector, name suffix
    (Sector.ORGANISATION, "委组织部"),
    (Sector.SOCIAL_GOVERNANCE, "社会治理中心"),
    (Sector.AGRICULTURE, "农业农村局"),
    (Sector.NATURAL_RESOURCES, "自然资源局"),
    (Sector.ECOLOGY_ENVIRONMENT, "生态环境分局"),
    (Sector.HOUSING_CONSTRUCTION, "住房和城乡建设局"),
    (Sector.TRANSPORT, "交通运输局"),
    (Sector.WATER, "水利局"),
    (Sector.CIVIL_AFFAIRS, "民政局"),
    (Sector.HEALTH, "卫生健康委员会"),
    (Sector.EMERGENCY, "应急管理局"),
    (Sector.MARKET_REGULATION, "市场监督管理局"),
    (Sector.HUMAN_RESOURCES, "人力资源和社会保障局"),
    (Sector.CULTURE_TOURISM, "文化广电和旅游局"),
    (Sector.INDUSTRY_IT, "工业和信息化局"),
    (Sector.PUBLIC_SECURITY, "公安局"),
    (Sector.JUSTICE, "司法局"),
]
# "一正六副": which sectors each deputy's portfolio oversees (speech §一(一)).
PORTFOLIO_SECTORS = {
    Portfolio.COMPREHENSIVE_INDUSTRY: [Sector.INDUSTRY_IT, Sector.HUMAN_RESOURCES, Sector.MARKET_REGULATION],
    Portfolio.TRANSPORT_CULTURE_TOURISM: [Sector.TRANSPORT, Sector.CULTURE_TOURISM],
    Portfolio.AGRICULTURE: [Sector.AGRICULTURE, Sector.WATER],
    Portfolio.URBAN_CONSTRUCTION: [Sector.HOUSING_CONSTRUCTION, Sector.NATURAL_RESOURCES, Sector.ECOLOGY_ENVIRONMENT],
    Portfolio.LIVELIHOOD: [Sector.CIVIL_AFFAIRS, Sector.HEALTH],
    Portfolio.POLITICAL_LEGAL: [Sector.PUBLIC_SECURITY, Sector.JUSTICE, Sector.EMERGENCY, Sector.SOCIAL_GOVERNANCE],
}
HOLDERS = ["张建国", "李卫东", "王红梅", "赵志强", "刘国庆", "陈晓燕", "杨光明"]


@dataclass
class DemoCity:
    city: Unit
    counties: list[Unit] = field(default_factory=list)
    townships: dict[str, Unit] = field(default_factory=dict)
    villages: dict[str, Unit] = field(default_factory=dict)
    departments: dict[tuple[str, str], Unit] = field(default_factory=dict)  # (county code, sector)
    users: dict[str, object] = field(default_factory=dict)


def _unit(code, name, kind, parent=None, **extra) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, name=name, kind=kind, parent=parent, **extra)
        unit.full_clean()
        unit.save()
    return unit


def department_code(county_code: str, number: int) -> str:
    """A well-formed credit code of a government organ ("11") registered in the county:
    the check character is computed by python-stdnum."""
    body = f"11{county_code[:6]}MB{number:07d}"
    return body + uscc.calc_check_digit(body)


def load_units() -> DemoCity:
    demo = DemoCity(city=_unit(CITY[0], CITY[1], UnitKind.CITY))
    for county_code, county_name, kind, pilot in COUNTIES:
        county = _unit(county_code, county_name, kind, demo.city, pilot=pilot)
        demo.counties.append(county)
        for number, (sector, suffix) in enumerate(DEPARTMENTS, start=1):
            name = f"{county_name}{suffix}" if sector != Sector.ORGANISATION else f"中共{county_name}{suffix}"
            code = department_code(county_code, number)
            demo.departments[(county_code, sector)] = _unit(code, name, UnitKind.DEPARTMENT, county, sector=sector)
        for code, name, township_kind, quota, villages in TOWNSHIPS[county_code]:
            township = _unit(code, name, township_kind, county, staff_quota=quota, pilot=pilot)
            demo.townships[name] = township
            for index, village_name in enumerate(villages, start=1):
                village_kind = UnitKind.COMMUNITY if village_name.endswith("社区") else UnitKind.VILLAGE
                village_code = f"{code[:9]}{index + (0 if village_kind == UnitKind.VILLAGE else 200):03d}"
                demo.villages[village_name] = _unit(village_code, village_name, village_kind, township)
    return demo


def load_posts(demo: DemoCity) -> None:
    for county in demo.counties:
        LeadershipPost.objects.get_or_create(county=county, rank=PostRank.HEAD, defaults={"holder_name": HOLDERS[0]})
        for holder, (portfolio, sectors) in zip(HOLDERS[1:], PORTFOLIO_SECTORS.items(), strict=True):
            post, _created = LeadershipPost.objects.get_or_create(
                county=county, rank=PostRank.DEPUTY, portfolio=portfolio, defaults={"holder_name": holder}
            )
            for sector in sectors:
                PortfolioDepartment.objects.get_or_create(
                    department=demo.departments[(county.code, sector)], defaults={"post": post}
                )


def _user(username: str, full_name: str, *, superuser: bool = False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"first_name": full_name, "is_staff": True, "is_superuser": superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_role_holders(demo: DemoCity) -> list[tuple[str, str, str, Unit]]:
    """(username, display name, role, unit): one user per role, and a neighbour for each township role."""
    qinghe = demo.counties[0].code
    return [
        ("city_admin", "市级管理员", Role.CITY_ADMIN, demo.city),
        ("qh_org", "清河县委组织部干部", Role.COUNTY_ORGANISATION, demo.counties[0]),
        ("qh_centre", "清河县社会治理中心", Role.COUNTY_GOVERNANCE_CENTRE, demo.counties[0]),
        ("qh_agri", "清河县农业农村局干部", Role.DEPARTMENT_OFFICER, demo.departments[(qinghe, Sector.AGRICULTURE)]),
        (
            "qh_housing",
            "清河县住建局干部",
            Role.DEPARTMENT_OFFICER,
            demo.departments[(qinghe, Sector.HOUSING_CONSTRUCTION)],
        ),
        ("cg_clerk", "城关镇办事员", Role.TOWNSHIP_CLERK, demo.townships["城关镇"]),
        ("cg_secretary", "城关镇党委书记", Role.TOWNSHIP_SUPERVISOR, demo.townships["城关镇"]),
        ("cg_office", "城关镇社会治理室", Role.TOWNSHIP_OFFICE, demo.townships["城关镇"]),
        ("ll_clerk", "柳林镇办事员", Role.TOWNSHIP_CLERK, demo.townships["柳林镇"]),
        ("ll_secretary", "柳林镇党委书记", Role.TOWNSHIP_SUPERVISOR, demo.townships["柳林镇"]),
        ("dg_village", "东关村代办员", Role.VILLAGE_CLERK, demo.villages["东关村"]),
    ]


def load_users(demo: DemoCity) -> None:
    demo.users["admin"] = _user("admin", "系统管理员", superuser=True)
    for username, full_name, role, unit in demo_role_holders(demo):
        user = _user(username, full_name)
        role_assign(user=user, unit=unit, role=role)
        demo.users[username] = user


def load() -> DemoCity:
    demo = load_units()
    load_posts(demo)
    load_users(demo)
    load_catalogues()
    return demo


# Apps that add their own demo records to the same city, in dependency order, with what each
# loads; each module has ``load(demo: DemoCity)``.
DEMO_MODULES: tuple[tuple[str, str], ...] = (
    ("staffing.demo", "干部、派驻、考核、推荐与任用 / cadres, secondments, assessments, nominations, proposals"),
    ("staffing.people.demo", "村两委、培训、交流任职、乡镇站所与班子 / village committees, training, postings, teams"),
    ("cases.demo", "吹哨案件与便民办件 / cases and service requests"),
    ("cases.demo_work", "四不两直检查与专班 / inspections and task forces"),
    ("governance.demo_work", "乡镇综合执法队伍 / township enforcement teams"),
)


def load_city(say: Callable[[str], None] = lambda message: None) -> DemoCity:
    """The whole demo city, every app's part, telling ``say`` what it loads as it goes
    (on PostgreSQL the cases and their deadlines take most of a minute)."""
    say("单位、县级领导分工、用户与事项清单 / units, leadership posts, users, catalogues")
    demo = load()
    for module_name, title in DEMO_MODULES:
        say(title)
        importlib.import_module(module_name).load(demo)
    return demo
