"""The demo city's work beyond cases (issue 16): an unannounced inspection of 城关镇 whose two
findings became cases (one closed, one still with the departments), a task force with one overdue
milestone, and 清河县's branch pairs (one village without a pair, one pair idle this quarter).
Idempotent like every loader."""

import datetime
from datetime import timedelta

from django.utils import timezone

from cases.assignments import assignment_accept, assignment_feedback, assignment_respond
from cases.branch_pairing import ActivityKind, BranchKind, BranchPair, PairActivity, PartyBranch
from cases.branch_services import activity_record, branch_save, pair_save, quarter_start
from cases.demo import _item, _officer
from cases.inspection_services import finding_record, inspection_save
from cases.inspections import Inspection
from cases.ratings import assignment_rate
from cases.service_requests import service_request_log
from cases.taskforce_services import (
    milestone_case_raise,
    milestone_done,
    milestone_save,
    milestones_sweep_overdue,
    progress_report,
    taskforce_save,
)
from cases.taskforces import TaskForce, TaskForceMilestone
from cases.terminal_services import terminal_save
from cases.terminals import VillageTerminal
from governance.demo import DemoCity
from governance.models import (
    CasePriority,
    CoordinationItem,
    LeadershipPost,
    Portfolio,
    Sector,
    ServiceItem,
    ServiceLevel,
)

INSPECTION_LEADER = "李卫东"
FINDINGS = [
    # title, description, village, place, closed
    ("东关村灌溉渠渗漏", "灌溉渠约三十米渗漏严重，春灌在即，需修复。", "东关村", "东关村北灌渠", True),
    ("西关村危房改造进度滞后（四不两直）", "两户危房改造未按期开工，群众反映强烈。", "西关村", "西关村三组", False),
]


def load(demo: DemoCity) -> None:
    if not CoordinationItem.objects.filter(active=True).exists():
        return
    _inspection(demo)
    _task_force(demo)
    milestones_sweep_overdue()  # as the periodic sweep would have by now
    _branch_pairs(demo)
    _terminals(demo)


def _inspection(demo: DemoCity) -> None:
    township = demo.townships["城关镇"]
    if Inspection.objects.filter(township=township, leader=INSPECTION_LEADER).exists():
        return
    now = timezone.now()
    secretary = demo.users["cg_secretary"]
    inspection = inspection_save(
        actor=secretary,
        inspection=Inspection(
            township=township,
            leader=INSPECTION_LEADER,
            leader_title="副县长（分管综合和工业）",
            date=timezone.localdate(now) - timedelta(days=12),
            places="东关村北灌渠、西关村三组危房改造现场",
            unannounced=True,
            companions="县社会治理中心 周敏",
        ),
    )
    for index, (title, description, village, place, closed) in enumerate(FINDINGS):
        raised = finding_record(
            actor=secretary,
            inspection=inspection,
            title=title,
            description=description,
            village=demo.villages[village],
            place=place,
            item=_item(title, index),
            priority=CasePriority.NORMAL,
            now=now - timedelta(days=11, hours=index),
        ).raised
        if closed:
            _close(demo, raised.assignments, secretary, now - timedelta(days=11))


def _close(demo: DemoCity, assignments, secretary, start) -> None:
    for assignment in assignments:
        officer = _officer(demo, assignment.department)
        assignment_accept(actor=officer, assignment=assignment, now=start + timedelta(hours=3))
        assignment_feedback(
            actor=officer, assignment=assignment, feedback="已到现场核查。", now=start + timedelta(days=1)
        )
        assignment_respond(actor=officer, assignment=assignment, response="已修复完毕。", now=start + timedelta(days=3))
        assignment_rate(
            actor=secretary,
            assignment=assignment,
            rating="satisfied",
            comment="处置及时。",
            now=start + timedelta(days=4),
        )


TASK_FORCE = "城关镇高标准农田建设专班"
# title, counted from (days ago), working days, done, department needed (sector)
MILESTONES = [
    ("完成项目区选址和群众意见征集", 40, 10, True, None),
    ("完成田间道路和灌排渠系设计", 25, 10, False, Sector.WATER),  # overdue: the sweep marks it
    ("完成施工招标", 2, 15, False, None),
]


def _task_force(demo: DemoCity) -> None:
    township = demo.townships["城关镇"]
    if TaskForce.objects.filter(township=township, name=TASK_FORCE).exists():
        return
    now = timezone.now()
    secretary = demo.users["cg_secretary"]
    county = township.parent
    task_force = taskforce_save(
        actor=secretary,
        task_force=TaskForce(
            name=TASK_FORCE,
            county=county,
            township=township,
            lead_post=LeadershipPost.objects.get(county=county, portfolio=Portfolio.AGRICULTURE),
            work="2026年城关镇高标准农田建设项目：新建高标准农田3000亩，配套田间道路和灌排渠系。",
            member_people="王志刚 镇党委副书记\n李秀英 镇农业服务中心主任\n赵建民 县水利局派驻干部",
            start=timezone.localdate(now) - timedelta(days=60),
        ),
    )
    task_force.member_units.set([township, demo.departments[(county.code, Sector.AGRICULTURE)]])
    today = timezone.localdate(now)
    for title, days_ago, working_days, done, sector in MILESTONES:
        milestone = milestone_save(
            actor=secretary,
            milestone=TaskForceMilestone(
                task_force=task_force,
                title=title,
                counted_from=today - timedelta(days=days_ago),
                working_days=working_days,
                needs_department=demo.departments[(county.code, sector)] if sector else None,
            ),
        )
        if done:
            milestone_done(actor=secretary, milestone=milestone, now=milestone.due_at - timedelta(days=2))
            progress_report(
                actor=secretary,
                task_force=task_force,
                milestone=milestone,
                content="选址完成，已公示。",
                now=milestone.due_at,
            )
        elif sector:
            milestone_case_raise(
                actor=secretary,
                milestone=milestone,
                item=_item("田间道路和灌排渠系设计", 0),
                now=now - timedelta(days=5),
            )
    progress_report(actor=secretary, task_force=task_force, content="设计单位已进场，渠系设计尚未完成，需水利局支持。")


