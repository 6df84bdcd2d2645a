"""The copies of the unit tree that the case tables keep for their lists (issue 12): a case's,
assignment's and service request's county is its township's parent. Set when the row is made
(raising, assigning, logging); followed here when a township moves to another county. On
PostgreSQL composite foreign keys check the copies at every commit (migration cases 0003)."""

from cases.models import Case, CaseAssignment, ServiceRequest
from governance.models import Unit, UnitLevel


def township_moved(unit: Unit) -> None:
    if unit.level != UnitLevel.TOWNSHIP:
        return
    for model in (Case, CaseAssignment, ServiceRequest):
        model.objects.filter(township=unit).update(county_id=unit.parent_id)
