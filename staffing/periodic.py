"""The monthly and quarterly (平时) assessment records of seconded cadres: every step a service
(issue 14 item 8). The host township's clerk writes a record and submits it; the township
supervisor (who approves the annual assessments) approves it or returns it with a reason. The
same capabilities as the annual assessment: DRAFT_ASSESSMENT writes, APPROVE_ASSESSMENT decides.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import holds
from governance.workdays import WorkdayCalendar, workday_calendar
from staffing.models import (
    PERIODIC_DUPLICATE,
    PERIODIC_EDITABLE_STATES,
    PERIODIC_PERIOD_RANGE,
    Assessment,
    PeriodicKind,
    PeriodicRecord,
    PeriodicRecordTransition,
    PeriodicState,
    PeriodKind,
    Secondment,
    SecondmentState,
)

PERIODIC_NOT_DRAFTER = _("Only a clerk or supervisor of the host township may write and submit this record.")
PERIODIC_NOT_APPROVER = _("Only a supervisor of the host township may approve or return this record.")
PERIODIC_OWN_DRAFT = _("You wrote or submitted this record, so you may not approve or return it.")
PERIODIC_NOT_EDITABLE = _("Only a draft or returned record can be edited or submitted; this one is “%(state)s”.")
PERIODIC_NOT_SUBMITTED = _("Only a submitted record can be approved or returned; this one is “%(state)s”.")
PERIODIC_NOT_ARRIVED = _("A record is kept only for a cadre who has arrived (报到) at the township.")
PERIODIC_OUTSIDE_SECONDMENT = _("%(period)s is outside the cadre's secondment to this township (%(start)s to %(end)s).")
PERIODIC_NOT_BEGUN = _("%(period)s has not begun yet.")
PERIODIC_OVERLAPS = _(
    "The cadre already has a %(kind)s record covering %(period)s (%(other)s); keep either monthly or quarterly "
    "records for a period, not both."
)
PERIODIC_DAYS_OVER = _(
    "Attendance (%(attendance)s) and leave (%(leave)s) days together exceed the %(workdays)s working days of "
    "%(period)s the cadre served in the township."
)
PERIODIC_FIXED = _("The cadre and the period of a record are fixed once it is written; write another record.")
REASON_REQUIRED = _("Give a reason.")


# --- periods ---


def period_bounds(year: int, kind: str, period: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month or a quarter."""
    first_month, months = (period, 1) if kind == PeriodicKind.MONTH else (3 * period - 2, 3)
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


def served_span(secondment: Secondment) -> tuple[datetime.date | None, datetime.date | None]:
    """The days the cadre served in the township: arrival to the actual end (open while in force)."""
    return secondment.arrived_on, secondment.actual_end


def workdays_in(first: datetime.date, last: datetime.date, workdays: WorkdayCalendar) -> int:
    """Working days from ``first`` to ``last`` inclusive, on the official calendar."""
    return sum(workdays.is_workday(first + datetime.timedelta(days=n)) for n in range((last - first).days + 1))


def served_workdays(
    record: PeriodicRecord, workdays: WorkdayCalendar | None = None, *, today: datetime.date | None = None
) -> int:
    """The working days of the record's period that fall within the cadre's time in the township and,
    given ``today``, have already come (a record of the current month counts only the days so far)."""
    first, last = period_bounds(record.year, record.period_kind, record.period)
    arrived, ended = served_span(record.secondment)
    last = min(last, ended or last, today or last)
    return workdays_in(max(first, arrived), last, workdays or workday_calendar())


# --- validation ---


def _period_params(record: PeriodicRecord) -> dict:
    return {"period": record.period_label}


def _check_period(record: PeriodicRecord, today: datetime.date) -> None:
    secondment = record.secondment
    if secondment.state not in (SecondmentState.IN_FORCE, SecondmentState.ENDED) or secondment.arrived_on is None:
        raise ValidationError({"secondment": PERIODIC_NOT_ARRIVED})
    first, last = period_bounds(record.year, record.period_kind, record.period)
    arrived, ended = served_span(secondment)
    if last < arrived or (ended is not None and first > ended):
        params = {**_period_params(record), "start": arrived, "end": ended or "…"}
        raise ValidationError({"period": ValidationError(PERIODIC_OUTSIDE_SECONDMENT, params=params)})
    if first > today:
        raise ValidationError({"period": ValidationError(PERIODIC_NOT_BEGUN, params=_period_params(record))})


