"""Demo people beyond secondment for 清河县 (issue 15): two-committee members for its villages (王楼村
without a 主任), three training sessions (city, county first-appointment, township on-site) with
attendance, postings of other kinds, the townships' offices with their staff and one transfer in (划转),
and leadership teams (石桥乡's 纪委书记 vacant).

Made through the services by the county organisation officer; idempotent (each record is found by its
natural key first). People are born before 1983, with valid ID numbers (staffing.idnumbers).
"""

import datetime

from simple_history.utils import bulk_create_with_history

from governance.demo import DemoCity
from governance.models import Sector
from staffing import services as staffing_services
from staffing.demo import GIVEN, REGIONS, SURNAMES
from staffing.idnumbers import Gender, id_number_compose
from staffing.models import Cadre, Education, PoliticalStatus, Secondment
from staffing.people.leadership_services import team_position_save
from staffing.people.leadership_teams import TeamPosition, TeamPost
from staffing.people.posting_services import posting_save
from staffing.people.postings import Destination, Posting, PostingKind
from staffing.people.township_staff import (
    Establishment,
    OfficeKind,
    OfficeStaff,
    StaffSource,
    StaffTransfer,
    TownshipOffice,
)
from staffing.people.township_staff_services import office_save, staff_transfer_in
from staffing.people.training import TrainingAttendance, TrainingForm, TrainingLevel, TrainingSession
from staffing.people.training_services import attendance_save, training_session_save
from staffing.people.village_committees import CommitteePost, VillageMember
from staffing.people.village_services import village_member_save
from staffing.ranks import Rank, StaffCategory

# village: the posts its two committees hold (王楼村 has no 主任: the list of villages lacking a head shows it)
COMMITTEES = {
    "东关村": [CommitteePost.BOTH, CommitteePost.DEPUTY_SECRETARY, CommitteePost.COMMITTEE_MEMBER],
    "西关村": [CommitteePost.SECRETARY, CommitteePost.DIRECTOR, CommitteePost.BRANCH_MEMBER],
    "南街社区": [CommitteePost.BOTH, CommitteePost.COMMITTEE_MEMBER],
    "柳林村": [CommitteePost.SECRETARY, CommitteePost.DIRECTOR, CommitteePost.COMMITTEE_MEMBER],
    "杨庄村": [CommitteePost.BOTH, CommitteePost.BRANCH_MEMBER],
    "北岗村": [CommitteePost.SECRETARY, CommitteePost.DIRECTOR],
    "石桥村": [CommitteePost.BOTH, CommitteePost.COMMITTEE_MEMBER],
    "王楼村": [CommitteePost.SECRETARY, CommitteePost.BRANCH_MEMBER],
}
# (kind, name, administrative posts, institution posts)
OFFICES = [
    (OfficeKind.PARTY_GOVERNMENT, "党政综合办公室", 8, 2),
    (OfficeKind.SOCIAL_GOVERNANCE, "社会治理室", 4, 3),
    (OfficeKind.ENFORCEMENT, "综合行政执法队", 2, 10),
    (OfficeKind.SERVICE_CENTRE, "便民服务中心", 1, 8),
]
TEAM = [
    (TeamPost.PARTY_SECRETARY, 1),
    (TeamPost.HEAD, 1),
    (TeamPost.DEPUTY_SECRETARY, 1),
    (TeamPost.CONGRESS_CHAIR, 1),
    (TeamPost.DEPUTY_HEAD, 1),
    (TeamPost.DEPUTY_HEAD, 2),
    (TeamPost.DISCIPLINE_SECRETARY, 1),
    (TeamPost.ORGANISATION_MEMBER, 1),
    (TeamPost.PUBLICITY_MEMBER, 1),
    (TeamPost.ARMED_FORCES_HEAD, 1),
]
VACANT = ("石桥乡", TeamPost.DISCIPLINE_SECRETARY)
ESTABLISHMENT_OF = {
    StaffCategory.CIVIL_SERVANT: Establishment.ADMINISTRATIVE,
    StaffCategory.REFERENCED: Establishment.INSTITUTION,
    StaffCategory.INSTITUTION: Establishment.INSTITUTION,
    StaffCategory.OTHER: Establishment.NONE,
}
YEAR = datetime.date.today().year


def _villager(number: int) -> tuple[str, datetime.date, str]:
    """A village member born 1962–1982 (sequence numbers from 600: apart from the cadres')."""
    given, gender = GIVEN[(number * 5 + 3) % len(GIVEN)]
    birth = datetime.date(1962 + number * 3 % 21, number % 12 + 1, number % 27 + 1)
    sequence = 600 + number * 2 + (1 if gender == Gender.MALE else 0)
    return (
        SURNAMES[(number * 7) % len(SURNAMES)] + given,
        birth,
        id_number_compose(REGIONS[number % 6], birth, sequence),
    )


