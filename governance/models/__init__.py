from governance.models.access import RoleAssignment, UnitGroupObjectPermission
from governance.models.posts import LeadershipPost, Portfolio, PortfolioDepartment, PostRank
from governance.models.units import Sector, Unit, UnitKind, UnitLevel

__all__ = [
    "LeadershipPost",
    "Portfolio",
    "PortfolioDepartment",
    "PostRank",
    "RoleAssignment",
    "Sector",
    "Unit",
    "UnitGroupObjectPermission",
    "UnitKind",
    "UnitLevel",
]