def _check_no_overlap(record: PeriodicRecord) -> None:
    """A month and the quarter holding it are not both recorded: the county reads one or the other."""
    other_kind = PeriodicKind.QUARTER if record.period_kind == PeriodicKind.MONTH else PeriodicKind.MONTH
    if other_kind == PeriodicKind.QUARTER:
        periods = [(record.period + 2) // 3]
    else:
        periods = [3 * record.period - 2, 3 * record.period - 1, 3 * record.period]
    clash = (
        PeriodicRecord.objects.filter(
            secondment_id=record.secondment_id, year=record.year, period_kind=other_kind, period__in=periods
        )
        .exclude(pk=record.pk)
        .first()
    )
    if clash is not None:
        params = {**_period_params(record), "kind": clash.get_period_kind_display(), "other": clash.period_label}
        raise ValidationError({"period": ValidationError(PERIODIC_OVERLAPS, params=params)})


def _check_days(record: PeriodicRecord, today: datetime.date) -> None:
    workdays = served_workdays(record, today=today)
    if record.attendance_days + record.leave_days > workdays:
        params = {
            **_period_params(record),
            "attendance": record.attendance_days,
            "leave": record.leave_days,
            "workdays": workdays,
        }
        raise ValidationError({"attendance_days": ValidationError(PERIODIC_DAYS_OVER, params=params)})


def periodic_record_validate(*, actor, record: PeriodicRecord, today: datetime.date | None = None) -> None:
    """Every check a record must pass (form, service and importer): who writes it, the field rules,
    the period within the cadre's time in the township, one kind of record per period, and days
    within the period's working days."""
    secondment = record.secondment
    if not holds(actor, Capability.DRAFT_ASSESSMENT, secondment.host_unit_id):
        raise ValidationError(PERIODIC_NOT_DRAFTER, code="permission")
    record.cadre_id, record.host_unit_id, record.sending_unit_id = (
        secondment.cadre_id,
        secondment.host_unit_id,
        secondment.sending_unit_id,
    )
    record.drafted_by = actor
    if record.period_kind == PeriodicKind.QUARTER and record.period and record.period > 4:
        raise ValidationError({"period": PERIODIC_PERIOD_RANGE})
    record.full_clean(exclude=["submitted_by", "approved_by"])
    today = today or timezone.localdate()
    _check_period(record, today)
    _check_no_overlap(record)
    _check_days(record, today)


# --- steps ---


def _step(record: PeriodicRecord, *, actor, from_state, to_state, reason: str = "") -> None:
    PeriodicRecordTransition.objects.create(
        record=record, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )


def _history(record: PeriodicRecord, *, actor, reason: str = "") -> None:
    """The field-level history row an ``update()`` skips."""
    record.refresh_from_db()
    PeriodicRecord.history.bulk_history_create(
        [record], update=True, default_user=actor, default_change_reason=reason[:100]
    )


def _locked(record: PeriodicRecord) -> PeriodicRecord:
    """The record, locked: a second step at the same moment waits, then sees the state the first left."""
    return PeriodicRecord.objects.select_for_update().select_related("secondment").get(pk=record.pk)


def _state_error(message, record: PeriodicRecord) -> ValidationError:
    return ValidationError(message, code="state", params={"state": record.get_state_display()})


def periodic_record_check(*, actor, record: PeriodicRecord) -> None:
    """May ``actor`` edit ``record`` now? (The change form asks before showing errors.)"""
    if not holds(actor, Capability.DRAFT_ASSESSMENT, record.host_unit_id):
        raise ValidationError(PERIODIC_NOT_DRAFTER, code="permission")
    if record.state not in PERIODIC_EDITABLE_STATES:
        raise _state_error(PERIODIC_NOT_EDITABLE, record)


@transaction.atomic
def periodic_record_save(*, actor, record: PeriodicRecord, today: datetime.date | None = None) -> PeriodicRecord:
    """Write a new record (a draft) or correct a draft or returned one."""
    creating = record.pk is None
    if creating:
        # Serialise records of one secondment (the unique constraint backs it).
        Secondment.objects.select_for_update().filter(pk=record.secondment_id).first()
    else:
        stored = _locked(record)
        periodic_record_check(actor=actor, record=stored)
        fixed = ("secondment_id", "year", "period_kind", "period")
        if any(getattr(stored, name) != getattr(record, name) for name in fixed):
            raise ValidationError(PERIODIC_FIXED, code="fixed")
        record.state = stored.state
    periodic_record_validate(actor=actor, record=record, today=today)
    record._history_user = actor
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError({"period": PERIODIC_DUPLICATE}) from None
    if creating:
        _step(record, actor=actor, from_state="", to_state=PeriodicState.DRAFT)
    return record


@transaction.atomic
def periodic_record_submit(*, actor, record: PeriodicRecord) -> None:
    current = _locked(record)
    periodic_record_check(actor=actor, record=current)
    PeriodicRecord.objects.filter(pk=current.pk).update(state=PeriodicState.SUBMITTED, submitted_by=actor)
    _step(current, actor=actor, from_state=current.state, to_state=PeriodicState.SUBMITTED)
    _history(current, actor=actor)


def _require_approver(actor, record: PeriodicRecord) -> None:
    if not holds(actor, Capability.APPROVE_ASSESSMENT, record.host_unit_id):
        raise ValidationError(PERIODIC_NOT_APPROVER, code="permission")
    if actor.pk in (record.drafted_by_id, record.submitted_by_id):
        raise ValidationError(PERIODIC_OWN_DRAFT, code="four_eyes")
    if record.state != PeriodicState.SUBMITTED:
        raise _state_error(PERIODIC_NOT_SUBMITTED, record)


@transaction.atomic
def periodic_record_approve(*, actor, record: PeriodicRecord) -> None:
    current = _locked(record)
    _require_approver(actor, current)
    PeriodicRecord.objects.filter(pk=current.pk).update(
        state=PeriodicState.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    _step(current, actor=actor, from_state=PeriodicState.SUBMITTED, to_state=PeriodicState.APPROVED)
    _history(current, actor=actor)


@transaction.atomic
def periodic_record_return(*, actor, record: PeriodicRecord, reason: str) -> None:
    current = _locked(record)
    _require_approver(actor, current)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED, code="reason")
    PeriodicRecord.objects.filter(pk=current.pk).update(state=PeriodicState.RETURNED)
    _step(current, actor=actor, from_state=PeriodicState.SUBMITTED, to_state=PeriodicState.RETURNED, reason=reason)
    _history(current, actor=actor, reason=reason)


def periodic_steps(*, record: PeriodicRecord, user) -> list[str]:
    """The step buttons the user may press on this record."""
    if not user.has_perm("staffing.change_periodicrecord"):
        return []
    if record.state in PERIODIC_EDITABLE_STATES:
        return ["submit"] if holds(user, Capability.DRAFT_ASSESSMENT, record.host_unit_id) else []
    if record.state != PeriodicState.SUBMITTED or not holds(user, Capability.APPROVE_ASSESSMENT, record.host_unit_id):
        return []
    return [] if user.pk in (record.drafted_by_id, record.submitted_by_id) else ["approve", "return"]


# --- read by the annual assessment and the home page ---


@dataclass(frozen=True)
class PeriodicSummary:
    records: list[PeriodicRecord]
    attendance_days: int
    leave_days: int


def assessment_period_records(assessment: Assessment) -> PeriodicSummary:
    """The cadre's approved records (of the assessment's secondment) within the annual assessment's
    period, for reference where the township grades the year. Approved only: the figures are the
    supervisor's, and the sending department, which reads final assessments, sees no drafts."""
    cycle = assessment.cycle
    records = PeriodicRecord.objects.filter(
        secondment_id=assessment.secondment_id, year=cycle.year, state=PeriodicState.APPROVED
    )
    if cycle.period_kind == PeriodKind.QUARTER:
        months = [3 * cycle.quarter - 2, 3 * cycle.quarter - 1, 3 * cycle.quarter]
        records = records.filter(
            Q(period_kind=PeriodicKind.MONTH, period__in=months)
            | Q(period_kind=PeriodicKind.QUARTER, period=cycle.quarter)
        )
    records = list(records.order_by("period_kind", "period"))
    return PeriodicSummary(
        records,
        sum(record.attendance_days for record in records),
        sum(record.leave_days for record in records),
    )


def periodic_queue_counts(*, user) -> dict[str, int]:
    """Records awaiting the user's approval and records to write or correct, in one query."""
    approving = PeriodicRecord.objects.scope_q(user, Capability.APPROVE_ASSESSMENT)
    drafting = PeriodicRecord.objects.scope_q(user, Capability.DRAFT_ASSESSMENT)
    return PeriodicRecord.objects.filter(approving | drafting).aggregate(
        # Four eyes: a record the user drafted or submitted is not theirs to approve (periodic_record_approve).
        to_approve=Count(
            "pk",
            filter=approving & Q(state=PeriodicState.SUBMITTED) & ~Q(drafted_by=user) & ~Q(submitted_by=user),
        ),
        to_correct=Count("pk", filter=drafting & Q(state=PeriodicState.RETURNED)),
    )


def periodic_summary_table(summary: PeriodicSummary):
    """The records as a small read-only table with the attendance and leave totals, or “—”."""
    if not summary.records:
        return "—"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                record.period_label,
                record.get_grade_display(),
                record.attendance_days,
                record.leave_days,
                record.get_state_display(),
                record.comments,
            )
            for record in summary.records
        ),
    )
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        _("period"),
        _("grade"),
        _("attendance days"),
        _("leave days"),
        _("state"),
        _("comments"),
    )
    total = format_html(
        "<tr><th>{}</th><td></td><th>{}</th><th>{}</th><td></td><td></td></tr>",
        _("total"),
        summary.attendance_days,
        summary.leave_days,
    )
    return format_html('<table class="staffing-periodic">{}{}{}</table>', head, rows, total)
