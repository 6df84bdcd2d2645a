"""The staffing figures of the home page's picture (issue 13; DESIGN.md M8, M9, M11).

Selectors, one grouped query each, returning plain numbers and unit names (cached as they are by
``governance.dashboard``). ``by`` names the unit a row is grouped under: the township itself
(``host_unit``), its county (``host_unit__parent``) or the sending department.
"""

import math
from datetime import date

from django.db.models import Count, F, Q

from governance.dashboard import local_midnight
from governance.roles import Capability
from governance.scoping import units_for
from staffing import selectors
from staffing.models import (
    AppointmentProposal,
    Assessment,
    AssessmentState,
    CycleState,
    Grade,
    ProposalState,
    Secondment,
)

GROUPINGS = ("host_unit", "host_unit__parent", "sending_unit")


def _grouped(queryset, by: str):
    if by not in GROUPINGS:
        raise ValueError(by)
    return queryset.values(unit_id=F(by), name=F(f"{by}__name")).order_by()


def headcount_by(*, user, by: str = "host_unit") -> list[dict]:
    """Quota and live headcount (own staff + seconded in) per township, or summed per county."""
    rows = selectors.township_staffing_list(user=user).values(
        "pk", "name", "parent_id", "parent__name", "staff_quota", "headcount"
    )
    if by == "host_unit":
        return [
            {"unit_id": row["pk"], "name": row["name"], "quota": row["staff_quota"], "headcount": row["headcount"]}
            for row in rows
        ]
    counties: dict[int, dict] = {}
    for row in rows:
        county = counties.setdefault(
            row["parent_id"], {"unit_id": row["parent_id"], "name": row["parent__name"], "quota": 0, "headcount": 0}
        )
        county["quota"] += row["staff_quota"] or 0
        county["headcount"] += row["headcount"]
    return list(counties.values())


def seconded_by(*, user, by: str) -> list[dict]:
    """Cadres seconded now (派驻, in force), per township, county or sending department."""
    rows = _grouped(Secondment.objects.for_user(user).in_force(), by).annotate(cadres=Count("pk"))
    return sorted(rows, key=lambda row: (-row["cadres"], row["name"]))


def assessment_progress(*, user, by: str = "host_unit") -> list[dict]:
    """Per township (or county) and open cycle: assessments by state, and the excellent grades
    approved against the cycle's cap (DESIGN.md M9; the cap as ``staffing.services.excellent_cap``
    counts it: a share of all the township's assessments in the cycle, rounded down).

    Counts, not records: the county sees how far each township has got while the assessments
    themselves stay the township's until approved (``AssessmentQuerySet.scope_q``)."""
    seen = units_for(user, Capability.SEE_RECORDS).values("pk")
    rows = (
        _grouped(Assessment.objects.filter(host_unit__in=seen, cycle__state=CycleState.OPEN), by)
        .values("unit_id", "name", "cycle", "cycle__name", "cycle__excellent_cap_percent")
        .annotate(
            total=Count("pk"),
            **{state.value: Count("pk", filter=Q(state=state)) for state in AssessmentState},
            excellent=Count("pk", filter=Q(state=AssessmentState.APPROVED, grade=Grade.EXCELLENT)),
        )
    )
    result = []
    for row in rows:
        cap_percent = row.pop("cycle__excellent_cap_percent")
        # The cap is per township; a county's row adds its townships' caps up only approximately,
        # so it is given for townships alone.
        row["cap"] = math.floor(row["total"] * cap_percent / 100) if by == "host_unit" else None
        row["cap_percent"] = cap_percent
        result.append(row)
    return sorted(result, key=lambda row: (row["name"], row["cycle__name"]))


def proposals_by(*, user, year_start: date, by: str = "host_unit") -> list[dict]:
    """Per township: appointment proposals awaiting its consent or veto, and those it vetoed among
    the proposals made this year (任用否决权, DESIGN.md M9)."""
    rows = _grouped(AppointmentProposal.objects.for_user(user), by).annotate(
        awaiting=Count("pk", filter=Q(state=ProposalState.PROPOSED)),
        vetoed=Count("pk", filter=Q(state=ProposalState.VETOED, proposed_at__gte=local_midnight(year_start))),
    )
    return sorted((row for row in rows if row["awaiting"] or row["vetoed"]), key=lambda row: row["name"])
