"""What every case step shares: the actor's right, checked again in the service (never trusting
the admin), and the one transition row the step writes (STYLE.md: one service per step)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseAssignment, CaseTransition
from governance.scoping import holds

CHANGED_MEANWHILE = _("Someone else changed this record meanwhile; reload the page and try again.")


def case_lock(case_id) -> Case:
    """Lock the case row for the rest of the transaction. Every service that adds, moves or closes
    a case's assignments takes this lock first, so they run one at a time per case: "add a
    department" racing "reassign to it" once inserted the same department twice (an
    IntegrityError as a 500, issue 11). FOR NO KEY UPDATE: the steps' own inserts (transition
    rows referencing the case) are not held up by it."""
    return Case.objects.select_for_update(no_key=True).select_related("township", "item").get(pk=case_id)


def actor_require(actor, capability: str, unit, message) -> None:
    if not holds(actor, capability, unit.pk):
        raise ValidationError(message)


def transition_record(
    *,
    case: Case,
    action: str,
    actor,
    at,
    assignment: CaseAssignment | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    rating: str = "",
    on_time: bool | None = None,
) -> CaseTransition:
    return CaseTransition.objects.create(
        case=case,
        township_id=case.township_id,
        assignment=assignment,
        department_id=assignment.department_id if assignment else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        rating=rating,
        on_time=on_time,
        actor=actor,
        at=at,
    )


def state_move(
    model, *, pk: int, old_state: str, actor, reason: str = "", where: dict | None = None, **changes
) -> None:
    """Race-safe state change: only a row still in ``old_state`` (and matching ``where``) moves;
    otherwise nothing is written. The change enters the record's field-level history."""
    if model.objects.filter(pk=pk, state=old_state, **(where or {})).update(**changes) != 1:
        raise ValidationError(CHANGED_MEANWHILE)
    history_write(model, pk=pk, actor=actor, reason=reason)


def history_write(model, *, pk: int, actor, reason: str = "") -> None:
    """A history row for a change made with ``update()``, which simple-history does not see: the
    history page showed only "created" after a whole lifecycle (issue 11). ``actor`` None is the
    system (the overdue sweep)."""
    instance = model.objects.get(pk=pk)
    model.history.bulk_history_create([instance], update=True, default_user=actor, default_change_reason=reason[:100])