def _load_village_members(demo: DemoCity) -> None:
    organiser = demo.users["qh_org"]
    number = 0
    for village_name, posts in COMMITTEES.items():
        for post in posts:
            number += 1
            name, _birth, id_number = _villager(number)
            if VillageMember.objects.filter(id_number=id_number).exists():
                continue
            member = VillageMember(
                name=name,
                id_number=id_number,
                phone=f"137{number:08d}",
                political_status=PoliticalStatus.CPC_MEMBER if post != CommitteePost.COMMITTEE_MEMBER else "non_party",
                education=Education.SECONDARY if number % 3 else Education.JUNIOR_COLLEGE,
                village=demo.villages[village_name],
                post=post,
                term_start=datetime.date(2021, 3, 1),
                term_end=datetime.date(2026, 2, 28) if number % 4 else None,
            )
            village_member_save(actor=organiser, member=member)


def _own_staff(township) -> list[Cadre]:
    return list(Cadre.objects.filter(home_unit=township).order_by("pk"))


def _load_teams(demo: DemoCity) -> None:
    organiser = demo.users["qh_org"]
    for township_name in ("城关镇", "柳林镇", "石桥乡"):
        township = demo.townships[township_name]
        staff = iter(_own_staff(township))
        for post, seat in TEAM:
            if TeamPosition.objects.filter(township=township, post=post, seat=seat).exists():
                continue
            holder = None if (township_name, post) == VACANT else next(staff)
            position = TeamPosition(
                township=township, post=post, seat=seat, holder=holder, since=datetime.date(2021, 9, 1)
            )
            team_position_save(actor=organiser, position=position)


def _load_offices(demo: DemoCity) -> None:
    """Each township's offices; its own staff placed by turns in them, 城关镇's seconded cadres too."""
    organiser = demo.users["qh_org"]
    placed = set(OfficeStaff.objects.values_list("cadre_id", flat=True))
    staff = []
    for township_name in ("城关镇", "柳林镇", "石桥乡"):
        township = demo.townships[township_name]
        offices = []
        for kind, name, administrative, institution in OFFICES:
            office = TownshipOffice.objects.filter(township=township, name=name).first() or office_save(
                actor=organiser,
                office=TownshipOffice(
                    township=township,
                    kind=kind,
                    name=name,
                    administrative_quota=administrative,
                    institution_quota=institution,
                ),
            )
            offices.append(office)
        for index, cadre in enumerate(_own_staff(township)):
            if cadre.pk not in placed:
                establishment = ESTABLISHMENT_OF[cadre.staff_category]
                staff.append(
                    OfficeStaff(
                        office=offices[index % len(offices)],
                        cadre=cadre,
                        establishment=establishment,
                        since=datetime.date(2022, 1, 1),
                    )
                )
        seconded = Secondment.objects.in_force().filter(host_unit=township).select_related("cadre").order_by("pk")
        for index, secondment in enumerate(seconded):
            if secondment.cadre_id not in placed:
                staff.append(
                    OfficeStaff(
                        office=offices[2 + index % 2],
                        cadre=secondment.cadre,
                        establishment=Establishment.ADMINISTRATIVE,
                        source=StaffSource.SECONDED,
                        source_unit=secondment.sending_unit,
                        since=secondment.arrived_on,
                    )
                )
    for row in staff:
        row.full_clean()
    bulk_create_with_history(staff, OfficeStaff, default_user=organiser)


def _load_transfer(demo: DemoCity) -> None:
    """A water-station worker without an establishment post moved into 柳林镇's enforcement team (划转)."""
    organiser = demo.users["qh_org"]
    county = demo.counties[0]
    water = demo.departments[(county.code, Sector.WATER)]
    birth = datetime.date(1978, 5, 14)
    id_number = id_number_compose(REGIONS[0], birth, 901)
    if StaffTransfer.objects.filter(cadre__id_number=id_number).exists():
        return
    cadre = Cadre.objects.filter(id_number=id_number).first() or staffing_services.cadre_save(
        actor=organiser,
        cadre=Cadre(
            name="周海涛",
            id_number=id_number,
            phone="13700009001",
            political_status=PoliticalStatus.CPC_MEMBER,
            education=Education.JUNIOR_COLLEGE,
            home_unit=water,
            current_post="水利站河道巡查员",
            staff_category=StaffCategory.OTHER,
            rank=Rank.NONE,
        ),
    )
    township = demo.townships["柳林镇"]
    staff_transfer_in(
        actor=organiser,
        transfer=StaffTransfer(
            cadre=cadre,
            from_unit=water,
            township=township,
            office=TownshipOffice.objects.get(township=township, kind=OfficeKind.ENFORCEMENT),
            establishment=Establishment.NONE,
            transferred_on=datetime.date(YEAR, 4, 1),
            document=f"清编办〔{YEAR}〕7号",
            reason="水利站职能弱化，河道巡查人员充实到乡镇综合行政执法队，实现人事匹配。",
        ),
    )


