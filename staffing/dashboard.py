"""The staffing side of each role's picture on the home page (issue 13): headcount against
quota and assessment progress for a township; seconded cadres, assessment progress, the
excellent share against its cap and appointment decisions for the county organisation
department; the same by county for the city."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.dashboard import Cell, Panel, figures_cached, local_midnight, percent, scope_key
from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import sees_everything, unit_grants
from staffing import figures
from staffing.models import AssessmentState

STATES = (AssessmentState.DRAFT, AssessmentState.SUBMITTED, AssessmentState.RETURNED, AssessmentState.APPROVED)


def _list(model: str, **query) -> str:
    url = reverse(f"admin:staffing_{model}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def _at_level(user, capability: str, level: str) -> bool:
    return any(granted == level for _unit, granted in unit_grants(user, capability))


def staffing_panels(request) -> list[Panel]:
    user = request.user
    if sees_everything(user):
        return [
            _headcount_panel(user, by="host_unit__parent", order=50),
            _seconded_panel(user, by="host_unit__parent", order=55),
            _progress_panel(user, by="host_unit__parent", order=60),
        ]
    panels = []
    if _at_level(user, Capability.DRAFT_ASSESSMENT, UnitLevel.TOWNSHIP):
        panels += [_headcount_panel(user, by="host_unit", order=40), _progress_panel(user, by="host_unit", order=50)]
    if _at_level(user, Capability.PROPOSE_APPOINTMENT, UnitLevel.COUNTY):
        panels += [
            _seconded_panel(user, by="host_unit", order=10),
            _seconded_panel(user, by="sending_unit", order=15),
            _progress_panel(user, by="host_unit", order=20),
            _excellent_panel(user),
            _proposals_panel(user),
        ]
    unique = {panel.key: panel for panel in panels}
    return list(unique.values())


def _unit_column(by: str) -> str:
    return {"host_unit": _("township"), "host_unit__parent": _("county"), "sending_unit": _("sending department")}[by]


def _headcount_panel(user, *, by: str, order: int) -> Panel:
    """DESIGN.md M8 ("减县增乡"): the live headcount beside the quota; one township is a gauge."""
    rows, at = figures_cached(
        f"headcount-{by}", scope_key(user, Capability.SEE_RECORDS), lambda: figures.headcount_by(user=user, by=by)
    )

    def url(row) -> str:
        if by == "host_unit":
            return reverse("admin:staffing_townshipstaffing_change", args=[row["unit_id"]])
        return _list("townshipstaffing", parent__id__exact=row["unit_id"])

    return Panel(
        key="headcount",
        title=_("Headcount against the staff quota"),
        columns=(_unit_column(by), _("staff quota"), _("headcount"), _("vacancies (negative: over quota)")),
        rows=tuple(
            (
                Cell(row["name"], url(row)),
                Cell(row["quota"]),
                Cell(row["headcount"]),
                Cell(None if row["quota"] is None else row["quota"] - row["headcount"]),
            )
            for row in rows
        ),
        order=order,
        chart="gauge" if len(rows) == 1 and rows[0]["quota"] else "bar",
        chart_columns=(1, 2),
        computed_at=at,
        note=_("Own staff not seconded out, plus cadres seconded in, now."),
    )


def _seconded_panel(user, *, by: str, order: int) -> Panel:
    rows, at = figures_cached(
        f"seconded-{by}", scope_key(user, Capability.SEE_RECORDS), lambda: figures.seconded_by(user=user, by=by)
    )
    lookup = {"host_unit": "host_unit__id__exact", "sending_unit": "sending_unit__id__exact"}.get(by)
    title = {
        "host_unit": _("Seconded cadres by township"),
        "host_unit__parent": _("Seconded cadres by county"),
        "sending_unit": _("Seconded cadres by sending department"),
    }[by]

    def url(row) -> str:
        # The secondment list filters by township, not by county: a county's row opens them all.
        query = {lookup: row["unit_id"]} if lookup else {}
        return _list("secondment", in_force="yes", **query)

    return Panel(
        key=f"seconded-by-{by}",
        title=title,
        columns=(_unit_column(by), _("cadres seconded now")),
        rows=tuple((Cell(row["name"], url(row)), Cell(row["cadres"], url(row))) for row in rows),
        order=order,
        chart="bar",
        computed_at=at,
    )


def _progress(user, by: str):
    return figures_cached(
        f"assessments-{by}",
        scope_key(user, Capability.SEE_RECORDS),
        lambda: figures.assessment_progress(user=user, by=by),
    )


def _row_label(row, rows) -> str:
    """A township's name, with the cycle's when more than one cycle is open."""
    if len({r["cycle"] for r in rows}) > 1:
        return f"{row['name']} · {row['cycle__name']}"
    return row["name"]


def _progress_panel(user, *, by: str, order: int) -> Panel:
    rows, at = _progress(user, by)
    # The county sees approved assessments only (DESIGN.md §2): the other counts link nowhere.
    sees_all = by == "host_unit" and _at_level(user, Capability.DRAFT_ASSESSMENT, UnitLevel.TOWNSHIP)

    def cell(row, state) -> Cell:
        if not (sees_all or state == AssessmentState.APPROVED) or by != "host_unit":
            return Cell(row[state.value])
        query = {"cycle__id__exact": row["cycle"], "host_unit__id__exact": row["unit_id"], "state__exact": state.value}
        return Cell(row[state.value], _list("assessment", **query), urgent=state == AssessmentState.RETURNED)

    return Panel(
        key="assessment-progress",
        title=_("Assessments of the open cycle: progress"),
        columns=(_unit_column(by), *(str(state.label) for state in STATES), _("total")),
        rows=tuple(
            (Cell(_row_label(row, rows)), *(cell(row, state) for state in STATES), Cell(row["total"])) for row in rows
        ),
        order=order,
        chart="stacked",
        chart_columns=(1, 2, 3, 4),
        computed_at=at,
    )


def _excellent_panel(user) -> Panel:
    rows, at = _progress(user, "host_unit")
    return Panel(
        key="excellent-share",
        title=_("Excellent grades against the cap"),
        columns=(
            _("township"),
            _("assessed"),
            _("excellent approved"),
            _("excellent share"),
            _("cap"),
            _("places left"),
        ),
        rows=tuple(
            (
                Cell(_row_label(row, rows)),
                Cell(row["total"]),
                Cell(
                    row["excellent"],
                    _list(
                        "assessment",
                        cycle__id__exact=row["cycle"],
                        host_unit__id__exact=row["unit_id"],
                        state__exact=AssessmentState.APPROVED.value,
                        grade__exact="excellent",
                    ),
                ),
                Cell(percent(row["excellent"], row["total"]), suffix="%"),
                Cell(f"{row['cap']} ({row['cap_percent']}%)"),
                Cell(row["cap"] - row["excellent"], urgent=row["cap"] - row["excellent"] < 0),
            )
            for row in rows
        ),
        order=25,
        computed_at=at,
        note=_("The cap is a share of the township's assessments in the cycle, rounded down."),
    )


def _proposals_panel(user) -> Panel:
    year_start = timezone.localdate().replace(month=1, day=1)
    rows, at = figures_cached(
        "proposals",
        scope_key(user, Capability.SEE_RECORDS),
        lambda: figures.proposals_by(user=user, year_start=year_start),
    )
    since = local_midnight(year_start).isoformat()
    return Panel(
        key="proposals",
        title=_("Appointment proposals awaiting the township, and vetoes this year"),
        columns=(_("township"), _("awaiting consent or veto"), _("vetoed (proposed this year)")),
        rows=tuple(
            (
                Cell(row["name"]),
                Cell(
                    row["awaiting"],
                    _list("appointmentproposal", host_unit__id__exact=row["unit_id"], state__exact="proposed"),
                ),
                Cell(
                    row["vetoed"],
                    _list(
                        "appointmentproposal",
                        host_unit__id__exact=row["unit_id"],
                        state__exact="vetoed",
                        proposed_at__gte=since,
                    ),
                    urgent=True,
                ),
            )
            for row in rows
        ),
        order=30,
        computed_at=at,
    )
