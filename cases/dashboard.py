"""The case side of each role's picture on the home page (issue 13): what the figures of
``cases.figures`` and ``cases.scorecards`` mean for a township, a department, the county
governance centre and the city, each figure linking to the list behind it."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import figures
from cases.models import DEPARTMENT_PENDING_STATES, AssignmentState
from cases.scorecards import RATES, default_period, median_rates, scorecards_count
from governance.dashboard import Cell, Panel, figures_cached, local_midnight, percent, scope_key, weeks_back
from governance.models import Portfolio, UnitLevel
from governance.roles import Capability
from governance.scoping import departments_near, sees_everything, unit_grants

WEEKS = 12
PENDING = ",".join(DEPARTMENT_PENDING_STATES)


def _list(model: str, **query) -> str:
    url = reverse(f"admin:cases_{model}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


def _granted(user, capability: str, level: str) -> list[int]:
    return [unit for unit, granted_level in unit_grants(user, capability) if granted_level == level]


def case_panels(request) -> list[Panel]:
    user = request.user
    if sees_everything(user):
        return [_pending_panel(user, Capability.SEE_RECORDS, "county", order=10), _weeks_panel(user, order=40)]
    panels = []
    if _granted(user, Capability.RAISE_CASE, UnitLevel.TOWNSHIP):
        panels += [
            _township_scorecard_panel(user),
            _pending_panel(user, Capability.RAISE_CASE, "department", order=20),
            _weeks_panel(user, capability=Capability.RAISE_CASE, order=30),
        ]
    if _granted(user, Capability.HANDLE_ASSIGNMENT, UnitLevel.ORGAN):
        panels += [_states_panel(user), _department_scorecard_panel(user)]
    if _granted(user, Capability.COORDINATE_CASES, UnitLevel.COUNTY):
        panels += [
            _pending_panel(user, Capability.COORDINATE_CASES, "department", order=10),
            _pending_panel(user, Capability.COORDINATE_CASES, "township", order=20),
            _escalations_panel(user),
            _weeks_panel(user, capability=Capability.COORDINATE_CASES, order=40),
        ]
    # A user holding two roles sees a picture once (a supervisor who is also the county's centre).
    unique = {panel.key: panel for panel in panels}
    return list(unique.values())


def _period_note(period) -> str:
    return _("This month so far (%(start)s to %(end)s).") % {
        "start": period["start"].isoformat(),
        "end": period["end"].isoformat(),
    }


def _scorecards_url(period) -> str:
    query = urlencode({key: day.isoformat() for key, day in period.items()})
    return f"{reverse('admin:cases_caseassignment_scorecards')}?{query}"


def _rate(value) -> Cell:
    return Cell(value, suffix="%" if value is not None else "")


def _township_scorecard_panel(user) -> Panel:
    """Speech §二(一): the township evaluates the departments that serve it; only its own cases count."""
    period = default_period()
    townships = _granted(user, Capability.RAISE_CASE, UnitLevel.TOWNSHIP)
    cards, at = figures_cached(
        "township-scorecard",
        scope_key(user, Capability.RAISE_CASE),
        lambda: scorecards_count(departments=None, townships=townships, **period),
    )
    rows = tuple(
        (
            Cell(card.department.name, _list("caseassignment", department__id__exact=card.department.pk)),
            Cell(card.assigned),
            _rate(card.accept_rate),
            _rate(card.resolve_rate),
            _rate(card.satisfaction_rate),
            Cell(card.returned, urgent=True),
        )
        for card in cards
    )
    return Panel(
        key="township-scorecard",
        title=_("Departments that served the township"),
        columns=(
            _("department"),
            _("assigned"),
            _("on-time acceptance rate"),
            _("on-time resolution rate"),
            _("satisfaction rate"),
            _("returned rounds"),
        ),
        rows=rows,
        order=10,
        computed_at=at,
        note=_period_note(period),
        more=((_("All scorecards, other periods, CSV"), _scorecards_url(period)),),
    )


GROUP_TITLES = {
    "department": gettext_lazy("Open and overdue assignments by department"),
    "township": gettext_lazy("Open and overdue assignments by township"),
    "county": gettext_lazy("Open and overdue assignments by county"),
}
GROUP_COLUMNS = {
    "department": gettext_lazy("department"),
    "township": gettext_lazy("township"),
    "county": gettext_lazy("county"),
}


def _pending_panel(user, capability: str, group: str, *, order: int) -> Panel:
    rows, at = figures_cached(
        f"pending-{group}",
        scope_key(user, capability),
        lambda: figures.pending_by(user=user, capability=capability, group=group),
    )
    lookup = f"{group}__id__exact"
    return Panel(
        key=f"pending-by-{group}",
        title=str(GROUP_TITLES[group]),
        columns=(str(GROUP_COLUMNS[group]), _("open"), _("overdue"), _("declined, awaiting reassignment")),
        rows=tuple(
            (
                Cell(row["name"], _list("caseassignment", **{lookup: row["unit_id"]})),
                Cell(row["pending"], _list("caseassignment", **{lookup: row["unit_id"], "state__in": PENDING})),
                Cell(row["overdue"], _list("caseassignment", **{lookup: row["unit_id"], "due": "overdue"}), True),
                Cell(row["declined"], _list("caseassignment", **{lookup: row["unit_id"], "state__exact": "declined"})),
            )
            for row in rows
        ),
        order=order,
        chart="bar",
        chart_columns=(1, 2),
        computed_at=at,
        note=_("Assignments the departments still owe a step on, now."),
    )


def _weeks_panel(user, *, capability: str = Capability.SEE_RECORDS, order: int) -> Panel:
    weeks = weeks_back(WEEKS)
    rows, at = figures_cached(
        "weeks",
        scope_key(user, capability),
        lambda: figures.raised_closed_by_week(user=user, capability=capability, weeks=weeks),
    )

    def window(field: str, row) -> str:
        return _list(
            "case",
            **{
                f"{field}__gte": local_midnight(row["start"]).isoformat(),
                f"{field}__lt": local_midnight(row["end"]).isoformat(),
            },
        )

    return Panel(
        key="cases-by-week",
        title=_("Cases raised and closed by week"),
        columns=(_("week from"), _("raised"), _("closed")),
        rows=tuple(
            (
                Cell(row["start"].strftime("%m-%d")),
                Cell(row["raised"], window("raised_at", row)),
                Cell(row["closed"], window("closed_at", row)),
            )
            for row in rows
        ),
        order=order,
        chart="line",
        computed_at=at,
        note=_("The last %(weeks)d weeks, Monday to Sunday; the last is this week so far.") % {"weeks": WEEKS},
    )


STATE_ORDER = (
    AssignmentState.ASSIGNED,
    AssignmentState.ACCEPTED,
    AssignmentState.IN_PROGRESS,
    AssignmentState.RESPONDED,
    AssignmentState.DECLINED,
    AssignmentState.COMPLETED,
    AssignmentState.REASSIGNED,
)


def _states_panel(user) -> Panel:
    """A department's assignments by state, overdue first: what it owes before what it has done."""
    counts, at = figures_cached(
        "states",
        scope_key(user, Capability.HANDLE_ASSIGNMENT),
        lambda: figures.assignments_by_state(user=user, capability=Capability.HANDLE_ASSIGNMENT),
    )
    rows = [(Cell(_("Overdue now")), Cell(counts["overdue"], _list("caseassignment", due="overdue"), True))]
    rows += [
        (Cell(str(state.label)), Cell(counts[state.value], _list("caseassignment", state__exact=state.value)))
        for state in STATE_ORDER
    ]
    return Panel(
        key="assignments-by-state",
        title=_("Your assignments by state"),
        columns=(_("state"), _("assignments")),
        rows=tuple(rows),
        order=10,
        chart="bar",
        computed_at=at,
    )


