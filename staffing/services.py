"""Every step of the staffing workflows is one service here (STYLE.md: services write).

Each service re-checks the actor's capability on the unit concerned (never trusting the
screen that called it), checks the state, changes it race-safely with
``filter(pk=…, state=old).update(…)`` and a count check, and writes one transition row.
Error messages are module constants so tests and screens can name the rule.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.dates import date_in_range
from governance.models import Unit, UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import holds, units_for
from staffing.models import (
    FINAL_STATES,
    LIVE_SECONDMENT_STATES,
    NOMINATION_DUPLICATE,
    RANK_NOT_OF_CATEGORY,
    SECONDMENT_ONE_IN_FORCE,
    UNRESOLVED_STATES,
    AppointmentProposal,
    Assessment,
    AssessmentCycle,
    AssessmentState,
    AssessmentTransition,
    Cadre,
    CycleScope,
    CycleState,
    CycleTransition,
    Grade,
    Nomination,
    NominationState,
    NominationTransition,
    ProposalAction,
    ProposalState,
    ProposalTransition,
    ReviewState,
    Secondment,
    SecondmentState,
    SecondmentTransition,
    rank_error_params,
)
from staffing.people.postings import Posting
from staffing.quota import EXCELLENT_QUOTA_USED_UP, pool_lock, pool_quota, pool_unit_id, pools_create
from staffing.ranks import Rank, rank_before_2019, rank_fits

# --- messages naming the rules ---

CADRE_OUTSIDE_SCOPE = _("You may keep the records only of cadres whose home unit is within your jurisdiction.")

SECONDMENT_NOT_PERMITTED = _(
    "A secondment is drafted by its sending department (or the county organisation department) and ended by the "
    "county organisation department of the sending department's county."
)
SECONDMENT_NOT_APPROVER = _("Only the county organisation department approves or declines a secondment.")
SECONDMENT_NOT_DRAFTED = _("Only a drafted secondment can be approved or declined; this one is “%(state)s”.")
SECONDMENT_NOT_RECEIVER = _("Only the host township confirms the arrival (报到) of a cadre seconded to it.")
SECONDMENT_NOT_APPROVED = _("Only an approved secondment awaits the cadre's arrival; this one is “%(state)s”.")
ARRIVAL_IN_FUTURE = _("The arrival date cannot be later than today.")
ARRIVAL_BEFORE_START = _("The cadre cannot arrive before the secondment's start date (%(date)s).")
SECONDMENT_RECORD_NOT_PERMITTED = _(
    "Only the county organisation department records a secondment as already in force (an import of past records)."
)
SENDING_UNIT_NOT_DEPARTMENT = _("The sending unit of a secondment must be a county department.")
SENDING_UNIT_NOT_HOME = _("A department seconds only its own cadres: the sending unit must be the cadre's home unit.")
HOST_NOT_TOWNSHIP = _("The host unit of a secondment must be a township-level unit.")
HOST_OUTSIDE_COUNTY = _("The host township must be in the same county as the sending department.")
SECONDMENT_OVERLAP = _(
    "The cadre already has a secondment (%(period)s) overlapping this one; a cadre serves in one township at a time."
)
SECONDMENT_WHILE_POSTED = _(
    "The cadre is on a posting (exchange or selection) not yet ended; a cadre serves in one place at a time."
)
SECONDMENT_ENDED = _("This secondment has ended or was declined and can no longer change.")
SECONDMENT_PARTIES_FIXED = _(
    "The cadre, the sending department and the host township of a secondment are fixed once it is drafted "
    "(they are what the county organisation department approves); decline it and draft another."
)
SECONDMENT_NOT_IN_FORCE = _("The secondment is not in force.")
END_REASON_REQUIRED = _("Ending a secondment needs a reason.")
END_BEFORE_START = _("A secondment cannot end before it started.")

CYCLE_NOT_PERMITTED = _("You may run an assessment cycle only for townships where you approve assessments.")
CYCLE_HOST_NOT_TOWNSHIP = _("An assessment cycle covers township-level units only.")
CYCLE_NEEDS_HOSTS = _("An assessment cycle must cover at least one township.")
CYCLE_CLOSED = _("The assessment cycle “%(cycle)s” is closed; nothing in it can change.")
CYCLE_COUNTY_NOT_PERMITTED = _("Only the county organisation department opens and runs a county-wide assessment cycle.")
CYCLE_COUNTY_NOT_COUNTY = _("A county-wide assessment cycle names a county-level unit.")
CYCLE_QUOTA_BY_ORGANISATION = _(
    "The excellent quota's pool, share and ceiling are set by the county organisation department; "
    "a township's own cycle keeps the defaults until it does."
)
CYCLE_UNRESOLVED = _(
    "The cycle cannot close while %(count)s assessments are unresolved: %(names)s. The townships finish "
    "them, or the county organisation department settles each as not graded (不定等次) with a reason."
)
UNGRADED_NOT_PERMITTED = _("Only the county organisation department settles an assessment as not graded.")
UNGRADED_NOT_UNRESOLVED = _("Only an unfinished assessment can be settled as not graded; this one is “%(state)s”.")
REVIEW_NOT_RECORDER = _(
    "A review request is recorded on the cadre's behalf by the host township or the county organisation department."
)
REVIEW_CYCLE_OPEN = _("A review is asked for once the cycle has closed and its grades are final.")
REVIEW_NOT_FINAL = _("Only a final grade (approved, or not graded) can be reviewed; this one is “%(state)s”.")
REVIEW_ALREADY = _("A review of this assessment has already been asked for.")
REVIEW_OUT_OF_PERIOD = _(
    "A review must be asked for in writing within %(days)s days of the cycle's close (%(start)s to %(end)s); "
    "the request is dated %(date)s."
)
REVIEW_IN_FUTURE = _("The date of the written request cannot be later than today.")
REVIEW_NEEDS_GROUNDS = _("Record the grounds the cadre gives for the review.")
REVIEW_NOT_DECIDER = _("Only the county organisation department decides a review.")
REVIEW_NOT_REQUESTED = _("This assessment has no review awaiting decision.")
REVIEW_NEEDS_NEW_GRADE = _("Changing the grade names a new grade different from the present one.")
CYCLE_QUOTA_FIXED = _("The excellent quota can no longer change: assessments of this cycle have been approved.")
QUOTA_SET_REASON = _("Excellent quota: pooled by %(pool)s, share %(percent)s%%, hard ceiling %(ceiling)s%%.")

ASSESSMENT_NOT_DRAFTER = _("Only a clerk or supervisor of the host township may draft and submit this assessment.")
ASSESSMENT_NOT_EDITABLE = _("Only a draft or returned assessment can be edited or submitted; this one is “%(state)s”.")
ASSESSMENT_NEEDS_GRADE = _("Choose a grade before submitting the assessment.")
ASSESSMENT_NOT_APPROVER = _("Only a supervisor of the host township may approve, return or reopen this assessment.")
ASSESSMENT_OWN_DRAFT = _("You drafted or submitted this assessment, so you may not approve or return it.")
ASSESSMENT_NOT_SUBMITTED = _("Only a submitted assessment can be approved or returned; this one is “%(state)s”.")
ASSESSMENT_NOT_APPROVED = _("Only an approved assessment can be reopened; this one is “%(state)s”.")
REASON_REQUIRED = _("Give a reason.")
CYCLE_ONE_COUNTY = _("An assessment cycle covers townships of one county.")

NOMINATION_NOT_PERMITTED = _("Only a supervisor of the host township may nominate a cadre seconded to it.")
NOMINATION_NOT_DECIDER = _("Only the county organisation department may accept or decline this nomination.")
NOMINATION_DECIDED = _("This nomination has already been decided.")
DECLINE_REASON_REQUIRED = _("Declining a nomination needs a reason.")

PROPOSAL_NOT_PROPOSER = _(
    "Only the county organisation department or the sending department may propose "
    "or carry out an appointment of this cadre."
)
PROPOSAL_NEEDS_RANK = _("A promotion names the new rank.")
PROPOSAL_RANK_BEFORE_2019 = _(
    "“%(rank)s” is a rank name used before 2019, kept for older records only; name the rank in today's words."
)
PROPOSAL_NEEDS_POST = _("An appointment to another post names the new post.")
PROPOSAL_NOT_DECIDER = _("Only a supervisor of the host township may consent to or veto this proposal.")
PROPOSAL_DECIDED = _("The township has already decided on this proposal.")
VETO_REASON_REQUIRED = _("A veto needs a reason.")
PROPOSAL_VETOED = _("The host township vetoed this proposal; a vetoed proposal can never be carried out.")
PROPOSAL_NOT_CONSENTED = _("A proposal can be carried out only after the host township has consented.")
PROPOSAL_NOT_YET_EFFECTIVE = _("This proposal takes effect on %(date)s and cannot be carried out before then.")


# --- helpers ---


def _require(user, capability: str, unit_id, message) -> None:
    if not holds(user, capability, unit_id):
        raise ValidationError(message, code="permission")


def _move(queryset, *, pk, from_states, to_state, message, params=None, **changes) -> None:
    """The race-safe state change: exactly one row must still be in a state it may leave."""
    moved = queryset.filter(pk=pk, state__in=from_states).update(state=to_state, **changes)
    if moved != 1:
        raise ValidationError(message, code="state", params=params)


def _record(instance, *, actor, reason: str = "") -> None:
    """Reload after a queryset update and write the field-level history row that update() skips."""
    instance.refresh_from_db()
    type(instance).history.bulk_history_create(
        [instance], update=True, default_user=actor, default_change_reason=reason[:100]
    )


# --- cadres ---


def cadre_validate(*, actor, cadre: Cadre) -> None:
    """Every check a cadre record must pass (form, service and, later, the importer)."""
    cadre.full_clean()
    _require(actor, Capability.SEE_RECORDS, cadre.home_unit_id, CADRE_OUTSIDE_SCOPE)
    if cadre.pk:
        stored = Cadre.objects.filter(pk=cadre.pk).values_list("home_unit_id", flat=True).first()
        _require(actor, Capability.SEE_RECORDS, stored, CADRE_OUTSIDE_SCOPE)


@transaction.atomic
def cadre_save(*, actor, cadre: Cadre) -> Cadre:
    cadre_validate(actor=actor, cadre=cadre)
    cadre._history_user = actor
    cadre.save()
    return cadre


# --- secondments ---


def _overlapping(secondment: Secondment):
    """Other secondments of the cadre whose period meets this one (an open end runs forever; a
    declined one never ran)."""
    others = Secondment.objects.filter(cadre_id=secondment.cadre_id).exclude(pk=secondment.pk)
    others = others.exclude(state=SecondmentState.DECLINED)
    others = others.filter(Q(actual_end__isnull=True) | Q(actual_end__gte=secondment.start_date))
    if secondment.actual_end is not None:
        others = others.filter(start_date__lte=secondment.actual_end)
    return others


def secondment_validate(*, actor, secondment: Secondment, exclude=()) -> None:
    """The rules of a secondment, reusable by the importer: who drafts it (the sending department,
    or the county organisation department for it), which units, no overlap. Field and unit errors are
    raised together; ``exclude``: fields whose value could not be read (the importer reported them)."""
    sending, host = secondment.sending_unit, secondment.host_unit
    if not holds(actor, Capability.PROPOSE_APPOINTMENT, sending.pk):
        raise ValidationError(SECONDMENT_NOT_PERMITTED, code="permission")
    errors = {}
    try:
        secondment.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if sending.kind != UnitKind.DEPARTMENT:
        errors.setdefault("sending_unit", []).append(ValidationError(SENDING_UNIT_NOT_DEPARTMENT))
    elif secondment.cadre.home_unit_id != sending.pk:
        errors.setdefault("sending_unit", []).append(ValidationError(SENDING_UNIT_NOT_HOME))
    if not host.is_township_level:
        errors.setdefault("host_unit", []).append(ValidationError(HOST_NOT_TOWNSHIP))
    elif host.parent_id != sending.parent_id:
        errors.setdefault("host_unit", []).append(ValidationError(HOST_OUTSIDE_COUNTY))
    if errors:
        raise ValidationError(errors)
    clash = _overlapping(secondment).first()
    if clash is not None:
        period = f"{clash.start_date} – {clash.actual_end or '…'}"
        raise ValidationError(SECONDMENT_OVERLAP, code="overlap", params={"period": period})
    _refuse_while_posted(secondment)


def _refuse_while_posted(secondment: Secondment) -> None:
    """One place at a time, as ``posting_validate`` refuses a posting while a secondment is live."""
    if secondment.actual_end is None and Posting.objects.live().filter(cadre_id=secondment.cadre_id).exists():
        raise ValidationError({"cadre": SECONDMENT_WHILE_POSTED})


def _secondment_step(secondment: Secondment, *, actor, from_state, to_state, reason: str = "") -> None:
    SecondmentTransition.objects.create(
        secondment=secondment, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )


def secondment_record_check(*, actor, secondment: Secondment) -> None:
    """May ``actor`` record this secondment as already in force (a file of past records)?"""
    if not holds(actor, Capability.ORGANISE_CADRES, secondment.sending_unit_id):
        raise ValidationError(SECONDMENT_RECORD_NOT_PERMITTED, code="permission")


def _parties(secondment: Secondment) -> tuple[int, int, int]:
    return secondment.cadre_id, secondment.sending_unit_id, secondment.host_unit_id


@transaction.atomic
def secondment_save(*, actor, secondment: Secondment, already_arrived: bool = False) -> Secondment:
    """Draft a new secondment (the sending department's hand), or correct one not yet ended.

    ``already_arrived``: record one that has been in force since its start date (importing past
    records): the county organisation department's alone, as it would have approved it."""
    # Serialise work on one cadre's secondments; the partial unique constraint backs it.
    Cadre.objects.select_for_update().filter(pk=secondment.cadre_id).first()
    creating = secondment.pk is None
    if not creating:
        stored = Secondment.objects.filter(pk=secondment.pk, state__in=LIVE_SECONDMENT_STATES).first()
        if stored is None:
            raise ValidationError(SECONDMENT_ENDED, code="state")
        if _parties(stored) != _parties(secondment):
            raise ValidationError(SECONDMENT_PARTIES_FIXED, code="parties")
    secondment_validate(actor=actor, secondment=secondment)
    if creating and already_arrived:
        secondment_record_check(actor=actor, secondment=secondment)
        secondment.state, secondment.arrived_on = SecondmentState.IN_FORCE, secondment.start_date
        secondment.approved_by = secondment.arrival_confirmed_by = actor
    secondment._history_user = actor
    try:
        with transaction.atomic():
            secondment.save()
    except IntegrityError:
        raise ValidationError(SECONDMENT_ONE_IN_FORCE, code="overlap") from None
    if creating:
        _secondment_step(secondment, actor=actor, from_state="", to_state=secondment.state)
    return secondment


@transaction.atomic
def secondment_approve(*, actor, secondment: Secondment) -> None:
    """The county organisation department approves a drafted secondment (the second hand)."""
    _require(actor, Capability.ORGANISE_CADRES, secondment.sending_unit_id, SECONDMENT_NOT_APPROVER)
    # Serialise with postings and secondments of the same cadre (posting_save takes the same lock).
    Cadre.objects.select_for_update().filter(pk=secondment.cadre_id).first()
    _refuse_while_posted(secondment)
    _move(
        Secondment.objects,
        pk=secondment.pk,
        from_states=[SecondmentState.DRAFTED],
        to_state=SecondmentState.APPROVED,
        message=SECONDMENT_NOT_DRAFTED,
        params={"state": secondment.get_state_display()},
        approved_by=actor,
    )
    _secondment_step(secondment, actor=actor, from_state=SecondmentState.DRAFTED, to_state=SecondmentState.APPROVED)
    _record(secondment, actor=actor)


@transaction.atomic
def secondment_decline(*, actor, secondment: Secondment, reason: str) -> None:
    """The county organisation department declines a drafted secondment, with a reason (final)."""
    _require(actor, Capability.ORGANISE_CADRES, secondment.sending_unit_id, SECONDMENT_NOT_APPROVER)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED, code="reason")
    _move(
        Secondment.objects,
        pk=secondment.pk,
        from_states=[SecondmentState.DRAFTED],
        to_state=SecondmentState.DECLINED,
        message=SECONDMENT_NOT_DRAFTED,
        params={"state": secondment.get_state_display()},
        decision_reason=reason,
    )
    _secondment_step(
        secondment, actor=actor, from_state=SecondmentState.DRAFTED, to_state=SecondmentState.DECLINED, reason=reason
    )
    _record(secondment, actor=actor, reason=reason)


