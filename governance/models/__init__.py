from governance.models.access import RoleAssignment, UnitGroupObjectPermission
from governance.models.calendar import CalendarDay, CalendarYear
from governance.models.catalogues import (
    THIRTEEN_SEVEN_TEN,
    CasePriority,
    CoordinationDeadline,
    CoordinationItem,
    DeadlineProfile,
    DeadlineRound,
    EnforcementCategory,
    EnforcementItem,
    HandlingMode,
    ServiceItem,
    ServiceLevel,
)
from governance.models.enforcement_team import EnforcementMember
from governance.models.posts import LeadershipPost, Portfolio, PortfolioDepartment, PostRank
from governance.models.power_list import PowerListVersion, TownshipPower
from governance.models.units import Sector, Unit, UnitKind, UnitLevel
from governance.spreadsheets.models import ImportJob, ImportJobStatus, ImportRefusal, RefusalReason

__all__ = [
    "THIRTEEN_SEVEN_TEN",
    "CalendarDay",
    "CalendarYear",
    "CasePriority",
    "CoordinationDeadline",
    "CoordinationItem",
    "DeadlineProfile",
    "DeadlineRound",
    "EnforcementCategory",
    "EnforcementItem",
    "EnforcementMember",
    "HandlingMode",
    "ImportJob",
    "ImportJobStatus",
    "ImportRefusal",
    "LeadershipPost",
    "Portfolio",
    "PortfolioDepartment",
    "PostRank",
    "PowerListVersion",
    "RefusalReason",
    "RoleAssignment",
    "Sector",
    "ServiceItem",
    "ServiceLevel",
    "TownshipPower",
    "Unit",
    "UnitGroupObjectPermission",
    "UnitKind",
    "UnitLevel",
]
