"""Demo staffing for 清河县: department cadres seconded to 城关镇 and 柳林镇, township staff (石桥乡
over its quota), assessment cycles, nominations and appointment proposals in every state.

Every workflow record is made through ``staffing.services`` by the demo user who would do it,
so the timelines read as they would in use. Idempotent: cadres are found by ID number, and the
workflow part runs once (found by the 2026 cycle's name).
"""

import datetime
import itertools

from simple_history.utils import bulk_create_with_history

from governance.demo import DemoCity
from governance.models import Sector
from staffing import periodic, services
from staffing.idnumbers import Gender, id_number_compose
from staffing.models import (
    AppointmentProposal,
    Assessment,
    AssessmentCycle,
    Cadre,
    CycleScope,
    Education,
    Grade,
    Nomination,
    NominationKind,
    PeriodicGrade,
    PeriodicKind,
    PeriodicRecord,
    PeriodKind,
    PoliticalStatus,
    ProposalAction,
    QuotaPool,
    Secondment,
    SecondmentState,
)
from staffing.ranks import LeadershipLevel, Rank, StaffCategory

# Birthplace codes as real cadres' numbers carry them: several started after most holders were
# born (python-stdnum dates 410102/410105/410122 from 1983, 410184 from 1994, 411702 from
# 2000), and 412723 (商水县) was retired in 2000. People keep the number issued when they
# registered, so all of them are valid (staffing.idnumbers).
REGIONS = ["410102", "410105", "410122", "410184", "411702", "412723"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
# Given names with the gender they are given to: the ID number's 17th digit must agree.
GIVEN = [
    ("建华", Gender.MALE),
    ("秀英", Gender.FEMALE),
    ("志刚", Gender.MALE),
    ("丽娟", Gender.FEMALE),
    ("海涛", Gender.MALE),
    ("晓燕", Gender.FEMALE),
    ("国强", Gender.MALE),
    ("春梅", Gender.FEMALE),
    ("建国", Gender.MALE),
    ("红霞", Gender.FEMALE),
    ("卫东", Gender.MALE),
    ("静", Gender.FEMALE),
    ("磊", Gender.MALE),
    ("芳", Gender.FEMALE),
    ("勇", Gender.MALE),
    ("婷", Gender.FEMALE),
]
# A township's own staff (speech §二(二): about 100): civil servants, 参公 staff and the
# 事业编制 staff of its service centres, cycled in this order; the rank follows the age.
OWN_STAFF_KINDS = [
    (StaffCategory.CIVIL_SERVANT, "civil"),
    (StaffCategory.CIVIL_SERVANT, "civil"),
    (StaffCategory.REFERENCED, "civil"),
    (StaffCategory.INSTITUTION, "management"),
    (StaffCategory.INSTITUTION, "professional"),
]
# (born in or after, rank): today's names only (staffing.ranks), older people higher.
RANK_BY_BIRTH = {
    "civil": [
        (1994, Rank.CLERK_2),
        (1989, Rank.CLERK_1),
        (1982, Rank.PRINCIPAL_4),
        (1975, Rank.PRINCIPAL_3),
        (0, Rank.PRINCIPAL_2),
    ],
    "management": [(1990, Rank.MANAGER_10), (1980, Rank.MANAGER_9), (0, Rank.MANAGER_8)],
    "professional": [(1990, Rank.PRO_JUNIOR), (1972, Rank.PRO_INTERMEDIATE), (0, Rank.PRO_DEPUTY_SENIOR)],
}

# (sector, host township or None, post at the host)
SECONDED = [
    (Sector.AGRICULTURE, "城关镇", "农业服务中心主任"),
    (Sector.AGRICULTURE, "城关镇", "农技推广员"),
    (Sector.AGRICULTURE, "城关镇", "乡村振兴专干"),
    (Sector.AGRICULTURE, "柳林镇", "农业服务中心副主任"),
    (Sector.AGRICULTURE, "柳林镇", "农技推广员"),
    (Sector.AGRICULTURE, None, ""),
    (Sector.HOUSING_CONSTRUCTION, "城关镇", "村镇建设办主任"),
    (Sector.HOUSING_CONSTRUCTION, "城关镇", "规划建设专干"),
    (Sector.HOUSING_CONSTRUCTION, "城关镇", "城建监察员"),
    (Sector.HOUSING_CONSTRUCTION, "柳林镇", "村镇建设办副主任"),
    (Sector.NATURAL_RESOURCES, "城关镇", "自然资源所所长"),
    (Sector.NATURAL_RESOURCES, "柳林镇", "国土专干"),
    (Sector.WATER, "城关镇", "水利站站长"),
    (Sector.WATER, "城关镇", "水利专干"),
    (Sector.WATER, "柳林镇", "河长办专干"),
]
# Secondments made as now (issue 14), one at each hand: (stage reached, host, post at the host).
THREE_HANDS = [
    ("arrived", "城关镇", "乡村振兴工作专班成员"),
    ("approved", "城关镇", "农技服务站驻站干部"),
    ("drafted", "柳林镇", "高标准农田建设联络员"),
]
OWN_STAFF = {"城关镇": 30, "柳林镇": 20, "石桥乡": 101}  # 石桥乡's quota is 100: shown over quota


def _person(number: int) -> tuple[str, datetime.date, str]:
    """The number-th demo person: a name whose given name fits the gender the ID number states,
    born 1965–1998 under one of REGIONS."""
    given, gender = GIVEN[(number // len(SURNAMES) + number) % len(GIVEN)]
    name = SURNAMES[number % len(SURNAMES)] + given
    birth = datetime.date(1965 + number * 7 % 34, number % 12 + 1, number % 28 + 1)
    sequence = number // len(REGIONS) % 500 * 2 + (1 if gender == Gender.MALE else 0)  # odd: a man
    return name, birth, id_number_compose(REGIONS[number % len(REGIONS)], birth, sequence)


def _rank(kind: str, birth: datetime.date) -> str:
    return next(rank for born, rank in RANK_BY_BIRTH[kind] if birth.year >= born)


def _cadre(number: int, home_unit, post: str, category: str, kind: str, level: str = "") -> Cadre:
    name, birth, id_number = _person(number)
    return Cadre(
        name=name,
        id_number=id_number,
        phone=f"139{number:08d}",
        political_status=PoliticalStatus.CPC_MEMBER if number % 3 else PoliticalStatus.NON_PARTY,
        education=Education.BACHELOR if number % 4 else Education.POSTGRADUATE,
        home_unit=home_unit,
        current_post=post,
        staff_category=category,
        rank=_rank(kind, birth),
        leadership_level=level,
    )


def _own_staff(number: int, township, index: int) -> Cadre:
    """The township's two deputies in leadership posts (乡科级副职) first, then its staff."""
    if index < 2:
        category, level = StaffCategory.CIVIL_SERVANT, LeadershipLevel.TOWNSHIP_DEPUTY
        return _cadre(number, township, "党委委员", category, "civil", level)
    category, kind = OWN_STAFF_KINDS[index % len(OWN_STAFF_KINDS)]
    return _cadre(number, township, "乡镇干部", category, kind)


def _load_own_staff(demo: DemoCity, numbers) -> None:
    for township_name, size in OWN_STAFF.items():
        township = demo.townships[township_name]
        batch = [_own_staff(next(numbers), township, index) for index in range(size)]
        known = set(
            Cadre.objects.filter(id_number__in=[c.id_number for c in batch]).values_list("id_number", flat=True)
        )
        batch = [cadre for cadre in batch if cadre.id_number not in known]
        for cadre in batch:
            cadre.full_clean()
        bulk_create_with_history(batch, Cadre, default_user=demo.users["qh_org"])


def _load_secondments(demo: DemoCity, numbers) -> list[Secondment]:
    county = demo.counties[0]
    organiser = demo.users["qh_org"]
    secondments = []
    for sector, host_name, host_post in SECONDED:
        department = demo.departments[(county.code, sector)]
        post = f"{department.name}干部"
        cadre = _cadre(next(numbers), department, post, StaffCategory.CIVIL_SERVANT, "civil")
        cadre = Cadre.objects.filter(id_number=cadre.id_number).first() or services.cadre_save(
            actor=organiser, cadre=cadre
        )
        if host_name is None or cadre.secondments.exists():
            secondments.extend(cadre.secondments.in_force())
            continue
        secondment = Secondment(
            cadre=cadre,
            sending_unit=department,
            host_unit=demo.townships[host_name],
            start_date=datetime.date(2025, 3, 1),
            planned_end=datetime.date(2027, 2, 28),
            post=host_post,
            duties="按照县乡协同事项清单履行职责，服从乡镇统一调度。",
        )
        # Records of secondments served since 2025: in force from their start (as an import records them).
        secondments.append(services.secondment_save(actor=organiser, secondment=secondment, already_arrived=True))
    return secondments


def _county_cycle(demo: DemoCity, name: str, year: int, quarter: int, due: datetime.date) -> AssessmentCycle:
    return services.cycle_open(
        actor=demo.users["qh_org"],
        cycle=AssessmentCycle(
            name=name,
            period_kind=PeriodKind.QUARTER,
            year=year,
            quarter=quarter,
            scope=CycleScope.COUNTY,
            county=demo.counties[0],
            quota_pool=QuotaPool.COUNTY,
            due_date=due,
        ),
    )


def _grade(demo: DemoCity, assessment: Assessment, grade: str, *, approve: bool = True) -> None:
    township = "cg" if assessment.host_unit.name == "城关镇" else "ll"
    clerk, secretary = demo.users[f"{township}_clerk"], demo.users[f"{township}_secretary"]
    services.assessment_draft(actor=clerk, assessment=assessment, grade=grade, score=None, comments="")
    services.assessment_submit(actor=clerk, assessment=assessment)
    if approve:
        services.assessment_approve(actor=secretary, assessment=assessment)


def _load_county_cycles(demo: DemoCity) -> None:
    """Issue 14: a closed county-wide quarter settled to the last assessment (one 不定等次, one review
    decided), and the current county-wide quarter with its quota pooled across the county."""
    organiser = demo.users["qh_org"]
    past = _county_cycle(demo, "2025年第四季度清河县派驻干部考核", 2025, 4, datetime.date(2026, 1, 15))
    rows = list(past.assessments.select_related("host_unit").order_by("host_unit__path", "pk"))
    for index, assessment in enumerate(rows[:-1]):
        _grade(demo, assessment, Grade.EXCELLENT if index == 0 else Grade.COMPETENT)
    services.assessment_settle_ungraded(
        actor=organiser, assessment=rows[-1], reason="该同志本季度借调市防汛指挥部，在岗不足一个月，不定等次。"
    )
    services.cycle_close(actor=organiser, cycle=past)
    reviewed = rows[1]
    services.assessment_review_request(
        actor=demo.users["cg_clerk"],
        assessment=reviewed,
        requested_on=datetime.date.today(),
        grounds="本人本季度牵头完成秋粮收储督导，请求复核等次。",
    )
    services.assessment_review_decide(
        actor=organiser, assessment=reviewed, change=False, reason="经复核，考核程序和等次评定无误，维持原等次。"
    )
    current = _county_cycle(demo, "2026年第四季度清河县派驻干部考核", 2026, 4, datetime.date(2027, 1, 15))
    rows = list(current.assessments.select_related("host_unit").order_by("host_unit__path", "pk"))
    _grade(demo, rows[0], Grade.EXCELLENT)
    _grade(demo, rows[1], Grade.COMPETENT)
    _grade(demo, rows[-1], Grade.EXCELLENT, approve=False)  # awaiting 柳林镇's secretary: the pool's numbers


def _load_three_hands(demo: DemoCity, numbers) -> None:
    """Secondments as they are made now (issue 14): the agriculture bureau drafts, the organisation
    department approves, 城关镇 confirms the arrival (报到); one more awaits approval, one arrival."""
    county = demo.counties[0]
    department = demo.departments[(county.code, Sector.AGRICULTURE)]
    drafter, organiser, clerk = demo.users["qh_agri"], demo.users["qh_org"], demo.users["cg_clerk"]
    today = datetime.date.today()
    for stage, host_name, post in THREE_HANDS:
        cadre = services.cadre_save(
            actor=drafter,
            cadre=_cadre(next(numbers), department, f"{department.name}干部", StaffCategory.CIVIL_SERVANT, "civil"),
        )
        secondment = services.secondment_save(
            actor=drafter,
            secondment=Secondment(
                cadre=cadre,
                sending_unit=department,
                host_unit=demo.townships[host_name],
                start_date=today - datetime.timedelta(days=14),
                planned_end=today + datetime.timedelta(days=365),
                post=post,
                duties="驻村开展农业技术指导，服从乡镇统一调度。",
            ),
        )
        if stage == "drafted":
            continue
        services.secondment_approve(actor=organiser, secondment=secondment)
        if stage == "arrived":
            services.secondment_confirm_arrival(
                actor=clerk, secondment=secondment, arrived_on=today - datetime.timedelta(days=13)
            )


def _load_assessments(demo: DemoCity, by_host: dict) -> None:
    clerk, secretary = demo.users["cg_clerk"], demo.users["cg_secretary"]
    chengguan = demo.townships["城关镇"]

    past = services.cycle_open(
        actor=secretary,
        cycle=AssessmentCycle(name="2025年度城关镇派驻干部考核", period_kind=PeriodKind.YEAR, year=2025),
        host_units=[chengguan],
    )
    for assessment in Assessment.objects.filter(cycle=past):
        services.assessment_draft(
            actor=clerk, assessment=assessment, grade=Grade.COMPETENT, score=85, comments="履职尽责。"
        )
        services.assessment_submit(actor=clerk, assessment=assessment)
        services.assessment_approve(actor=secretary, assessment=assessment)
    services.cycle_close(actor=secretary, cycle=past)

    current = services.cycle_open(
        actor=secretary,
        cycle=AssessmentCycle(name="2026年度城关镇派驻干部考核", period_kind=PeriodKind.YEAR, year=2026),
        host_units=[chengguan],
    )
    rows = list(Assessment.objects.filter(cycle=current).order_by("pk"))
    plan = [
        (Grade.EXCELLENT, 95, "approved"),
        (Grade.COMPETENT, 88, "approved"),
        (Grade.EXCELLENT, 93, "submitted"),
        (Grade.COMPETENT, 82, "submitted"),
        (Grade.BASICALLY_COMPETENT, 70, "returned"),
        (Grade.COMPETENT, 80, "resubmitted"),
        (Grade.COMPETENT, 86, "reopened"),
        (Grade.COMPETENT, 84, "draft"),
        ("", None, "draft"),
    ]
    for assessment, (grade, score, target) in zip(rows, plan, strict=False):
        services.assessment_draft(actor=clerk, assessment=assessment, grade=grade, score=score, comments="")
        if target == "draft":
            continue
        services.assessment_submit(actor=clerk, assessment=assessment)
        if target in ("approved", "reopened"):
            services.assessment_approve(actor=secretary, assessment=assessment)
        if target == "reopened":
            services.assessment_reopen(
                actor=secretary, assessment=assessment, reason="群众反映有新情况，需补充考核材料。"
            )
        if target in ("returned", "resubmitted"):
            services.assessment_return(
                actor=secretary, assessment=assessment, reason="考核评语过于简略，请补充具体实绩。"
            )
        if target == "resubmitted":
            services.assessment_draft(
                actor=clerk, assessment=assessment, grade=grade, score=score, comments="牵头完成汛期水利设施排查。"
            )
            services.assessment_submit(actor=clerk, assessment=assessment)

    liulin = services.cycle_open(
        actor=demo.users["ll_secretary"],
        cycle=AssessmentCycle(name="2026年度柳林镇派驻干部考核", period_kind=PeriodKind.YEAR, year=2026),
        host_units=[demo.townships["柳林镇"]],
    )
    for assessment in Assessment.objects.filter(cycle=liulin)[:2]:
        services.assessment_draft(
            actor=demo.users["ll_clerk"], assessment=assessment, grade=Grade.COMPETENT, score=83, comments=""
        )
        services.assessment_submit(actor=demo.users["ll_clerk"], assessment=assessment)


def _load_nominations(demo: DemoCity, by_host: dict) -> None:
    secretary, organiser = demo.users["cg_secretary"], demo.users["qh_org"]
    first, second, third = by_host["城关镇"][:3]
    services.nomination_create(
        actor=secretary,
        nomination=Nomination(
            secondment=first,
            kind=NominationKind.PROMOTION,
            proposed_post="乡镇副镇长",
            reasons="派驻两年考核优秀，群众认可度高。",
        ),
    )
    accepted = services.nomination_create(
        actor=secretary,
        nomination=Nomination(secondment=second, kind=NominationKind.COMMENDATION, reasons="防汛抢险表现突出。"),
    )
    services.nomination_decide(actor=organiser, nomination=accepted, accept=True, reason="列入年度表彰名单。")
    declined = services.nomination_create(
        actor=secretary,
        nomination=Nomination(
            secondment=third, kind=NominationKind.APPOINTMENT, proposed_post="农业服务中心主任", reasons="熟悉业务。"
        ),
    )
    services.nomination_decide(
        actor=organiser, nomination=declined, accept=False, reason="任职年限不满足要求，明年再议。"
    )


def _load_proposals(demo: DemoCity, by_host: dict) -> None:
    organiser, secretary = demo.users["qh_org"], demo.users["cg_secretary"]
    chengguan = by_host["城关镇"]
    awaiting = chengguan[3]
    services.proposal_create(
        actor=organiser,
        proposal=AppointmentProposal(
            secondment=awaiting,
            action=ProposalAction.PROMOTE,
            new_rank=_next_rank(awaiting.cadre.rank),
            effective_date=datetime.date(2027, 1, 1),
            reason="任职年限和考核结果符合条件，拟晋升职级。",
        ),
    )
    vetoed = next(s for s in chengguan if s.sending_unit.sector == Sector.AGRICULTURE and s != awaiting)
    vetoed_proposal = services.proposal_create(
        actor=demo.users["qh_agri"],
        proposal=AppointmentProposal(
            secondment=vetoed,
            action=ProposalAction.RECALL,
            effective_date=datetime.date(2026, 12, 1),
            reason="局机关业务繁忙，拟召回。",
        ),
    )
    services.proposal_veto(
        actor=secretary, proposal=vetoed_proposal, reason="正值秋冬种关键期，该同志牵头的项目未完成，不同意召回。"
    )
    housing = [s for s in chengguan if s.sending_unit.sector == Sector.HOUSING_CONSTRUCTION]
    consented = services.proposal_create(
        actor=organiser,
        proposal=AppointmentProposal(
            secondment=housing[1],
            action=ProposalAction.APPOINT,
            new_post="村镇建设股股长",
            effective_date=datetime.date(2027, 3, 1),
            reason="工作需要。",
        ),
    )
    services.proposal_consent(actor=secretary, proposal=consented, reason="同意，请做好工作交接。")
    recalled = services.proposal_create(
        actor=demo.users["qh_housing"],
        proposal=AppointmentProposal(
            secondment=housing[-1],
            action=ProposalAction.RECALL,
            effective_date=datetime.date(2026, 11, 1),
            reason="派驻期满前调回局机关。",
        ),
    )
    services.proposal_consent(actor=secretary, proposal=recalled)
    services.proposal_carry_out(actor=demo.users["qh_housing"], proposal=recalled)
    services.proposal_create(
        actor=organiser,
        proposal=AppointmentProposal(
            secondment=by_host["柳林镇"][0],
            action=ProposalAction.REUSE,
            new_post="县农业农村局综合股干部",
            effective_date=datetime.date(2027, 1, 1),
            reason="统筹使用。",
        ),
    )
    ended = next(s for s in by_host["柳林镇"] if s.sending_unit.sector == Sector.WATER)
    services.secondment_end(
        actor=organiser, secondment=ended, end_date=datetime.date(2026, 10, 31), reason="派驻任务完成。"
    )


def _next_rank(rank: str) -> str:
    """The 职级 one step up (公务员职务与职级并行规定): 二级科员 → 一级科员 → 四级主任科员 → …"""
    ladder = [Rank.CLERK_2, Rank.CLERK_1, Rank.PRINCIPAL_4, Rank.PRINCIPAL_3, Rank.PRINCIPAL_2, Rank.PRINCIPAL_1]
    return ladder[min(ladder.index(rank) + 1, len(ladder) - 1)] if rank in ladder else Rank.PRINCIPAL_4


def load(demo: DemoCity) -> None:
    numbers = itertools.count(1)
    secondments = _load_secondments(demo, numbers)
    _load_own_staff(demo, numbers)
    if AssessmentCycle.objects.filter(name="2026年度城关镇派驻干部考核").exists():
        return
    by_host: dict[str, list[Secondment]] = {}
    for secondment in secondments:
        by_host.setdefault(secondment.host_unit.name, []).append(secondment)
    _load_assessments(demo, by_host)
    _load_nominations(demo, by_host)
    _load_proposals(demo, by_host)
    _load_county_cycles(demo)
    _load_three_hands(demo, numbers)
    _load_periodic_records(demo)


PERIODIC_MONTHS = (
    (1, PeriodicGrade.GOOD, 1, "按时完成驻村农技指导，冬春农田水利检查到位。"),
    (2, PeriodicGrade.FAIRLY_GOOD, 2, "春节值班在岗，节后返岗及时；调解纠纷一件。"),
    (3, PeriodicGrade.GOOD, 0, "春耕备耕服务主动，协同处置事项均按时反馈。"),
)


def _load_periodic_records(demo: DemoCity) -> None:
    """城关镇's 平时考核 of its seconded cadres for January to March 2026: January and February
    approved by the secretary, March written and submitted, awaiting approval (issue 14 item 8)."""
    clerk, secretary = demo.users["cg_clerk"], demo.users["cg_secretary"]
    seconded = Secondment.objects.filter(
        host_unit=demo.townships["城关镇"], state=SecondmentState.IN_FORCE, arrived_on__lte=datetime.date(2026, 1, 1)
    ).order_by("pk")
    for secondment in seconded:
        for month, grade, leave, comment in PERIODIC_MONTHS:
            record = PeriodicRecord(
                secondment=secondment, year=2026, period_kind=PeriodicKind.MONTH, period=month, grade=grade
            )
            record.leave_days, record.comments = leave, comment
            record.attendance_days = periodic.served_workdays(record) - leave
            periodic.periodic_record_save(actor=clerk, record=record)
            periodic.periodic_record_submit(actor=clerk, record=record)
            if month < 3:
                periodic.periodic_record_approve(actor=secretary, record=record)