@transaction.atomic
def secondment_confirm_arrival(
    *,
    actor,
    secondment: Secondment,
    arrived_on: datetime.date,
    reason: str = "",
    today: datetime.date | None = None,
) -> None:
    """The host township confirms the cadre has reported (报到): the secondment is in force, and
    the cadre in the township's headcount and its assessments, from that day (the third hand).

    The arrival date is the secondment's ``arrived_on``; the step's reason is the clerk's note, if
    any. The row is locked so that a second confirmation waits and is refused naming the state the
    first one left (both read "approved" otherwise, and the refusal would name that)."""
    _require(actor, Capability.RECEIVE_CADRE, secondment.host_unit_id, SECONDMENT_NOT_RECEIVER)
    current = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if current.state != SecondmentState.APPROVED:
        raise ValidationError(SECONDMENT_NOT_APPROVED, code="state", params={"state": current.get_state_display()})
    if arrived_on > (today or timezone.localdate()):
        raise ValidationError({"arrived_on": ARRIVAL_IN_FUTURE})
    if arrived_on < current.start_date:
        raise ValidationError(
            {"arrived_on": ValidationError(ARRIVAL_BEFORE_START, params={"date": current.start_date})}
        )
    date_in_range(arrived_on)
    _move(
        Secondment.objects,
        pk=current.pk,
        from_states=[SecondmentState.APPROVED],
        to_state=SecondmentState.IN_FORCE,
        message=SECONDMENT_NOT_APPROVED,
        params={"state": current.get_state_display()},
        arrived_on=arrived_on,
        arrival_confirmed_by=actor,
    )
    _secondment_step(
        current,
        actor=actor,
        from_state=SecondmentState.APPROVED,
        to_state=SecondmentState.IN_FORCE,
        reason=reason.strip(),
    )
    _record(current, actor=actor, reason=reason.strip())


