"""Demo cases and service requests for the demo city (``python manage.py demo``).

Cases in every state, told through the services with moments in the past so every deadline
and timeline row is real: closed, returned for another round, awaiting rating, in progress,
awaiting acceptance, declined and reassigned, escalated, and overdue (the sweep marks them).
Idempotent: each scenario is found by its title in its township before it is told again.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from stdnum.cn import ric

from cases.assignments import (
    assignment_accept,
    assignment_decline,
    assignment_escalate,
    assignment_feedback,
    assignment_reassign,
    assignment_respond,
)
from cases.deadlines import assignments_sweep_overdue
from cases.models import Case, ServiceRequest
from cases.raising import case_raise, department_of_sector, item_co_departments
from cases.ratings import assignment_rate
from cases.service_requests import (
    service_request_accept,
    service_request_complete,
    service_request_forward,
    service_request_log,
    service_request_reject,
)
from governance.demo import DemoCity
from governance.models import CasePriority, CoordinationItem, HandlingMode, Sector, ServiceItem, ServiceLevel, UnitLevel

# (title, description, place, village, priority, days ago raised, story)
CASES = [
    (
        "东关村灌溉渠塌方修复",
        "东关村北灌溉渠塌方约30米，影响200亩小麦春灌。",
        "东关村北渠",
        "东关村",
        CasePriority.URGENT,
        30,
        "closed",
    ),
    (
        "西关村危房改造进度滞后",
        "西关村3户危房改造停工两周，群众多次反映。",
        "西关村五组",
        "西关村",
        CasePriority.NORMAL,
        21,
        "returned",
    ),
    (
        "南街社区雨污管网混接",
        "南街社区雨天污水外溢，需排查雨污混接点。",
        "南街社区主街",
        "南街社区",
        CasePriority.NORMAL,
        12,
        "awaiting_rating",
    ),
    (
        "城关镇农贸市场周边农田排水不畅",
        "市场周边农田排水沟淤堵，雨后积水。",
        "农贸市场南侧",
        None,
        CasePriority.NORMAL,
        4,
        "in_progress",
    ),
    (
        "东关村高标准农田机井损坏",
        "高标准农田项目区两眼机井水泵损坏。",
        "东关村项目区",
        "东关村",
        CasePriority.NORMAL,
        2,
        "accepted",
    ),
    (
        "西关村自建房加层安全隐患",
        "西关村一处自建房擅自加层，存在安全隐患。",
        "西关村二组",
        "西关村",
        CasePriority.CRITICAL,
        0,
        "assigned",
    ),
    (
        "东关村秸秆堆放占道",
        "秸秆堆放占用村道，影响通行和防火。",
        "东关村村道",
        "东关村",
        CasePriority.NORMAL,
        16,
        "overdue",
    ),
    (
        "南街社区老旧小区加装电梯协调",
        "居民申请加装电梯，涉及规划和住建审批。",
        "南街社区3号院",
        "南街社区",
        CasePriority.NORMAL,
        6,
        "declined",
    ),
    (
        "城关镇河道沿岸违规养殖",
        "河道沿岸违规养殖，需农业和水利部门处置。",
        "清河城关段",
        None,
        CasePriority.URGENT,
        9,
        "reassigned",
    ),
    (
        "东关村土地流转纠纷调处",
        "土地流转合同到期纠纷，需农业部门指导调处。",
        "东关村",
        "东关村",
        CasePriority.NORMAL,
        11,
        "escalated",
    ),
]
LIULIN_CASE = (
    "柳林村养殖场粪污处理",
    "养殖场粪污直排，群众反映强烈。",
    "柳林村东",
    "柳林村",
    CasePriority.NORMAL,
    5,
    "accepted",
)


def _ago(now: datetime, days: int, hours: int = 0) -> datetime:
    return now - timedelta(days=days, hours=hours)


# Matters of housing and construction; the others are agricultural and rural matters.
HOUSING_TITLES = {
    "西关村危房改造进度滞后",
    "南街社区雨污管网混接",
    "西关村自建房加层安全隐患",
    "南街社区老旧小区加装电梯协调",
}


def _item(title: str, index: int) -> CoordinationItem | None:
    """An active item led by the matter's sector (a different one per scenario where there are several)."""
    items = CoordinationItem.objects.filter(active=True).order_by("code")
    sector = Sector.HOUSING_CONSTRUCTION if title in HOUSING_TITLES else Sector.AGRICULTURE
    led = list(items.filter(lead_sector=sector))
    return led[index % len(led)] if led else items.first()