def _session(demo: DemoCity, name, level, organiser, form, start, days, place, topic) -> TrainingSession:
    return TrainingSession.objects.filter(organiser=organiser, name=name).first() or training_session_save(
        actor=demo.users["city_admin"] if level == TrainingLevel.CITY else demo.users["qh_org"],
        session=TrainingSession(
            name=name,
            level=level,
            organiser=organiser,
            topic=topic,
            form=form,
            start_date=start,
            end_date=start + datetime.timedelta(days=days),
            place=place,
        ),
    )


def _attend(demo: DemoCity, session: TrainingSession, people, score=None) -> None:
    """Each person's attendance, once: every fifth person absent (never scored)."""
    for index, person in enumerate(people):
        field = "cadre" if isinstance(person, Cadre) else "village_member"
        if TrainingAttendance.objects.filter(session=session, **{field: person}).exists():
            continue
        attended = index % 5 != 4
        attendance = TrainingAttendance(
            session=session,
            attended=attended,
            score=score + index % 7 if attended and score else None,
            **{field: person},
        )
        attendance_save(actor=demo.users["qh_org"], attendance=attendance)


def _load_training(demo: DemoCity) -> None:
    county = demo.counties[0]
    organisation = demo.departments[(county.code, Sector.ORGANISATION)]
    city = _session(
        demo,
        f"{YEAR}年全市乡镇党委书记专题培训班",
        TrainingLevel.CITY,
        demo.city,
        TrainingForm.LECTURE,
        datetime.date(YEAR, 3, 16),
        2,
        "豫中市委党校",
        "党建引领基层治理与“吹哨报到”机制",
    )
    first = _session(
        demo,
        f"{YEAR}年清河县村“两委”干部初任培训班",
        TrainingLevel.COUNTY,
        organisation,
        TrainingForm.FIRST_APPOINTMENT,
        datetime.date(YEAR, 4, 8),
        3,
        "清河县委党校",
        "村“两委”职责、村务监督与便民服务代办",
    )
    on_site = _session(
        demo,
        f"{YEAR}年城关镇网格化治理现场观摩会",
        TrainingLevel.TOWNSHIP,
        demo.townships["城关镇"],
        TrainingForm.ON_SITE,
        datetime.date(YEAR, 5, 20),
        0,
        "城关镇东关村党群服务中心",
        "网格员巡查与矛盾纠纷就地化解",
    )
    secretaries = [
        p.holder for p in TeamPosition.objects.filter(post=TeamPost.PARTY_SECRETARY).select_related("holder")
    ]
    _attend(demo, city, [holder for holder in secretaries if holder], score=85)
    members = list(VillageMember.objects.filter(village__parent__name__in=["城关镇", "柳林镇"]).order_by("pk"))
    _attend(demo, first, members, score=80)
    _attend(demo, on_site, _own_staff(demo.townships["城关镇"])[2:14])


def _load_postings(demo: DemoCity) -> None:
    """Two-way exchange and selection (speech §二): a 城关镇 cadre to the agriculture bureau, a 柳林镇
    cadre on a temporary post at the natural resources bureau, an agriculture bureau cadre on one at
    石桥乡, and a 石桥乡 cadre selected to a project front line."""
    county = demo.counties[0]
    organiser = demo.users["qh_org"]
    chengguan, liulin = _own_staff(demo.townships["城关镇"]), _own_staff(demo.townships["柳林镇"])
    shiqiao = demo.townships["石桥乡"]
    agriculture = demo.departments[(county.code, Sector.AGRICULTURE)]
    not_seconded = Cadre.objects.filter(home_unit=agriculture, secondments__isnull=True).order_by("pk")[:1]
    unit = Destination.UNIT
    planned = [
        (chengguan[20], PostingKind.EXCHANGE, unit, agriculture, "", "乡村振兴股副股长"),
        (
            liulin[15],
            PostingKind.ATTACHED,
            unit,
            demo.departments[(county.code, Sector.NATURAL_RESOURCES)],
            "",
            "挂职耕地保护股副股长",
        ),
        *((cadre, PostingKind.ATTACHED, unit, shiqiao, "", "挂职副乡长") for cadre in not_seconded),
        (
            _own_staff(shiqiao)[30],
            PostingKind.SELECTED,
            Destination.PROJECT,
            None,
            "清河县高标准农田建设项目指挥部",
            "工程协调组成员",
        ),
    ]
    for cadre, kind, destination, host, front_line, post in planned:
        if Posting.objects.filter(cadre=cadre).exists():
            continue
        posting = Posting(
            cadre=cadre,
            kind=kind,
            from_unit=cadre.home_unit,
            destination=destination,
            to_unit=host,
            front_line=front_line,
            post=post,
            start_date=datetime.date(YEAR, 3, 1),
            planned_end=datetime.date(YEAR + 1, 2, 28),
        )
        posting_save(actor=organiser, posting=posting)


def load(demo: DemoCity) -> None:
    _load_village_members(demo)
    _load_teams(demo)
    _load_offices(demo)
    _load_transfer(demo)
    _load_training(demo)
    _load_postings(demo)