def _secondment_close(*, actor, secondment: Secondment, end_date: datetime.date, reason: str) -> None:
    if not reason.strip():
        raise ValidationError(END_REASON_REQUIRED, code="reason")
    if end_date < (secondment.arrived_on or secondment.start_date):
        raise ValidationError(END_BEFORE_START, code="end_date")
    date_in_range(end_date)
    ended = Secondment.objects.filter(pk=secondment.pk, state=SecondmentState.IN_FORCE).update(
        state=SecondmentState.ENDED, actual_end=end_date, ended_by=actor, end_reason=reason
    )
    if ended != 1:
        raise ValidationError(SECONDMENT_NOT_IN_FORCE, code="state")
    _secondment_step(
        secondment, actor=actor, from_state=SecondmentState.IN_FORCE, to_state=SecondmentState.ENDED, reason=reason
    )
    _record(secondment, actor=actor, reason=reason)


@transaction.atomic
def secondment_end(*, actor, secondment: Secondment, end_date: datetime.date, reason: str) -> None:
    """End a secondment in force, recording who and why."""
    if not (
        holds(actor, Capability.PROPOSE_APPOINTMENT, secondment.sending_unit_id)
        and holds(actor, Capability.SEE_RECORDS, secondment.host_unit_id)
    ):
        raise ValidationError(SECONDMENT_NOT_PERMITTED, code="permission")
    _secondment_close(actor=actor, secondment=secondment, end_date=end_date, reason=reason)