# (office branch, its department's sector, village, activities: (kind, days ago, participants)).
# 城关镇's 南街社区 is left without a pair; 住建局 ↔ 西关村 has no activity this quarter.
PAIRS = [
    ("县农业农村局机关党支部", Sector.AGRICULTURE, "东关村", [(ActivityKind.INDUSTRY, 10, "机关党员8人、村党员15人")]),
    (
        "县住房和城乡建设局机关党支部",
        Sector.HOUSING_CONSTRUCTION,
        "西关村",
        [(ActivityKind.PARTY_DAY, 120, "机关党员10人、村党员18人")],
    ),
    (
        "县水利局机关党支部",
        Sector.WATER,
        "柳林村",
        [(ActivityKind.LIVING_ENVIRONMENT, 5, "机关党员6人、村党员22人、志愿者9人")],
    ),
    ("县民政局机关党支部", Sector.CIVIL_AFFAIRS, "杨庄村", [(ActivityKind.VOLUNTEERING, 3, "机关党员7人、村党员12人")]),
    (
        "县卫生健康委员会机关党支部",
        Sector.HEALTH,
        "北岗村",
        [(ActivityKind.VOLUNTEERING, 8, "义诊医生5人、村党员10人")],
    ),
    (
        "县交通运输局机关党支部",
        Sector.TRANSPORT,
        "石桥村",
        [(ActivityKind.LIVING_ENVIRONMENT, 12, "机关党员9人、村党员16人")],
    ),
    (
        "县文化广电和旅游局机关党支部",
        Sector.CULTURE_TOURISM,
        "王楼村",
        [(ActivityKind.PARTY_DAY, 20, "机关党员6人、村党员14人")],
    ),
]


def _when(today, days_ago: int):
    """An activity meant for this quarter stays in it whatever the day the demo is loaded."""
    day = today - timedelta(days=days_ago)
    return max(day, quarter_start(today)) if days_ago < 90 else day


def _branch_pairs(demo: DemoCity) -> None:
    county = demo.counties[0]
    if BranchPair.objects.filter(village_branch__county=county).exists():
        return
    org = demo.users["qh_org"]
    today = timezone.localdate()
    for office_name, sector, village_name, activities in PAIRS:
        office = branch_save(
            actor=org,
            branch=PartyBranch(
                name=office_name, kind=BranchKind.DEPARTMENT, unit=demo.departments[(county.code, sector)]
            ),
        )
        village_unit = demo.villages[village_name]
        village = branch_save(
            actor=org, branch=PartyBranch(name=f"{village_name}党支部", kind=BranchKind.VILLAGE, unit=village_unit)
        )
        pair = pair_save(
            actor=org,
            pair=BranchPair(office_branch=office, village_branch=village, start=today - timedelta(days=400)),
        )
        for kind, days_ago, participants in activities:
            activity_record(
                actor=org,
                activity=PairActivity(pair=pair, kind=kind, date=_when(today, days_ago), participants=participants),
            )


# village, place, keeper, phone, requests logged there at the terminal (applicant, birth date)
TERMINALS = [
    ("东关村", "东关村党群服务中心一楼", "李春梅", "13903710101", []),
    (
        "西关村",
        "西关村便民服务站",
        "王德华",
        "13903710102",
        [("刘淑珍", datetime.date(1956, 4, 12)), ("陈国强", datetime.date(1962, 9, 3))],
    ),
]


def _terminals(demo: DemoCity) -> None:
    """Two terminals in 城关镇; 东关村's shows the requests its desk logged, 西关村's two new ones."""
    from staffing.idnumbers import id_number_compose

    items = list(ServiceItem.objects.filter(level=ServiceLevel.VILLAGE, active=True).order_by("code")[:4])
    clerk = demo.users["cg_clerk"]
    for number, (village_name, place, keeper, phone, applicants) in enumerate(TERMINALS, start=1):
        village = demo.villages[village_name]
        if VillageTerminal.objects.filter(village=village).exists():
            continue
        terminal = VillageTerminal(
            village=village, place=place, keeper=keeper, keeper_phone=phone, opened_on=datetime.date(2026, 3, 1)
        )
        terminal_save(actor=clerk, terminal=terminal, items=items)
        for index, (name, birth) in enumerate(applicants):
            service_request_log(
                actor=clerk,
                desk=village,
                item=items[index % len(items)],
                applicant_name=name,
                id_number=id_number_compose("410102", birth, number * 10 + index * 2 + 1),
                phone=f"1390371{number:02d}{index:02d}",
            )