def _department_scorecard_panel(user) -> Panel:
    """Its own scorecard as the townships rated it, beside the median of its county's departments."""
    period = default_period()
    own_ids = set(_granted(user, Capability.HANDLE_ASSIGNMENT, UnitLevel.ORGAN))
    county_key = ",".join(str(pk) for pk in sorted(own_ids))

    def count():
        departments = list(departments_near(user, Capability.HANDLE_ASSIGNMENT).select_related("parent"))
        return scorecards_count(departments=departments, **period)

    cards, at = figures_cached("county-scorecards", county_key, count)
    own = [card for card in cards if card.department.pk in own_ids]
    medians = median_rates(cards)
    labels = {
        "accept_rate": _("on-time acceptance rate"),
        "resolve_rate": _("on-time resolution rate"),
        "satisfaction_rate": _("satisfaction rate"),
    }
    url = _scorecards_url(period)
    rows = tuple(
        (Cell(labels[rate], url), *(_rate(getattr(card, rate)) for card in own), _rate(medians[rate])) for rate in RATES
    )
    return Panel(
        key="department-scorecard",
        title=_("Your scorecard as the townships rated it"),
        columns=(_("figure"), *(card.department.name for card in own), _("median of the county's departments")),
        rows=rows,
        order=20,
        chart="bar",
        computed_at=at,
        note=_period_note(period),
        more=((_("All scorecards, other periods, CSV"), url),),
    )