# --- assessment cycles ---


_QUOTA_FIELDS = ("quota_pool", "excellent_cap_percent", "excellent_ceiling_percent")


def _organises(actor, county_id) -> bool:
    return holds(actor, Capability.ORGANISE_CADRES, county_id)


def cycle_validate(*, actor, cycle: AssessmentCycle, host_units=()) -> None:
    """A county-wide cycle covers every township of its county and is opened by the county
    organisation department; a township cycle is opened by the supervisor of each of its townships.
    Only the organisation department sets the excellent quota's pool, share and ceiling."""
    if cycle.scope == CycleScope.COUNTY:
        host_units = _county_cycle_hosts(actor, cycle)
    cycle.full_clean(exclude=["opened_by", "county"])
    host_units = list(host_units)
    if not host_units:
        raise ValidationError({"host_units": CYCLE_NEEDS_HOSTS})
    if any(not unit.is_township_level for unit in host_units):
        raise ValidationError({"host_units": CYCLE_HOST_NOT_TOWNSHIP})
    if len({unit.parent_id for unit in host_units}) != 1:
        raise ValidationError({"host_units": CYCLE_ONE_COUNTY})
    cycle.county_id = host_units[0].parent_id
    if cycle.scope == CycleScope.TOWNSHIP:
        allowed = set(
            units_for(actor, Capability.APPROVE_ASSESSMENT)
            .filter(pk__in=[u.pk for u in host_units])
            .values_list("pk", flat=True)
        )
        if len(allowed) != len({u.pk for u in host_units}):
            raise ValidationError(CYCLE_NOT_PERMITTED, code="permission")
    defaults = AssessmentCycle()
    custom = any(getattr(cycle, name) != getattr(defaults, name) for name in _QUOTA_FIELDS)
    if custom and not _organises(actor, cycle.county_id):
        raise ValidationError(CYCLE_QUOTA_BY_ORGANISATION, code="permission")


def _county_cycle_hosts(actor, cycle: AssessmentCycle) -> list[Unit]:
    county = cycle.county if cycle.county_id else None
    if county is None or county.level != UnitLevel.COUNTY:
        raise ValidationError({"county": CYCLE_COUNTY_NOT_COUNTY})
    if not _organises(actor, county.pk):
        raise ValidationError(CYCLE_COUNTY_NOT_PERMITTED, code="permission")
    return list(Unit.objects.filter(parent=county).township_level().order_by("path"))


def cycle_hosts(*, actor, cycle: AssessmentCycle, host_units=()) -> list[Unit]:
    """The townships a new cycle covers: the county's for a county-wide one, else those named."""
    return _county_cycle_hosts(actor, cycle) if cycle.scope == CycleScope.COUNTY else list(host_units)


@transaction.atomic
def cycle_open(*, actor, cycle: AssessmentCycle, host_units=()) -> AssessmentCycle:
    """Open a cycle and generate one draft assessment per secondment in force in its townships."""
    cycle_validate(actor=actor, cycle=cycle, host_units=host_units)
    host_units = cycle_hosts(actor=actor, cycle=cycle, host_units=host_units)
    cycle.opened_by = actor
    cycle._history_user = actor
    cycle.save()
    cycle.host_units.set(host_units)
    CycleTransition.objects.create(cycle=cycle, actor=actor, to_state=CycleState.OPEN)
    cycle_generate(actor=actor, cycle=cycle)
    return cycle


def _cycle_locked(cycle_id, *, exclusive: bool = False) -> AssessmentCycle:
    """The cycle, refused if closed. Steps on its assessments share-lock its row (PostgreSQL
    ``FOR SHARE``): they run side by side across the county's townships, while closing the cycle
    or changing its quota (``exclusive``) waits for them and they for it. The excellent quota is
    locked on its pool (``staffing.quota.pool_lock``), not here."""
    if exclusive:
        cycle = AssessmentCycle.objects.select_for_update().get(pk=cycle_id)
    else:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = AssessmentCycle._meta.db_table
                cursor.execute(f'SELECT 1 FROM "{table}" WHERE id = %s FOR SHARE', [cycle_id])
        cycle = AssessmentCycle.objects.get(pk=cycle_id)
    if cycle.state != CycleState.OPEN:
        raise ValidationError(CYCLE_CLOSED, code="closed", params={"cycle": cycle.name})
    return cycle


def cycle_runner(actor, cycle: AssessmentCycle) -> bool:
    """A county-wide cycle is run by the county organisation department; a township cycle by whoever
    approves assessments in every one of its townships."""
    if cycle.scope == CycleScope.COUNTY:
        return _organises(actor, cycle.county_id)
    hosts = set(cycle.host_units.values_list("pk", flat=True))
    allowed = units_for(actor, Capability.APPROVE_ASSESSMENT).filter(pk__in=hosts).values_list("pk", flat=True)
    return bool(hosts) and set(allowed) == hosts


