"""Recording an unannounced inspection (四不两直) and raising a case from its finding.

A finding raises its case through ``cases.raising.case_raise``, the clerk's own service: the same
reference numbers, dues on the working-day calendar and the item's co-handling departments
pre-ticked, so whistle-and-report carries it like any other case; the finding keeps the link.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.inspections import Inspection, InspectionFinding
from cases.models import Case, CaseState
from cases.raising import RaiseResult, case_raise, item_co_departments
from cases.transitions import actor_require
from governance.models import UnitLevel
from governance.roles import Capability

INSPECTION_NOT_A_TOWNSHIP = _("An inspection is recorded against a township-level unit.")
MAY_NOT_RECORD_INSPECTION = _("You may not record inspections of this township.")
FINDING_VILLAGE_OUTSIDE = _("The village must belong to the township inspected.")
FINDING_HAS_CASE = _("This finding has already raised case %(reference)s.")
FINDING_NEEDS_ITEM = _("Choose the coordination item the case is raised under.")
INSPECTION_TOWNSHIP_FIXED = _(
    "The township inspected cannot change once findings are recorded: their villages and cases are that township's."
)
CASE_FROM_FINDING_PREFIX = _("Found in an unannounced inspection (四不两直) by %(leader)s on %(date)s: ")


@transaction.atomic
def inspection_save(*, actor, inspection: Inspection) -> Inspection:
    """Record or correct an inspection. Whoever may raise the township's cases records what its
    leaders found on the spot; the inspected township never changes once findings exist."""
    if inspection.township_id is None or inspection.township.level != UnitLevel.TOWNSHIP:
        raise ValidationError({"township": INSPECTION_NOT_A_TOWNSHIP})
    if inspection.pk is not None:
        _township_keep(actor, inspection)
    actor_require(actor, Capability.RAISE_CASE, inspection.township, MAY_NOT_RECORD_INSPECTION)
    if inspection.pk is None:
        inspection.recorded_by = actor
    inspection.full_clean()
    inspection._history_user = actor
    inspection.save()
    return inspection


def _township_keep(actor, inspection: Inspection) -> None:
    """The stored row, locked so a finding recorded meanwhile is seen: whoever corrects the
    inspection must hold its township, and a township with findings stays."""
    stored = Inspection.objects.select_for_update().select_related("township").get(pk=inspection.pk)
    actor_require(actor, Capability.RAISE_CASE, stored.township, MAY_NOT_RECORD_INSPECTION)
    if stored.township_id != inspection.township_id and stored.findings.exists():
        raise ValidationError({"township": INSPECTION_TOWNSHIP_FIXED})


@dataclass(frozen=True)
class FindingResult:
    finding: InspectionFinding
    raised: RaiseResult | None = None

    @property
    def guessed_years(self) -> tuple[int, ...]:
        return self.raised.guessed_years if self.raised else ()


@transaction.atomic
def finding_record(
    *,
    actor,
    inspection: Inspection,
    title: str,
    description: str,
    item=None,
    priority: str,
    village=None,
    place: str = "",
    raise_case: bool = True,
    extra_co_sectors: tuple[str, ...] | list[str] = (),
    now: datetime | None = None,
) -> FindingResult:
    """Record a finding and, in the same step, raise its case (the leader's one click). The
    inspection is locked so its township cannot change under the finding (``inspection_save``)."""
    inspection = Inspection.objects.select_for_update().select_related("township").get(pk=inspection.pk)
    actor_require(actor, Capability.RAISE_CASE, inspection.township, MAY_NOT_RECORD_INSPECTION)
    if village is not None and village.parent_id != inspection.township_id:
        raise ValidationError({"village": FINDING_VILLAGE_OUTSIDE})
    if raise_case and item is None:
        raise ValidationError({"item": FINDING_NEEDS_ITEM})
    finding = InspectionFinding(
        inspection=inspection,
        title=title,
        description=description,
        item=item,
        priority=priority,
        village=village,
        place=place,
        recorded_at=now or timezone.now(),
    )
    finding.full_clean()
    finding._history_user = actor
    finding.save()
    if not raise_case:
        return FindingResult(finding)
    return finding_case_raise(actor=actor, finding=finding, extra_co_sectors=extra_co_sectors, now=now)


@transaction.atomic
def finding_case_raise(
    *, actor, finding: InspectionFinding, extra_co_sectors: tuple[str, ...] | list[str] = (), now=None
) -> FindingResult:
    """Raise the case of a finding recorded earlier: pre-filled from the finding, linked back.
    The item's co-handling departments are all ticked, plus any the leader adds."""
    finding = InspectionFinding.objects.select_for_update().select_related("inspection__township").get(pk=finding.pk)
    inspection = finding.inspection
    if finding.case_id is not None:
        raise ValidationError(FINDING_HAS_CASE, params={"reference": finding.case.reference})
    if finding.item is None:
        raise ValidationError({"item": FINDING_NEEDS_ITEM})
    county = inspection.township.parent
    co_sectors = [*item_co_departments(item=finding.item, county=county), *extra_co_sectors]
    # Stored in the case: written in the site's language (Chinese), whatever the leader's session.
    with translation.override(settings.LANGUAGE_CODE):
        prefix = CASE_FROM_FINDING_PREFIX % {"leader": inspection.leader, "date": inspection.date.isoformat()}
    raised = case_raise(
        actor=actor,
        township=inspection.township,
        item=finding.item,
        title=finding.title,
        description=f"{prefix}{finding.description}",
        priority=finding.priority,
        village=finding.village,
        place=finding.place,
        co_sectors=co_sectors,
        now=now,
    )
    finding.case = raised.case
    finding._history_user = actor
    finding.save(update_fields=["case"])
    return FindingResult(finding, raised)


@dataclass(frozen=True)
class FindingOutcome:
    finding: InspectionFinding
    case: Case | None
    ratings: list[str]

    @property
    def closed(self) -> bool:
        return self.case is not None and self.case.state == CaseState.CLOSED


def inspection_outcomes(*, inspection: Inspection) -> list[FindingOutcome]:
    """Each finding with its case and how the departments' work was rated: how the inspection's
    cases ended (two queries whatever the number of findings)."""
    findings = (
        inspection.findings.select_related("case", "village", "item")
        .prefetch_related("case__assignments__department")
        .order_by("recorded_at", "pk")
    )
    return [
        FindingOutcome(
            finding=finding,
            case=finding.case,
            ratings=[
                f"{assignment.department.name}：{assignment.get_rating_display()}"
                for assignment in (finding.case.assignments.all() if finding.case else [])
                if assignment.rating
            ],
        )
        for finding in findings
    ]