def _escalations_panel(user) -> Panel:
    year_start = timezone.localdate().replace(month=1, day=1)
    rows, at = figures_cached(
        "escalations",
        scope_key(user, Capability.COORDINATE_CASES),
        lambda: figures.escalations_by_post(user=user, capability=Capability.COORDINATE_CASES, year_start=year_start),
    )

    def deputy(row) -> str:
        if row["escalated_to"] is None:
            return _("no deputy in charge recorded")
        title = str(Portfolio(row["escalated_to__portfolio"]).label) if row["escalated_to__portfolio"] else _("head")
        return " · ".join(part for part in (title, row["escalated_to__holder_name"]) if part)

    def url(row, **query) -> str:
        if row["escalated_to"] is not None:
            query["escalated_to"] = row["escalated_to"]
        return _list("caseassignment", **query)

    since = local_midnight(year_start).isoformat()
    return Panel(
        key="escalations-by-deputy",
        title=_("Escalations (督办) by deputy in charge"),
        columns=(_("deputy in charge"), _("escalated and unfinished"), _("escalated this year")),
        rows=tuple(
            (
                Cell(deputy(row), url(row)),
                Cell(row["unfinished"], url(row, due="escalated"), True),
                Cell(row["this_year"], url(row, escalated_at__gte=since)),
            )
            for row in rows
        ),
        order=30,
        chart="bar",
        computed_at=at,
    )


def service_request_panels(request) -> list[Panel]:
    user = request.user
    if sees_everything(user) or not unit_grants(user, Capability.LOG_SERVICE_REQUEST):
        return []
    start = figures.month_start()
    counts, at = figures_cached(
        "service-requests",
        scope_key(user, Capability.LOG_SERVICE_REQUEST),
        lambda: figures.service_request_figures(user=user, capability=Capability.LOG_SERVICE_REQUEST, start=start),
    )
    since = local_midnight(start).isoformat()
    completed = _list("servicerequest", state__exact="completed", finished_at__gte=since)
    rows = (
        (Cell(_("received")), Cell(counts["received"], _list("servicerequest", received_at__gte=since))),
        (Cell(_("completed")), Cell(counts["completed"], completed)),
        (Cell(_("completed on time")), Cell(counts["on_time"], completed)),
        (Cell(_("on-time completion rate")), _rate(percent(counts["on_time"], counts["completed"]))),
        (
            Cell(_("rejected")),
            Cell(counts["rejected"], _list("servicerequest", state__exact="rejected", finished_at__gte=since)),
        ),
        (Cell(_("open and overdue now")), Cell(counts["overdue"], _list("servicerequest", due="overdue"), True)),
    )
    return [
        Panel(
            key="service-requests",
            title=_("Service requests this month"),
            columns=(_("figure"), _("service requests")),
            rows=rows,
            order=60,
            computed_at=at,
            note=_("Since %(start)s.") % {"start": start.isoformat()},
        )
    ]