def _require_cycle_runner(actor, cycle: AssessmentCycle) -> None:
    if not cycle_runner(actor, cycle):
        raise ValidationError(
            CYCLE_COUNTY_NOT_PERMITTED if cycle.scope == CycleScope.COUNTY else CYCLE_NOT_PERMITTED, code="permission"
        )


@transaction.atomic
def cycle_quota_set(
    *, actor, cycle: AssessmentCycle, quota_pool: str, excellent_cap_percent: int, excellent_ceiling_percent: int
) -> None:
    """The county organisation department sets (or resets) how a cycle of its county pools the
    excellent quota, until the first assessment of the cycle is approved."""
    cycle = _cycle_locked(cycle.pk, exclusive=True)
    if not _organises(actor, cycle.county_id):
        raise ValidationError(CYCLE_QUOTA_BY_ORGANISATION, code="permission")
    if cycle.assessments.filter(state=AssessmentState.APPROVED).exists():
        raise ValidationError(CYCLE_QUOTA_FIXED, code="state")
    cycle.quota_pool = quota_pool
    cycle.excellent_cap_percent = excellent_cap_percent
    cycle.excellent_ceiling_percent = excellent_ceiling_percent
    cycle.full_clean(exclude=["opened_by"])
    AssessmentCycle.objects.filter(pk=cycle.pk).update(**{name: getattr(cycle, name) for name in _QUOTA_FIELDS})
    reason = str(
        QUOTA_SET_REASON
        % {
            "pool": cycle.get_quota_pool_display(),
            "percent": excellent_cap_percent,
            "ceiling": excellent_ceiling_percent,
        }
    )
    CycleTransition.objects.create(
        cycle=cycle, actor=actor, from_state=CycleState.OPEN, to_state=CycleState.OPEN, reason=reason
    )
    _record(cycle, actor=actor, reason=reason)
    pools_create(cycle=cycle)


@transaction.atomic
def cycle_generate(*, actor, cycle: AssessmentCycle) -> int:
    """Add a draft for every secondment in force in the cycle's townships that has none yet."""
    cycle = _cycle_locked(cycle.pk, exclusive=True)
    _require_cycle_runner(actor, cycle)
    secondments = (
        Secondment.objects.in_force()
        .filter(host_unit__in=cycle.host_units.all())
        .exclude(assessments__cycle=cycle)
        .select_related("cadre")
    )
    created = 0
    for secondment in secondments:
        assessment = Assessment(
            cycle=cycle,
            secondment=secondment,
            cadre=secondment.cadre,
            host_unit_id=secondment.host_unit_id,
            sending_unit_id=secondment.sending_unit_id,
            post=secondment.post,
        )
        assessment._history_user = actor
        assessment.save()
        AssessmentTransition.objects.create(assessment=assessment, actor=actor, to_state=AssessmentState.DRAFT, round=0)
        created += 1
    pools_create(cycle=cycle)
    return created


@transaction.atomic
def cycle_close(*, actor, cycle: AssessmentCycle) -> None:
    """Close a cycle whose every assessment is final (approved, or settled as not graded)."""
    locked = _cycle_locked(cycle.pk, exclusive=True)
    _require_cycle_runner(actor, locked)
    unresolved = list(
        locked.assessments.filter(state__in=UNRESOLVED_STATES)
        .select_related("cadre", "host_unit")
        .order_by("host_unit__path", "cadre__name", "pk")
    )
    if unresolved:
        raise ValidationError(
            CYCLE_UNRESOLVED, code="unresolved", params={"count": len(unresolved), "names": _names(unresolved)}
        )
    _move(
        AssessmentCycle.objects,
        pk=cycle.pk,
        from_states=[CycleState.OPEN],
        to_state=CycleState.CLOSED,
        message=CYCLE_CLOSED,
        params={"cycle": cycle.name},
        closed_by=actor,
        closed_at=timezone.now(),
    )
    CycleTransition.objects.create(cycle=cycle, actor=actor, from_state=CycleState.OPEN, to_state=CycleState.CLOSED)
    _record(cycle, actor=actor)


def _names(assessments, shown: int = 10) -> str:
    """「张三（城关镇·草稿）、…」: the first ``shown`` of a list, and how many more."""
    names = "、".join(f"{a.cadre.name}（{a.host_unit.name}·{a.get_state_display()}）" for a in assessments[:shown])
    more = len(assessments) - shown
    return names + (str(_("… and %(n)s more") % {"n": more}) if more > 0 else "")


# --- assessments ---


def _transition(assessment: Assessment, *, actor, from_state, to_state, round_number, reason="") -> None:
    AssessmentTransition.objects.create(
        assessment=assessment, actor=actor, from_state=from_state, to_state=to_state, round=round_number, reason=reason
    )


EDITABLE_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)


def assessment_draft_check(*, actor, assessment: Assessment) -> None:
    """May ``actor`` edit ``assessment`` now? (The edit form asks before showing errors.)"""
    _require(actor, Capability.DRAFT_ASSESSMENT, assessment.host_unit_id, ASSESSMENT_NOT_DRAFTER)
    if assessment.state not in EDITABLE_STATES:
        raise ValidationError(ASSESSMENT_NOT_EDITABLE, code="state", params={"state": assessment.get_state_display()})


@transaction.atomic
def assessment_draft(*, actor, assessment: Assessment, grade: str, score, comments: str) -> None:
    """Write the grade, score and comments of a draft or returned assessment."""
    _cycle_locked(assessment.cycle_id)
    current = Assessment.objects.get(pk=assessment.pk)
    assessment_draft_check(actor=actor, assessment=current)
    current.grade, current.score, current.comments = grade, score, comments
    current.full_clean(exclude=["drafted_by", "submitted_by", "approved_by"])
    _move(
        Assessment.objects,
        pk=assessment.pk,
        from_states=[current.state],
        to_state=current.state,
        message=ASSESSMENT_NOT_EDITABLE,
        params={"state": current.get_state_display()},
        grade=grade,
        score=score,
        comments=comments,
        drafted_by=actor,
    )
    _record(assessment, actor=actor)


