"""Raising a case (吹哨, speech §二(一): townships hold the right to request) and adding
departments to it.

Raising creates one assignment per department: the county's department of the item's lead
sector plus the co-handling sectors the township names. Each round's dues come from the item's
deadline profile on the working-day calendar, loaded once per call.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.deadlines import Dues, dues_compute
from cases.models import (
    LIVE_STATES,
    AssignmentState,
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseCounter,
    CaseState,
    TransitionAction,
)
from cases.transitions import actor_require, case_lock, transition_record
from governance.models import CoordinationItem, Sector, Unit, UnitKind, UnitLevel
from governance.roles import Capability
from governance.workdays import workday_calendar

NOT_A_TOWNSHIP = _("Cases are raised by a township-level unit.")
MAY_NOT_RAISE = _("You may not raise cases for this township.")
VILLAGE_OUTSIDE_TOWNSHIP = _("The village must belong to the township that raises the case.")
ITEM_INACTIVE = _("This coordination item is no longer in use.")
NO_DEPARTMENT_FOR_SECTOR = _("%(county)s has no department for “%(sector)s”.")
DEPARTMENT_OUTSIDE_COUNTY = _("Only departments of the case's own county can be assigned.")
DEPARTMENT_ALREADY_ASSIGNED = _("%(department)s is already working on this case.")
CASE_CLOSED = _("The case is closed.")
MAY_NOT_ATTACH = _("Only the township that raised the case may add attachments to it.")
CO_SECTOR_LEFT_OUT_NEEDS_REASON = _(
    "The coordination item names %(departments)s as co-handling: to leave them out, give the reason."
)
MAY_NOT_COORDINATE = _("Only the county governance centre may add or reassign departments and escalate.")


# Foreign keys set from instances the raise has read and checked: full_clean's existence query for
# each is skipped (the database's foreign keys still hold).
HELD_CASE_FIELDS = ["township", "village", "county", "item", "raised_by"]
HELD_ASSIGNMENT_FIELDS = ["case", "department", "township", "county"]


@dataclass(frozen=True)
class RaiseResult:
    case: Case
    assignments: list[CaseAssignment]
    guessed_years: tuple[int, ...]


def department_of_sector(county: Unit, sector: str) -> Unit:
    return departments_of_sectors(county, [sector])[0]


def departments_of_sectors(county: Unit, sectors: list[str]) -> list[Unit]:
    """The county's department for each sector, in the sectors' order, in one query."""
    by_sector = {
        unit.sector: unit for unit in Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT, sector__in=sectors)
    }
    for sector in sectors:
        if sector not in by_sector:
            raise ValidationError(
                NO_DEPARTMENT_FOR_SECTOR, params={"county": county.name, "sector": Sector(sector).label}
            )
    return [by_sector[sector] for sector in sectors]


def item_co_departments(*, item: CoordinationItem, county: Unit) -> dict[str, Unit]:
    """The departments of ``county`` for the item's co-handling sectors, in the item's order (a
    sector the county has no department for is left out: nobody there could report)."""
    by_sector = {
        unit.sector: unit
        for unit in Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT, sector__in=item.co_sectors or [])
    }
    return {
        sector: by_sector[sector]
        for sector in item.co_sectors or []
        if sector in by_sector and sector != item.lead_sector
    }


def _reference_allocate(township: Unit, year: int) -> int:
    """The next sequence number for (township, year). The counter row's UPDATE holds its lock
    until the raising transaction ends, so two clerks never get the same number."""
    CaseCounter.objects.get_or_create(township=township, year=year)
    CaseCounter.objects.filter(township=township, year=year).update(last=F("last") + 1)
    return CaseCounter.objects.get(township=township, year=year).last


@transaction.atomic
def case_raise(
    *,
    actor,
    township: Unit,
    item: CoordinationItem,
    title: str,
    description: str,
    priority: str,
    village: Unit | None = None,
    place: str = "",
    co_sectors: tuple[str, ...] | list[str] | None = None,
    left_out_reason: str = "",
    attachments: tuple | list = (),
    now: datetime | None = None,
) -> RaiseResult:
    """Raise a case and assign the lead sector's department and the co-handling ones.

    The coordination list names each item's co-handling sectors so that those departments report
    when the township blows the whistle: they are ticked unless the clerk unticks one, which needs
    a reason, kept on the case's timeline (issue 14). ``co_sectors=None``: the item's own."""
    if township.level != UnitLevel.TOWNSHIP:
        raise ValidationError({"township": NOT_A_TOWNSHIP})
    actor_require(actor, Capability.RAISE_CASE, township, MAY_NOT_RAISE)
    if village is not None and village.parent_id != township.pk:
        raise ValidationError({"village": VILLAGE_OUTSIDE_TOWNSHIP})
    if not item.active:
        raise ValidationError({"item": ITEM_INACTIVE})
    county = township.parent
    named = item_co_departments(item=item, county=county)
    if co_sectors is None:
        co_sectors = list(named)
    sectors = [item.lead_sector, *(sector for sector in dict.fromkeys(co_sectors) if sector != item.lead_sector)]
    departments = departments_of_sectors(county, sectors)
    left_out = [department for sector, department in named.items() if sector not in sectors]
    if left_out and not left_out_reason.strip():
        names = "、".join(department.name for department in left_out)
        raise ValidationError(
            {"co_sectors": ValidationError(CO_SECTOR_LEFT_OUT_NEEDS_REASON, params={"departments": names})}
        )

    now = now or timezone.now()
    year = timezone.localtime(now).year
    sequence = _reference_allocate(township, year)
    case = Case(
        reference=f"{year}-{township.code[:9]}-{sequence:04d}",
        year=year,
        sequence=sequence,
        township=township,
        village=village,
        county_id=township.parent_id,
        item=item,
        title=title,
        description=description,
        place=place,
        priority=priority,
        raised_by=actor,
        raised_at=now,
    )
    # The units, item and person are instances already read and checked above, the counter's lock
    # makes the reference unique, and a new open case meets the state's check constraints (each
    # backed by the database's keys and constraints): the model's checks need not ask the database
    # again, which cost nine queries a raise.
    case.full_clean(exclude=HELD_CASE_FIELDS, validate_unique=False, validate_constraints=False)
    case._history_user = actor
    case.save()
    transition_record(case=case, action=TransitionAction.RAISE, actor=actor, at=now, to_state=CaseState.OPEN)
    for department in left_out:
        transition_record(
            case=case,
            action=TransitionAction.LEFT_OUT,
            actor=actor,
            at=now,
            reason=f"{department.name}：{left_out_reason}",
        )
    for file in attachments:
        _attachment_save(case, file)
    dues = dues_compute(start=now, profile=item.deadline_profile(priority), calendar=workday_calendar())
    # A new case has no assignment yet and each sector its own department: nothing to look up.
    assignments = [
        assignment_open(case=case, department=department, dues=dues, actor=actor, now=now, new_case=True)
        for department in departments
    ]
    return RaiseResult(case=case, assignments=assignments, guessed_years=dues.guessed_years)


def assignment_open(
    *, case: Case, department: Unit, dues: Dues, actor, now: datetime, reason: str = "", new_case: bool = False
) -> CaseAssignment:
    """A new assignment in its first round (used by raising, adding and reassigning).

    ``new_case``: the case was raised in this transaction, so no department works on it yet."""
    if department.kind != UnitKind.DEPARTMENT or department.parent_id != case.county_id:
        raise ValidationError({"department": DEPARTMENT_OUTSIDE_COUNTY})
    if not new_case and case.assignments.filter(department=department, state__in=LIVE_STATES).exists():
        raise ValidationError(DEPARTMENT_ALREADY_ASSIGNED, params={"department": department.name})
    assignment = CaseAssignment(
        case=case,
        department=department,
        township_id=case.township_id,
        county_id=case.county_id,
        round_started_at=now,
        created_at=now,
        **dues.as_fields(),
    )
    # The one-live-assignment rule was checked just above with its own message (the database
    # constraint backs it); the dues' order comes from dues_compute; the case and units are
    # instances in hand (their keys checked by the database).
    assignment.full_clean(exclude=HELD_ASSIGNMENT_FIELDS, validate_constraints=False)
    assignment._history_user = actor
    assignment.save()
    transition_record(
        case=case,
        assignment=assignment,
        action=TransitionAction.ASSIGN,
        actor=actor,
        at=now,
        to_state=AssignmentState.ASSIGNED,
        reason=reason,
    )
    return assignment


@dataclass(frozen=True)
class StepResult:
    assignment: CaseAssignment
    guessed_years: tuple[int, ...] = ()


@transaction.atomic
def case_department_add(
    *, actor, case: Case, department: Unit, reason: str = "", now: datetime | None = None
) -> StepResult:
    """The county governance centre asks one more department to act on an open case."""
    actor_require(actor, Capability.COORDINATE_CASES, case.township, MAY_NOT_COORDINATE)
    case = case_lock(case.pk)
    if case.state != CaseState.OPEN:
        raise ValidationError(CASE_CLOSED)
    now = now or timezone.now()
    dues = dues_compute(start=now, profile=case.item.deadline_profile(case.priority), calendar=workday_calendar())
    assignment = assignment_open(case=case, department=department, dues=dues, actor=actor, now=now, reason=reason)
    return StepResult(assignment=assignment, guessed_years=dues.guessed_years)


def _attachment_save(case: Case, file, description: str = "") -> CaseAttachment:
    attachment = CaseAttachment(case=case, file=file, description=description)
    attachment.full_clean()  # extension and size (models.ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES)
    attachment.save()
    return attachment


@transaction.atomic
def case_attachment_add(*, actor, case: Case, file, description: str = "") -> CaseAttachment:
    """The raising township adds a photo or document to its case."""
    actor_require(actor, Capability.RAISE_CASE, case.township, MAY_NOT_ATTACH)
    return _attachment_save(case, file, description)
