"""Staff categories, ranks and leadership levels of a cadre: the one place the lists live.

The cadre model (choices and a database constraint), its form, the cadre import (accepted
words), the template's drop-downs and instructions, and appointment proposals all read them
from here. Changing a list is changing this module, then ``makemigrations`` (the choices and
the constraint follow).

Sources (as a county's organisation department applies them):

- 公务员 (civil servants), 综合管理类 职级: 《中华人民共和国公务员法》(2018 revision, in force
  2019-06-01) art. 19, and 《公务员职务与职级并行规定》(中共中央办公厅, 2019-03, in force
  2019-06-01): 一级、二级巡视员，一级至四级调研员，一级至四级主任科员，一级、二级科员.
- 领导职务层次 (leadership level, held beside the 职级): 公务员法 art. 18. A county and its
  townships use 乡科级副职、乡科级正职、县处级副职、县处级正职 (厅局级 and above are not a county's).
- 参照公务员法管理 (staff of units managed by reference to the Civil Servant Law): the same 职级
  and levels (the 2019 规定's closing provisions apply it to them by reference).
- Before 2019 the same records carried 办事员、科员、副科级、正科级、副处级. These names stay valid
  for records made before then and are never mapped to today's names: 科员 is neither 一级科员
  nor 二级科员 until the cadre's rank was determined again under the 2019 rules.
- 事业编制 (public-institution staff): 《事业单位岗位设置管理试行办法》(国人部发〔2006〕70号) and
  its 实施意见 (国人部发〔2006〕87号): 管理岗位 职员 grades 一级 to 十级 (a county's go from 三级职员
  down to 十级职员; 七级/八级 are 乡科级 正/副, 九级 科员, 十级 办事员); 专业技术岗位 by level
  group: 正高级 (一至四级), 副高级 (五至七级), 中级 (八至十级), 初级 (十一至十三级); 工勤技能岗位
  技术工一级至五级 (高级技师、技师、高级工、中级工、初级工) and 普通工.
- 其他 (other staff, e.g. 机关工勤人员 or contract staff): 工勤技能 grades, or 无 (no rank).
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StaffCategory(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    REFERENCED = "referenced", _("Managed under the Civil Servant Law by reference")
    INSTITUTION = "institution", _("Public-institution staff")
    OTHER = "other", _("Other")


class Rank(models.TextChoices):
    # civil servants' 职级 since 2019 (公务员法 art. 19; 公务员职务与职级并行规定)
    INSPECTOR_1 = "inspector_1", _("Level-1 inspector")
    INSPECTOR_2 = "inspector_2", _("Level-2 inspector")
    RESEARCHER_1 = "researcher_1", _("Level-1 researcher")
    RESEARCHER_2 = "researcher_2", _("Level-2 researcher")
    RESEARCHER_3 = "researcher_3", _("Level-3 researcher")
    RESEARCHER_4 = "researcher_4", _("Level-4 researcher")
    PRINCIPAL_1 = "principal_1", _("Level-1 principal staff member")
    PRINCIPAL_2 = "principal_2", _("Level-2 principal staff member")
    PRINCIPAL_3 = "principal_3", _("Level-3 principal staff member")
    PRINCIPAL_4 = "principal_4", _("Level-4 principal staff member")
    CLERK_1 = "clerk_1", _("Level-1 section member")
    CLERK_2 = "clerk_2", _("Level-2 section member")
    # names used before 2019; the stored codes are those of the first release
    STAFF = "staff", _("Staff member")
    SECTION_MEMBER = "section_member", _("Section member")
    DEPUTY_SECTION = "deputy_section", _("Deputy section level")
    SECTION = "section", _("Section level")
    DEPUTY_DIVISION = "deputy_division", _("Deputy division level")
    # public institutions: management posts (职员)
    MANAGER_3 = "manager_3", _("Level-3 management staff")
    MANAGER_4 = "manager_4", _("Level-4 management staff")
    MANAGER_5 = "manager_5", _("Level-5 management staff")
    MANAGER_6 = "manager_6", _("Level-6 management staff")
    MANAGER_7 = "manager_7", _("Level-7 management staff")
    MANAGER_8 = "manager_8", _("Level-8 management staff")
    MANAGER_9 = "manager_9", _("Level-9 management staff")
    MANAGER_10 = "manager_10", _("Level-10 management staff")
    # public institutions: professional and technical posts, by level group
    PRO_SENIOR = "pro_senior", _("Professional, senior")
    PRO_DEPUTY_SENIOR = "pro_deputy_senior", _("Professional, deputy senior")
    PRO_INTERMEDIATE = "pro_intermediate", _("Professional, intermediate")
    PRO_JUNIOR = "pro_junior", _("Professional, junior")
    # skilled-worker posts (工勤技能)
    WORKER_1 = "worker_1", _("Skilled worker, level 1")
    WORKER_2 = "worker_2", _("Skilled worker, level 2")
    WORKER_3 = "worker_3", _("Skilled worker, level 3")
    WORKER_4 = "worker_4", _("Skilled worker, level 4")
    WORKER_5 = "worker_5", _("Skilled worker, level 5")
    GENERAL_WORKER = "general_worker", _("General worker")
    NONE = "none", _("No rank")


class LeadershipLevel(models.TextChoices):
    TOWNSHIP_DEPUTY = "township_deputy", _("Township/section level, deputy")
    TOWNSHIP_HEAD = "township_head", _("Township/section level, head")
    COUNTY_DEPUTY = "county_deputy", _("County/division level, deputy")
    COUNTY_HEAD = "county_head", _("County/division level, head")


@dataclass(frozen=True)
class RankGroup:
    title: Any  # a lazy translation: the optgroup of the form's select
    sheet_title: str  # the same in the spreadsheet template's instructions (fixed Chinese)
    ranks: tuple[str, ...]
    categories: frozenset
    before_2019: bool = False  # names kept for older records only


_CIVIL = frozenset({StaffCategory.CIVIL_SERVANT, StaffCategory.REFERENCED})
RANK_GROUPS = (
    RankGroup(
        _("Civil-service ranks (since 2019)"),
        "职级（2019年6月起）",
        (
            Rank.INSPECTOR_1,
            Rank.INSPECTOR_2,
            Rank.RESEARCHER_1,
            Rank.RESEARCHER_2,
            Rank.RESEARCHER_3,
            Rank.RESEARCHER_4,
            Rank.PRINCIPAL_1,
            Rank.PRINCIPAL_2,
            Rank.PRINCIPAL_3,
            Rank.PRINCIPAL_4,
            Rank.CLERK_1,
            Rank.CLERK_2,
        ),
        _CIVIL,
    ),
    RankGroup(
        _("Names used before 2019 (older records only)"),
        "2019年以前的名称（仅用于当时的记录）",
        (Rank.STAFF, Rank.SECTION_MEMBER, Rank.DEPUTY_SECTION, Rank.SECTION, Rank.DEPUTY_DIVISION),
        _CIVIL,
        before_2019=True,
    ),
    RankGroup(
        _("Public institutions: management posts"),
        "管理岗位",
        (
            Rank.MANAGER_3,
            Rank.MANAGER_4,
            Rank.MANAGER_5,
            Rank.MANAGER_6,
            Rank.MANAGER_7,
            Rank.MANAGER_8,
            Rank.MANAGER_9,
            Rank.MANAGER_10,
        ),
        frozenset({StaffCategory.INSTITUTION}),
    ),
    RankGroup(
        _("Public institutions: professional and technical posts"),
        "专业技术岗位",
        (Rank.PRO_SENIOR, Rank.PRO_DEPUTY_SENIOR, Rank.PRO_INTERMEDIATE, Rank.PRO_JUNIOR),
        frozenset({StaffCategory.INSTITUTION}),
    ),
    RankGroup(
        _("Skilled-worker posts"),
        "工勤技能岗位",
        (Rank.WORKER_1, Rank.WORKER_2, Rank.WORKER_3, Rank.WORKER_4, Rank.WORKER_5, Rank.GENERAL_WORKER),
        frozenset({StaffCategory.INSTITUTION, StaffCategory.OTHER}),
    ),
    RankGroup(_("Without a rank"), "无职级", (Rank.NONE,), frozenset({StaffCategory.OTHER})),
)

# Who may hold a leadership level (领导职务层次): it belongs to the civil-service system. An
# institution's leaders are told by their management grade.
LEADERSHIP_CATEGORIES = _CIVIL

# The words a spreadsheet may hold. The first word of each is the official name, written by
# exports, templates and drop-downs; the others are common ways of writing the same thing (a
# synonym, never an older name for a newer rank). Fixed Chinese: a file format, not UI text.
CATEGORY_WORDS = {
    StaffCategory.CIVIL_SERVANT: ("公务员", "行政编制"),
    StaffCategory.REFERENCED: ("参照公务员法管理", "参公", "参公管理", "参照公务员法管理人员"),
    StaffCategory.INSTITUTION: ("事业编制", "事业单位工作人员", "事业人员"),
    StaffCategory.OTHER: ("其他", "其它"),
}
_NUMERALS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
RANK_WORDS = {
    Rank.INSPECTOR_1: ("一级巡视员",),
    Rank.INSPECTOR_2: ("二级巡视员",),
    Rank.RESEARCHER_1: ("一级调研员",),
    Rank.RESEARCHER_2: ("二级调研员",),
    Rank.RESEARCHER_3: ("三级调研员",),
    Rank.RESEARCHER_4: ("四级调研员",),
    Rank.PRINCIPAL_1: ("一级主任科员",),
    Rank.PRINCIPAL_2: ("二级主任科员",),
    Rank.PRINCIPAL_3: ("三级主任科员",),
    Rank.PRINCIPAL_4: ("四级主任科员",),
    Rank.CLERK_1: ("一级科员",),
    Rank.CLERK_2: ("二级科员",),
    Rank.STAFF: ("办事员",),
    Rank.SECTION_MEMBER: ("科员",),
    Rank.DEPUTY_SECTION: ("副科级", "副科"),
    Rank.SECTION: ("正科级", "正科"),
    Rank.DEPUTY_DIVISION: ("副处级", "副处"),
    **{
        getattr(Rank, f"MANAGER_{level}"): (
            f"{_NUMERALS[level]}级职员",
            f"管理岗位{_NUMERALS[level]}级",
            f"管理{_NUMERALS[level]}级",
        )
        for level in range(3, 11)
    },
    Rank.PRO_SENIOR: ("正高级", "正高", "专业技术正高级"),
    Rank.PRO_DEPUTY_SENIOR: ("副高级", "副高", "专业技术副高级"),
    Rank.PRO_INTERMEDIATE: ("中级", "专业技术中级"),
    Rank.PRO_JUNIOR: ("初级", "专业技术初级"),
    Rank.WORKER_1: ("技术工一级", "高级技师"),
    Rank.WORKER_2: ("技术工二级", "技师"),
    Rank.WORKER_3: ("技术工三级", "高级工"),
    Rank.WORKER_4: ("技术工四级", "中级工"),
    Rank.WORKER_5: ("技术工五级", "初级工"),
    Rank.GENERAL_WORKER: ("普通工",),
    Rank.NONE: ("无", "无职级"),
}
LEADERSHIP_WORDS = {
    LeadershipLevel.TOWNSHIP_DEPUTY: ("乡科级副职",),
    LeadershipLevel.TOWNSHIP_HEAD: ("乡科级正职",),
    LeadershipLevel.COUNTY_DEPUTY: ("县处级副职",),
    LeadershipLevel.COUNTY_HEAD: ("县处级正职",),
}


def rank_rule() -> str:
    """What the rank column of a sheet may hold, by staff category, in the accepted words."""
    parts = []
    for category in StaffCategory:
        groups = [group for group in RANK_GROUPS if category in group.categories]
        listed = "；".join(
            f"{group.sheet_title}：{'、'.join(RANK_WORDS[rank][0] for rank in group.ranks)}" for group in groups
        )
        parts.append(f"【{CATEGORY_WORDS[category][0]}】{listed}")
    return "须与人员类别相符。" + "。".join(parts) + "。"


def rank_choices() -> list:
    """The ranks grouped as the form's select shows them (an optgroup per list)."""
    return [(group.title, [(rank, Rank(rank).label) for rank in group.ranks]) for group in RANK_GROUPS]


def ranks_of(category: str) -> tuple[str, ...]:
    return tuple(rank for group in RANK_GROUPS if category in group.categories for rank in group.ranks)


_FITS = frozenset((rank, category) for group in RANK_GROUPS for rank in group.ranks for category in group.categories)


def rank_fits(rank: str, category: str) -> bool:
    return (rank, category) in _FITS  # asked per row by a bulk import


def rank_before_2019(rank: str) -> bool:
    return any(rank in group.ranks for group in RANK_GROUPS if group.before_2019)


def rank_fits_category_condition(category_field: str = "staff_category", rank_field: str = "rank") -> Q:
    """The database's copy of ``rank_fits``, for a CheckConstraint."""
    condition = Q()
    for category in StaffCategory:
        condition |= Q(**{category_field: category, f"{rank_field}__in": list(ranks_of(category))})
    return condition


def leadership_fits_category_condition() -> Q:
    return Q(leadership_level="") | Q(staff_category__in=sorted(LEADERSHIP_CATEGORIES))