@transaction.atomic
def assessment_submit(*, actor, assessment: Assessment) -> None:
    """Clerk → supervisor. Each (re)submission opens a new numbered round."""
    _cycle_locked(assessment.cycle_id)
    current = Assessment.objects.get(pk=assessment.pk)
    assessment_draft_check(actor=actor, assessment=current)
    if not current.grade:
        raise ValidationError(ASSESSMENT_NEEDS_GRADE, code="grade")
    round_number = current.round + 1
    _move(
        Assessment.objects,
        pk=assessment.pk,
        from_states=[current.state],
        to_state=AssessmentState.SUBMITTED,
        message=ASSESSMENT_NOT_EDITABLE,
        params={"state": current.get_state_display()},
        round=round_number,
        submitted_by=actor,
    )
    _transition(
        assessment, actor=actor, from_state=current.state, to_state=AssessmentState.SUBMITTED, round_number=round_number
    )
    _record(assessment, actor=actor)


def _require_approver(actor, assessment: Assessment) -> None:
    _require(actor, Capability.APPROVE_ASSESSMENT, assessment.host_unit_id, ASSESSMENT_NOT_APPROVER)
    if actor.pk in (assessment.drafted_by_id, assessment.submitted_by_id):
        raise ValidationError(ASSESSMENT_OWN_DRAFT, code="four_eyes")


def _excellent_within_quota(cycle: AssessmentCycle, assessment: Assessment) -> None:
    """Lock the assessment's pool, then refuse an excellent grade beyond its quota, naming the numbers."""
    unit_id = pool_unit_id(cycle, assessment)
    pool_lock(cycle=cycle, unit_id=unit_id)
    quota = pool_quota(cycle=cycle, unit_id=unit_id)
    if quota.approved + 1 > quota.quota:
        raise ValidationError(EXCELLENT_QUOTA_USED_UP, code="excellent_cap", params=quota.params())


@transaction.atomic
def assessment_approve(*, actor, assessment: Assessment) -> None:
    """Supervisor approves a submitted assessment: never their own draft; excellent within its pool's quota."""
    cycle = _cycle_locked(assessment.cycle_id)
    assessment = Assessment.objects.select_related("host_unit").get(pk=assessment.pk)
    _require_approver(actor, assessment)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError(ASSESSMENT_NOT_SUBMITTED, code="state", params={"state": assessment.get_state_display()})
    if assessment.grade == Grade.EXCELLENT:
        _excellent_within_quota(cycle, assessment)
    _move(
        Assessment.objects,
        pk=assessment.pk,
        from_states=[AssessmentState.SUBMITTED],
        to_state=AssessmentState.APPROVED,
        message=ASSESSMENT_NOT_SUBMITTED,
        params={"state": AssessmentState.APPROVED.label},
        approved_by=actor,
        approved_at=timezone.now(),
    )
    _transition(
        assessment,
        actor=actor,
        from_state=AssessmentState.SUBMITTED,
        to_state=AssessmentState.APPROVED,
        round_number=assessment.round,
    )
    _record(assessment, actor=actor)


@transaction.atomic
def assessment_return(*, actor, assessment: Assessment, reason: str) -> None:
    """Supervisor sends a submitted assessment back to the clerk, with a reason."""
    _cycle_locked(assessment.cycle_id)
    assessment = Assessment.objects.get(pk=assessment.pk)
    _require_approver(actor, assessment)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED, code="reason")
    _move(
        Assessment.objects,
        pk=assessment.pk,
        from_states=[AssessmentState.SUBMITTED],
        to_state=AssessmentState.RETURNED,
        message=ASSESSMENT_NOT_SUBMITTED,
        params={"state": assessment.get_state_display()},
    )
    _transition(
        assessment,
        actor=actor,
        from_state=AssessmentState.SUBMITTED,
        to_state=AssessmentState.RETURNED,
        round_number=assessment.round,
        reason=reason,
    )
    _record(assessment, actor=actor, reason=reason)


@transaction.atomic
def assessment_reopen(*, actor, assessment: Assessment, reason: str) -> None:
    """A supervisor reopens an approved assessment (back to the clerk as returned), with a reason."""
    _cycle_locked(assessment.cycle_id)
    assessment = Assessment.objects.get(pk=assessment.pk)
    _require(actor, Capability.APPROVE_ASSESSMENT, assessment.host_unit_id, ASSESSMENT_NOT_APPROVER)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED, code="reason")
    _move(
        Assessment.objects,
        pk=assessment.pk,
        from_states=[AssessmentState.APPROVED],
        to_state=AssessmentState.RETURNED,
        message=ASSESSMENT_NOT_APPROVED,
        params={"state": assessment.get_state_display()},
        approved_by=None,
        approved_at=None,
    )
    _transition(
        assessment,
        actor=actor,
        from_state=AssessmentState.APPROVED,
        to_state=AssessmentState.RETURNED,
        round_number=assessment.round,
        reason=reason,
    )
    _record(assessment, actor=actor, reason=reason)


# --- nominations ---


def nomination_validate(*, actor, nomination: Nomination) -> None:
    secondment = nomination.secondment
    if not secondment.in_force:
        raise ValidationError({"secondment": SECONDMENT_NOT_IN_FORCE})
    _require(actor, Capability.NOMINATE_CADRE, secondment.host_unit_id, NOMINATION_NOT_PERMITTED)
    nomination.cadre_id, nomination.host_unit_id, nomination.nominated_by = (
        secondment.cadre_id,
        secondment.host_unit_id,
        actor,
    )
    nomination.full_clean()
    if Nomination.objects.filter(secondment=secondment, kind=nomination.kind, state=NominationState.SUBMITTED).exists():
        raise ValidationError(NOMINATION_DUPLICATE, code="duplicate")


@transaction.atomic
def nomination_create(*, actor, nomination: Nomination) -> Nomination:
    """A township supervisor nominates a cadre seconded to the township (推荐提名权)."""
    Secondment.objects.select_for_update().filter(pk=nomination.secondment_id).first()
    nomination_validate(actor=actor, nomination=nomination)
    nomination._history_user = actor
    nomination.save()
    NominationTransition.objects.create(nomination=nomination, actor=actor, to_state=NominationState.SUBMITTED)
    return nomination


