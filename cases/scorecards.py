"""Department scorecards (DESIGN.md M11; speech §二(一): townships evaluate departments).

Counted from the transition rows of the period, in one grouped query: each row names the
department it concerned and whether its timed step was on time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseTransition, Rating, TransitionAction
from governance.models import Unit, UnitKind
from governance.roles import Capability
from governance.scoping import units_for


@dataclass(frozen=True)
class Scorecard:
    department: Unit
    assigned: int = 0
    accepted_on_time: int = 0
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
        return (Decimal(100 * self.satisfied) / self.rated).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
    """Every department the user may see (the centre: its county's; the city: all; a department:
    its own), with its figures for the period, zero rows included."""
    departments = list(
        units_for(user, Capability.SEE_RECORDS)
        .filter(kind=UnitKind.DEPARTMENT)
        .select_related("parent")
        .order_by("path")
    )
    since, until = _period(start, end)
    rows = (
        CaseTransition.objects.filter(department__in=[d.pk for d in departments], at__gte=since, at__lt=until)
        .values("department")
        .annotate(
            assigned=Count("pk", filter=Q(action=TransitionAction.ASSIGN)),
            accepted_on_time=Count("pk", filter=Q(action=TransitionAction.ACCEPT, on_time=True)),
            resolved_on_time=Count("pk", filter=Q(action=TransitionAction.RESPOND, on_time=True)),
            rated=Count("pk", filter=Q(action=TransitionAction.RATE)),
            satisfied=Count(
                "pk", filter=Q(action=TransitionAction.RATE, rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
            ),
            returned=Count("pk", filter=Q(action=TransitionAction.RATE, rating=Rating.UNSATISFIED)),
            declined=Count("pk", filter=Q(action=TransitionAction.DECLINE)),
        )
    )
    figures = {row.pop("department"): row for row in rows}
    return [Scorecard(department=department, **figures.get(department.pk, {})) for department in departments]
