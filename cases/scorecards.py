"""Department scorecards (DESIGN.md M11; speech §二(一): townships evaluate departments).

Counted from the transition rows of the period, in one grouped query: each row names the
department it concerned and whether its timed step was on time.
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseTransition, Rating, TransitionAction
from governance.models import Unit, UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import sees_everything, unit_grants, units_for


@dataclass(frozen=True)
class Scorecard:
    department: Unit
    assigned: int = 0
    accepted: int = 0
    accepted_on_time: int = 0
    responded: int = 0
    resolved_on_time: int = 0
    rated: int = 0
    satisfied: int = 0  # satisfied + basically satisfied
    returned: int = 0  # rated unsatisfied: sent back for another round
    declined: int = 0

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """Satisfied and basically satisfied over rated, as a percentage; None when nothing was rated."""
        if not self.rated:
            return None
        return _rate(self.satisfied, self.rated)

    @property
    def accept_rate(self) -> Decimal | None:
        """Accepted (报到) within the working day allowed, over accepted."""
        return _rate(self.accepted_on_time, self.accepted)

    @property
    def resolve_rate(self) -> Decimal | None:
        """Responded with the result by the resolve date, over responded."""
        return _rate(self.resolved_on_time, self.responded)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """Local (Beijing) days ``start`` to ``end`` inclusive, as an aware half-open interval."""
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


PERIOD_EARLIEST = date(2000, 1, 1)
PERIOD_OUT_OF_RANGE = _("A period lies between %(earliest)s and a year from today.")
PERIOD_REVERSED = _("The period's start comes after its end.")


def period_validate(*, start: date, end: date, today: date | None = None) -> None:
    """A period the figures can be counted for: no end in year 9999 (an overflow once gave a
    500, issue 11), no start after the end."""
    latest = (today or timezone.localdate()) + timedelta(days=366)
    if not (PERIOD_EARLIEST <= start <= latest and PERIOD_EARLIEST <= end <= latest):
        raise ValidationError(PERIOD_OUT_OF_RANGE, params={"earliest": PERIOD_EARLIEST})
    if start > end:
        raise ValidationError(PERIOD_REVERSED)


def department_scorecards(*, user, start: date, end: date) -> list[Scorecard]:
    """The scorecards the user may see for the period, zero rows included where a department is
    the user's to see whole: every department the user sees (the centre: its county's; the city:
    all; a department: its own) with all its figures; and, for a township that rates departments
    (speech §二(一): townships hold the right to evaluate), every other department that handled
    one of its cases in the period, counting only its own cases."""
    whole = list(
        units_for(user, Capability.SEE_RECORDS)
        .filter(kind=UnitKind.DEPARTMENT)
        .select_related("parent")
        .order_by("path")
    )
    cards = scorecards_count(departments=whole, start=start, end=end)
    townships = [unit for unit, level in unit_grants(user, Capability.RAISE_CASE) if level == UnitLevel.TOWNSHIP]
    if townships and not sees_everything(user):
        seen = {department.pk for department in whole}
        cards += [
            card
            for card in scorecards_count(departments=None, townships=townships, start=start, end=end)
            if card.department.pk not in seen
        ]
        cards.sort(key=lambda card: card.department.path)
    return cards


def scorecards_count(
    *, departments: list[Unit] | None, start: date, end: date, townships: list[int] | None = None
) -> list[Scorecard]:
    """The figures of ``departments`` for the period from the transition rows, one grouped query
    whatever the departments. With ``townships``, only the
    steps on those townships' cases count, and ``departments=None`` means those that took one."""
    since, until = _period(start, end)
    steps = CaseTransition.objects.filter(at__gte=since, at__lt=until)
    if departments is not None:
        steps = steps.filter(department__in=[department.pk for department in departments])
    else:
        steps = steps.filter(department__isnull=False)
    if townships is not None:
        steps = steps.filter(township__in=townships)
    names = ("department__name", "department__path", "department__parent__name") if departments is None else ()
    rows = steps.values("department", *names).annotate(
        assigned=Count("pk", filter=Q(action=TransitionAction.ASSIGN)),
        accepted=Count("pk", filter=Q(action=TransitionAction.ACCEPT)),
        accepted_on_time=Count("pk", filter=Q(action=TransitionAction.ACCEPT, on_time=True)),
        responded=Count("pk", filter=Q(action=TransitionAction.RESPOND)),
        resolved_on_time=Count("pk", filter=Q(action=TransitionAction.RESPOND, on_time=True)),
        rated=Count("pk", filter=Q(action=TransitionAction.RATE)),
        satisfied=Count(
            "pk", filter=Q(action=TransitionAction.RATE, rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
        ),
        returned=Count("pk", filter=Q(action=TransitionAction.RATE, rating=Rating.UNSATISFIED)),
        declined=Count("pk", filter=Q(action=TransitionAction.DECLINE)),
    )
    figures = {row.pop("department"): row for row in rows.order_by()}
    if departments is None:
        # The departments as the rows name them (name, path, county), not a second query.
        departments = sorted(
            (
                Unit(
                    pk=pk,
                    name=row.pop("department__name"),
                    path=row.pop("department__path"),
                    parent=Unit(name=row.pop("department__parent__name")),
                )
                for pk, row in figures.items()
            ),
            key=lambda unit: unit.path,
        )
    return [Scorecard(department=department, **figures.get(department.pk, {})) for department in departments]


RATES = ("accept_rate", "resolve_rate", "satisfaction_rate")


def median_rates(cards: list[Scorecard]) -> dict[str, Decimal | None]:
    """The median of each rate over the departments that had something to rate (a department
    with no step in the period is not a zero)."""
    medians = {}
    for rate in RATES:
        values = sorted(value for card in cards if (value := getattr(card, rate)) is not None)
        medians[rate] = (
            None
            if not values
            else (
                values[len(values) // 2]
                if len(values) % 2
                else ((values[len(values) // 2 - 1] + values[len(values) // 2]) / 2).quantize(Decimal("0.1"))
            )
        )
    return medians


def default_period(today: date | None = None) -> dict[str, date]:
    """This month so far: the period the scorecards page and the home page's scorecard open on."""
    today = today or timezone.localdate()
    return {"start": date(today.year, today.month, 1), "end": today}


SCORECARD_COLUMNS = (
    (_("department"), lambda card: card.department.name),
    (_("county"), lambda card: card.department.parent.name if card.department.parent else ""),
    (_("assigned"), lambda card: card.assigned),
    (_("accepted"), lambda card: card.accepted),
    (_("accepted on time"), lambda card: card.accepted_on_time),
    (_("on-time acceptance rate (%)"), lambda card: card.accept_rate),
    (_("responded"), lambda card: card.responded),
    (_("resolved on time"), lambda card: card.resolved_on_time),
    (_("on-time resolution rate (%)"), lambda card: card.resolve_rate),
    (_("rated"), lambda card: card.rated),
    (_("satisfaction rate (%)"), lambda card: card.satisfaction_rate),
    (_("returned rounds"), lambda card: card.returned),
    (_("declined"), lambda card: card.declined),
)


def scorecards_csv(cards: list[Scorecard], *, start: date, end: date) -> HttpResponse:
    """The table as CSV, UTF-8 with a byte-order mark so that Excel (WPS) opens the Chinese
    names; a rate with nothing counted is an empty cell, not a zero."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecards_{start.isoformat()}_{end.isoformat()}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(label) for label, _value in SCORECARD_COLUMNS])
    for card in cards:
        writer.writerow([_csv_cell(read(card)) for _label, read in SCORECARD_COLUMNS])
    return response


def _csv_cell(value):
    """Empty for None; a text a spreadsheet would take for a formula is quoted (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