def _officer(demo: DemoCity, department):
    """The department's demo officer; departments without one act through the demo superuser."""
    by_sector = {Sector.AGRICULTURE: "qh_agri", Sector.HOUSING_CONSTRUCTION: "qh_housing"}
    return demo.users[by_sector.get(department.sector, "admin")]


def _tell(demo: DemoCity, township, clerk, supervisor, scenario, now, index: int = 0) -> None:
    title, description, place, village_name, priority, days_ago, story = scenario
    if Case.objects.filter(township=township, title=title).exists():
        return
    item = _item(title, index)
    other = Sector.AGRICULTURE if item.lead_sector == Sector.HOUSING_CONSTRUCTION else Sector.HOUSING_CONSTRUCTION
    co_sectors = [other] if story in ("closed", "returned", "declined") else []
    start = _ago(now, days_ago, 2)
    result = case_raise(
        actor=clerk,
        township=township,
        village=demo.villages.get(village_name) if village_name else None,
        item=item,
        title=title,
        description=description,
        place=place,
        priority=priority,
        co_sectors=[sector for sector in co_sectors if sector != item.lead_sector],
        left_out_reason="经现场核实，本事项只涉及牵头部门职责，其他协办部门无需到场。",
        now=start,
    )
    centre = demo.users["qh_centre"]
    step = timedelta(hours=3)
    for index, assignment in enumerate(result.assignments):
        officer = _officer(demo, assignment.department)
        at = start + step * (index + 1)
        if story in ("assigned", "overdue"):
            continue
        if story == "declined" and index == len(result.assignments) - 1:
            assignment_decline(
                actor=officer, assignment=assignment, reason="本局不承担加装电梯审批，应由自然资源部门牵头。", now=at
            )
            continue
        if story == "reassigned":
            assignment_decline(actor=officer, assignment=assignment, reason="河道养殖由水利部门管理。", now=at)
            water = department_of_sector(township.parent, Sector.WATER)
            assignment_reassign(
                actor=centre,
                assignment=assignment,
                department=water,
                reason="河道管理范围内，由水利局牵头。",
                now=at + step,
            )
            continue
        assignment_accept(actor=officer, assignment=assignment, now=at)
        if story in ("accepted", "escalated"):
            if story == "escalated":
                assignment_escalate(
                    actor=centre, assignment=assignment, reason="群众多次信访，请分管领导督办。", now=_ago(now, 1)
                )
            continue
        assignment_feedback(
            actor=officer,
            assignment=assignment,
            feedback="已到现场核查，正在制定处置方案。",
            now=at + timedelta(days=1),
        )
        if story == "in_progress":
            continue
        assignment_respond(
            actor=officer, assignment=assignment, response="已完成处置，现场恢复正常。", now=at + timedelta(days=3)
        )
        if story == "awaiting_rating":
            continue
        unsatisfied = story == "returned" and index == len(result.assignments) - 1
        assignment_rate(
            actor=supervisor,
            assignment=assignment,
            rating="unsatisfied" if unsatisfied else ("satisfied" if index == 0 else "basically_satisfied"),
            comment="仍有两户未开工，请加快进度。" if unsatisfied else "处置及时。",
            now=at + timedelta(days=4),
        )
        if unsatisfied:
            assignment_accept(actor=officer, assignment=assignment, now=at + timedelta(days=5))