@transaction.atomic
def nomination_decide(*, actor, nomination: Nomination, accept: bool, reason: str = "") -> None:
    """The county organisation department accepts, or declines with a reason."""
    _require(actor, Capability.DECIDE_NOMINATION, nomination.host_unit_id, NOMINATION_NOT_DECIDER)
    if not accept and not reason.strip():
        raise ValidationError(DECLINE_REASON_REQUIRED, code="reason")
    to_state = NominationState.ACCEPTED if accept else NominationState.DECLINED
    _move(
        Nomination.objects,
        pk=nomination.pk,
        from_states=[NominationState.SUBMITTED],
        to_state=to_state,
        message=NOMINATION_DECIDED,
        decided_by=actor,
        decision_reason=reason,
    )
    NominationTransition.objects.create(
        nomination=nomination, actor=actor, from_state=NominationState.SUBMITTED, to_state=to_state, reason=reason
    )
    _record(nomination, actor=actor, reason=reason)


# --- appointment proposals and the veto ---


def proposal_validate(*, actor, proposal: AppointmentProposal) -> None:
    secondment = proposal.secondment
    if not secondment.in_force:
        raise ValidationError({"secondment": SECONDMENT_NOT_IN_FORCE})
    _require(actor, Capability.PROPOSE_APPOINTMENT, secondment.sending_unit_id, PROPOSAL_NOT_PROPOSER)
    proposal.cadre_id = secondment.cadre_id
    proposal.host_unit_id, proposal.sending_unit_id = secondment.host_unit_id, secondment.sending_unit_id
    proposal.proposed_by = actor
    proposal.full_clean()
    if proposal.action == ProposalAction.PROMOTE and not proposal.new_rank:
        raise ValidationError({"new_rank": PROPOSAL_NEEDS_RANK})
    if proposal.new_rank:
        _proposal_rank_check(proposal.new_rank, secondment.cadre)
    if proposal.action == ProposalAction.APPOINT and not proposal.new_post:
        raise ValidationError({"new_post": PROPOSAL_NEEDS_POST})


def _proposal_rank_check(rank: str, cadre: Cadre) -> None:
    """The new rank is one of the cadre's staff category, in today's words (staffing.ranks)."""
    if rank_before_2019(rank):
        error = ValidationError(PROPOSAL_RANK_BEFORE_2019, params={"rank": Rank(rank).label})
        raise ValidationError({"new_rank": error})
    if not rank_fits(rank, cadre.staff_category):
        error = ValidationError(RANK_NOT_OF_CATEGORY, params=rank_error_params(rank, cadre.staff_category))
        raise ValidationError({"new_rank": error})


@transaction.atomic
def proposal_create(*, actor, proposal: AppointmentProposal) -> AppointmentProposal:
    """The county organisation department or the sending department proposes (任用)."""
    proposal_validate(actor=actor, proposal=proposal)
    proposal._history_user = actor
    proposal.save()
    ProposalTransition.objects.create(proposal=proposal, actor=actor, to_state=ProposalState.PROPOSED)
    return proposal


@transaction.atomic
def proposal_consent(*, actor, proposal: AppointmentProposal, reason: str = "") -> None:
    _require(actor, Capability.DECIDE_APPOINTMENT, proposal.host_unit_id, PROPOSAL_NOT_DECIDER)
    _move(
        AppointmentProposal.objects,
        pk=proposal.pk,
        from_states=[ProposalState.PROPOSED],
        to_state=ProposalState.CONSENTED,
        message=PROPOSAL_DECIDED,
        decided_by=actor,
        consented_at=timezone.now(),
        decision_reason=reason,
    )
    ProposalTransition.objects.create(
        proposal=proposal,
        actor=actor,
        from_state=ProposalState.PROPOSED,
        to_state=ProposalState.CONSENTED,
        reason=reason,
    )
    _record(proposal, actor=actor, reason=reason)


@transaction.atomic
def proposal_veto(*, actor, proposal: AppointmentProposal, reason: str) -> None:
    """The host township's veto (任用否决权): final for this proposal."""
    _require(actor, Capability.DECIDE_APPOINTMENT, proposal.host_unit_id, PROPOSAL_NOT_DECIDER)
    if not reason.strip():
        raise ValidationError(VETO_REASON_REQUIRED, code="reason")
    _move(
        AppointmentProposal.objects,
        pk=proposal.pk,
        from_states=[ProposalState.PROPOSED],
        to_state=ProposalState.VETOED,
        message=PROPOSAL_DECIDED,
        decided_by=actor,
        decision_reason=reason,
    )
    ProposalTransition.objects.create(
        proposal=proposal, actor=actor, from_state=ProposalState.PROPOSED, to_state=ProposalState.VETOED, reason=reason
    )
    _record(proposal, actor=actor, reason=reason)


@transaction.atomic
def proposal_carry_out(*, actor, proposal: AppointmentProposal, today: datetime.date | None = None) -> None:
    """Carry out a consented proposal on or after its effective date. A recall ends the secondment."""
    proposal = AppointmentProposal.objects.select_for_update().select_related("secondment", "cadre").get(pk=proposal.pk)
    _require(actor, Capability.PROPOSE_APPOINTMENT, proposal.sending_unit_id, PROPOSAL_NOT_PROPOSER)
    if proposal.state == ProposalState.VETOED:
        raise ValidationError(PROPOSAL_VETOED, code="vetoed")
    if proposal.state != ProposalState.CONSENTED:
        raise ValidationError(PROPOSAL_NOT_CONSENTED, code="state")
    today = today or timezone.localdate()
    if today < proposal.effective_date:
        raise ValidationError(PROPOSAL_NOT_YET_EFFECTIVE, code="not_yet", params={"date": proposal.effective_date})
    _move(
        AppointmentProposal.objects,
        pk=proposal.pk,
        from_states=[ProposalState.CONSENTED],
        to_state=ProposalState.CARRIED_OUT,
        message=PROPOSAL_NOT_CONSENTED,
        carried_out_by=actor,
        carried_out_at=timezone.now(),
    )
    ProposalTransition.objects.create(
        proposal=proposal, actor=actor, from_state=ProposalState.CONSENTED, to_state=ProposalState.CARRIED_OUT
    )
    _record(proposal, actor=actor)
    cadre = proposal.cadre
    if proposal.new_rank:
        cadre.rank = proposal.new_rank
    if proposal.new_post:
        cadre.current_post = proposal.new_post
    if proposal.new_rank or proposal.new_post:
        cadre._history_user = actor
        cadre.save(update_fields=["rank", "current_post"])
    if proposal.action == ProposalAction.RECALL:
        reason = str(_("Recalled under appointment proposal no. %(number)s.") % {"number": proposal.pk})
        _secondment_close(
            actor=actor,
            secondment=proposal.secondment,
            end_date=max(proposal.effective_date, proposal.secondment.start_date),
            reason=reason,
        )


# --- settling what is left, and reviews (issue 14: no assessment left hanging) ---


@transaction.atomic
def assessment_settle_ungraded(*, actor, assessment: Assessment, reason: str) -> None:
    """The county organisation department settles an unfinished assessment as not graded (不定等次),
    with a reason, so that the cycle can close (e.g. a cadre on long sick leave, under investigation)."""
    _cycle_locked(assessment.cycle_id)
    current = Assessment.objects.get(pk=assessment.pk)
    _require(actor, Capability.ORGANISE_CADRES, current.host_unit_id, UNGRADED_NOT_PERMITTED)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED, code="reason")
    _move(
        Assessment.objects,
        pk=current.pk,
        from_states=UNRESOLVED_STATES,
        to_state=AssessmentState.UNGRADED,
        message=UNGRADED_NOT_UNRESOLVED,
        params={"state": current.get_state_display()},
        grade="",
        score=None,
        ungraded_reason=reason,
    )
    _transition(
        current,
        actor=actor,
        from_state=current.state,
        to_state=AssessmentState.UNGRADED,
        round_number=current.round,
        reason=reason,
    )
    _record(current, actor=actor, reason=reason)


def review_period(cycle: AssessmentCycle) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a written request for review may bear (None while the cycle is open)."""
    if cycle.closed_at is None:
        return None
    start = timezone.localdate(cycle.closed_at)
    return start, start + datetime.timedelta(days=cycle.review_days)


def review_request_check(*, actor, assessment: Assessment) -> None:
    """May a review be recorded on this assessment now? (The step is offered when this passes.)"""
    if not (
        holds(actor, Capability.DRAFT_ASSESSMENT, assessment.host_unit_id)
        or holds(actor, Capability.ORGANISE_CADRES, assessment.host_unit_id)
    ):
        raise ValidationError(REVIEW_NOT_RECORDER, code="permission")
    if assessment.cycle.state != CycleState.CLOSED:
        raise ValidationError(REVIEW_CYCLE_OPEN, code="state")
    if assessment.state not in FINAL_STATES:
        raise ValidationError(REVIEW_NOT_FINAL, code="state", params={"state": assessment.get_state_display()})
    if assessment.review_state:
        raise ValidationError(REVIEW_ALREADY, code="review")


@transaction.atomic
def assessment_review_request(
    *, actor, assessment: Assessment, requested_on: datetime.date, grounds: str, today: datetime.date | None = None
) -> None:
    """Record a cadre's written request for review (复核). Cadres are not users of the system: the
    host township or the organisation department records it on their behalf, with the date the
    written request bears, which must fall within the cycle's review period."""
    current = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    review_request_check(actor=actor, assessment=current)
    if not grounds.strip():
        raise ValidationError({"grounds": REVIEW_NEEDS_GROUNDS})
    today = today or timezone.localdate()
    if requested_on > today:
        raise ValidationError({"requested_on": REVIEW_IN_FUTURE})
    start, end = review_period(current.cycle)
    if not start <= requested_on <= end:
        params = {"days": current.cycle.review_days, "start": start, "end": end, "date": requested_on}
        raise ValidationError({"requested_on": ValidationError(REVIEW_OUT_OF_PERIOD, params=params)})
    moved = Assessment.objects.filter(pk=current.pk, review_state="", state__in=FINAL_STATES).update(
        review_state=ReviewState.REQUESTED,
        review_requested_on=requested_on,
        review_grounds=grounds,
        review_recorded_by=actor,
    )
    if moved != 1:
        raise ValidationError(REVIEW_ALREADY, code="review")
    reason = f"{requested_on:%Y-%m-%d}：{grounds}"
    _transition(
        current,
        actor=actor,
        from_state=current.state,
        to_state=ReviewState.REQUESTED,
        round_number=current.round,
        reason=reason,
    )
    _record(current, actor=actor, reason=reason)


@transaction.atomic
def assessment_review_decide(*, actor, assessment: Assessment, change: bool, reason: str, grade: str = "") -> None:
    """The county organisation department upholds the grade or changes it, with a reason; the old
    grade stays in ``grade_before_review``, the timeline and the history. A change to excellent
    must fit the pool's quota like any approval (locked on the pool)."""
    current = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    _require(actor, Capability.ORGANISE_CADRES, current.host_unit_id, REVIEW_NOT_DECIDER)
    if current.review_state != ReviewState.REQUESTED:
        raise ValidationError(REVIEW_NOT_REQUESTED, code="review")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    changes = {"review_decided_by": actor, "review_decided_at": timezone.now(), "review_decision": reason}
    if change:
        if not grade or grade == current.grade:
            raise ValidationError({"grade": REVIEW_NEEDS_NEW_GRADE})
        if grade == Grade.EXCELLENT:
            _excellent_within_quota(current.cycle, current)
        changes.update(grade=grade, grade_before_review=current.grade, state=AssessmentState.APPROVED)
        if current.state == AssessmentState.UNGRADED:
            changes.update(approved_by=actor, approved_at=timezone.now())
    to_state = ReviewState.CHANGED if change else ReviewState.UPHELD
    moved = Assessment.objects.filter(pk=current.pk, review_state=ReviewState.REQUESTED).update(
        review_state=to_state, **changes
    )
    if moved != 1:
        raise ValidationError(REVIEW_NOT_REQUESTED, code="review")
    _transition(
        current,
        actor=actor,
        from_state=ReviewState.REQUESTED,
        to_state=to_state,
        round_number=current.round,
        reason=reason,
    )
    _record(current, actor=actor, reason=reason)