def _id_number(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


# (applicant, body of the ID number, phone, desk, item level, mode wanted, story, days ago)
REQUESTS = [
    ("李桂兰", "41010219840312402", "13803710001", "东关村", ServiceLevel.VILLAGE, HandlingMode.VILLAGE, "received", 0),
    (
        "王建军",
        "41010219850825301",
        "13803710002",
        "东关村",
        ServiceLevel.VILLAGE,
        HandlingMode.VILLAGE,
        "completed",
        6,
    ),
    (
        "张秀英",
        "41010219861105282",
        "13803710003",
        "东关村",
        ServiceLevel.VILLAGE,
        HandlingMode.VILLAGE_TO_TOWNSHIP,
        "forwarded",
        3,
    ),
    (
        "赵德胜",
        "41010219870214171",
        "13803710004",
        "东关村",
        ServiceLevel.VILLAGE,
        HandlingMode.VILLAGE_TO_TOWNSHIP,
        "completed",
        8,
    ),
    (
        "刘海燕",
        "41010219890630524",
        "13803710005",
        "城关镇",
        ServiceLevel.TOWNSHIP,
        HandlingMode.TOWNSHIP,
        "accepted",
        1,
    ),
    (
        "陈国强",
        "41010219910918351",
        "13803710006",
        "城关镇",
        ServiceLevel.TOWNSHIP,
        HandlingMode.TOWNSHIP,
        "rejected",
        4,
    ),
    (
        "杨春花",
        "41010219930101226",
        "13803710007",
        "城关镇",
        ServiceLevel.TOWNSHIP,
        HandlingMode.TOWNSHIP,
        "received",
        20,
    ),
]


def _request(demo: DemoCity, row, now) -> None:
    name, body, phone, desk_name, level, mode, story, days_ago = row
    desk = demo.villages.get(desk_name) or demo.townships[desk_name]
    township = desk if desk.level == UnitLevel.TOWNSHIP else desk.parent
    if ServiceRequest.objects.filter(applicant_name=name, township=township).exists():
        return
    items = ServiceItem.objects.filter(active=True, level=level).order_by("code")
    item = items.filter(handling_mode=mode).first() or items.first()
    if item is None:
        return
    village_clerk, clerk = demo.users["dg_village"], demo.users["cg_clerk"]
    logger = clerk if desk.level == UnitLevel.TOWNSHIP else village_clerk
    start = _ago(now, days_ago, 1)
    request = service_request_log(
        actor=logger, desk=desk, item=item, applicant_name=name, id_number=_id_number(body), phone=phone, now=start
    ).request
    if story == "received":
        return
    if story == "rejected":
        service_request_reject(
            actor=logger, request=request, reason="申请材料不齐，缺少户口簿复印件。", now=start + timedelta(hours=1)
        )
        return
    request = service_request_accept(actor=logger, request=request, now=start + timedelta(hours=1))
    if request.item.handling_mode == HandlingMode.VILLAGE_TO_TOWNSHIP and story in ("forwarded", "completed"):
        request = service_request_forward(actor=logger, request=request, now=start + timedelta(hours=2))
        logger = clerk
    if story == "completed":
        service_request_complete(
            actor=logger, request=request, result="已办结，结果已告知申请人。", now=start + timedelta(days=2)
        )


PRE_TICKED_TITLE = "东关村村道塌陷及排水沟堵塞"


def _pre_ticked(demo: DemoCity, now: datetime) -> None:
    """A case raised as the coordination list says: the item's co-handling departments ticked
    (issue 14), all assigned beside the lead department."""
    township = demo.townships["城关镇"]
    if Case.objects.filter(township=township, title=PRE_TICKED_TITLE).exists():
        return
    county = township.parent
    item = next(
        (
            item
            for item in CoordinationItem.objects.filter(active=True).order_by("code")
            if item_co_departments(item=item, county=county)
        ),
        None,
    )
    if item is None:
        return
    case_raise(
        actor=demo.users["cg_clerk"],
        township=township,
        village=demo.villages.get("东关村"),
        item=item,
        title=PRE_TICKED_TITLE,
        description="村道路面塌陷约两米，排水沟堵塞，雨天积水，需牵头部门和协办部门共同处置。",
        place="东关村村委会东侧",
        priority=CasePriority.NORMAL,
        now=_ago(now, 1, 3),
    )


def load(demo: DemoCity) -> None:
    if not CoordinationItem.objects.filter(active=True).exists():
        return  # the catalogues come from governance's demo; without them there is nothing to raise under
    now = timezone.now()
    chengguan = demo.townships["城关镇"]
    for index, scenario in enumerate(CASES):
        _tell(demo, chengguan, demo.users["cg_clerk"], demo.users["cg_secretary"], scenario, now, index)
    _tell(demo, demo.townships["柳林镇"], demo.users["ll_clerk"], demo.users["ll_secretary"], LIULIN_CASE, now)
    _pre_ticked(demo, now)
    for row in REQUESTS:
        _request(demo, row, now)
    assignments_sweep_overdue(now=now)
    _chase(demo, now)


def _chase(demo: DemoCity, now: datetime) -> None:
    """城关镇's governance office chases (催办) one overdue department, once."""
    from cases.assignments import assignment_chase
    from cases.deadlines import overdue_q
    from cases.models import CaseAssignment, CaseTransition, TransitionAction

    township = demo.townships["城关镇"]
    if CaseTransition.objects.filter(action=TransitionAction.CHASE, case__township=township).exists():
        return
    overdue = CaseAssignment.objects.filter(overdue_q(now), township=township).order_by("pk").first()
    if overdue is not None:
        assignment_chase(
            actor=demo.users["cg_office"],
            assignment=overdue,
            reason="已超期，请于今日下班前到现场处置并反馈进展。",
            now=now,
        )
