"""Branch pairing's rules (支部联支部): who keeps the register, what a pair joins, one pair of the
same two branches at a time, activities with their photo, and the county's two lists: villages
without a pair, and pairs with no activity this quarter."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.branch_pairing import BranchKind, BranchPair, PairActivity, PartyBranch
from governance.models import Unit, UnitLevel
from governance.roles import Capability
from governance.scoping import holds

MAY_NOT_KEEP = _("You may not keep the party branches of this unit.")
BRANCH_UNIT_OUTSIDE = _(
    "You may not keep the party branches of “%(unit)s”: the county organisation department keeps its county's, "
    "a township those of the township and its villages."
)
BRANCH_OUTSIDE_COUNTY = _("A party branch sits in a county or in a unit under one.")
VILLAGE_BRANCH_NEEDS_VILLAGE = _("A village branch sits in a village or community.")
OFFICE_BRANCH_IN_VILLAGE = _("An office, institution or enterprise branch cannot sit in a village.")
PAIR_NEEDS_VILLAGE_BRANCH = _("The second branch of a pair must be a village (community) branch.")
PAIR_NEEDS_OFFICE_BRANCH = _("The first branch of a pair must be an office, institution or enterprise branch.")
PAIR_OUTSIDE_COUNTY = _("Both branches must be of the same county.")
PAIR_OVERLAPS = _("These two branches are already paired for part of this period.")
ACTIVITY_OUTSIDE_PAIR = _("The activity's date must fall within the pair's period.")


def may_keep(user, unit: Unit) -> bool:
    """The county organisation department keeps the county's branches (its grant covers the
    subtree); a township's clerks and supervisor keep those of the township and its villages."""
    return holds(user, Capability.ORGANISE_CADRES, unit.pk) or holds(user, Capability.DRAFT_ASSESSMENT, unit.pk)


def counties_of(units) -> dict[int, Unit]:
    """The county each unit lies in (itself if a county), by unit pk, in one query: the county's
    code is one of the codes on the unit's materialised path. A unit above counties has none."""
    units = list(units)
    codes = {code for unit in units for code in unit.path.strip("/").split("/")}
    counties = {county.code: county for county in Unit.objects.filter(level=UnitLevel.COUNTY, code__in=codes)}
    found = {}
    for unit in units:
        county = next((counties[code] for code in unit.path.strip("/").split("/") if code in counties), None)
        if county is not None:
            found[unit.pk] = county
    return found


def branch_place_errors(branch: PartyBranch) -> dict:
    """What is wrong with where the branch sits: a village branch in a village, any other outside one."""
    if branch.kind == BranchKind.VILLAGE and branch.unit.level != UnitLevel.VILLAGE:
        return {"unit": VILLAGE_BRANCH_NEEDS_VILLAGE}
    if branch.kind and branch.kind != BranchKind.VILLAGE and branch.unit.level == UnitLevel.VILLAGE:
        return {"unit": OFFICE_BRANCH_IN_VILLAGE}
    return {}


def branch_validate(*, actor, branch: PartyBranch) -> None:
    """The branch's rules, without saving: the add form asks them so a refusal keeps what was typed.
    Sets the branch's county from its unit."""
    if not may_keep(actor, branch.unit):
        raise ValidationError(MAY_NOT_KEEP)
    errors = branch_place_errors(branch)
    if errors:
        raise ValidationError(errors)
    county = counties_of([branch.unit]).get(branch.unit.pk)
    if county is None:
        raise ValidationError({"unit": BRANCH_OUTSIDE_COUNTY})
    branch.county = county
    branch.full_clean()


@transaction.atomic
def branch_save(*, actor, branch: PartyBranch) -> PartyBranch:
    branch_validate(actor=actor, branch=branch)
    branch._history_user = actor
    branch.save()
    return branch


def pair_validate(*, actor, pair: BranchPair) -> None:
    """The pair's rules, without saving: the add form asks them so a refusal keeps what was typed;
    ``pair_save`` asks them again with the branches locked."""
    office, village = pair.office_branch, pair.village_branch
    if office.kind == BranchKind.VILLAGE:
        raise ValidationError({"office_branch": PAIR_NEEDS_OFFICE_BRANCH})
    if village.kind != BranchKind.VILLAGE:
        raise ValidationError({"village_branch": PAIR_NEEDS_VILLAGE_BRANCH})
    if office.county_id != village.county_id:
        raise ValidationError(PAIR_OUTSIDE_COUNTY)
    if not may_keep(actor, village.unit):
        raise ValidationError(MAY_NOT_KEEP)
    overlapping = BranchPair.objects.filter(office_branch=office, village_branch=village).exclude(pk=pair.pk)
    if pair.end is not None:
        overlapping = overlapping.filter(start__lte=pair.end)
    if overlapping.filter(Q(end__isnull=True) | Q(end__gte=pair.start)).exists():
        raise ValidationError(PAIR_OVERLAPS)
    pair.full_clean()


@transaction.atomic
def pair_save(*, actor, pair: BranchPair) -> BranchPair:
    # The branches' rows are locked so two clerks cannot pair them twice over the same days.
    list(PartyBranch.objects.select_for_update().filter(pk__in=[pair.office_branch_id, pair.village_branch_id]))
    pair_validate(actor=actor, pair=pair)
    pair._history_user = actor
    pair.save()
    return pair


def activity_validate(*, actor, activity: PairActivity) -> None:
    """The activity's rules, without saving: the add form asks them so a refusal keeps what was typed."""
    pair = activity.pair
    if not (may_keep(actor, pair.village_branch.unit) or may_keep(actor, pair.office_branch.unit)):
        raise ValidationError(MAY_NOT_KEEP)
    if activity.date and (activity.date < pair.start or (pair.end and activity.date > pair.end)):
        raise ValidationError({"date": ACTIVITY_OUTSIDE_PAIR})
    activity.full_clean()  # the photo's extension and size, as for case attachments


@transaction.atomic
def activity_record(*, actor, activity: PairActivity) -> PairActivity:
    activity_validate(actor=actor, activity=activity)
    activity._history_user = actor
    activity.save()
    return activity


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _pairs_in_force(day: datetime.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def villages_without_pair(*, villages: QuerySet, day: datetime.date | None = None) -> QuerySet:
    """Villages none of whose branches is paired on ``day`` (one query)."""
    day = day or timezone.localdate()
    paired = BranchPair.objects.filter(_pairs_in_force(day), village_branch__unit=OuterRef("pk"))
    return villages.filter(level=UnitLevel.VILLAGE).exclude(Exists(paired)).order_by("path")


def pairs_without_activity(*, pairs: QuerySet, day: datetime.date | None = None) -> QuerySet:
    """Pairs in force on ``day`` with no joint activity since the quarter began (one query)."""
    day = day or timezone.localdate()
    active = PairActivity.objects.filter(pair=OuterRef("pk"), date__gte=quarter_start(day), date__lte=day)
    return pairs.filter(_pairs_in_force(day)).exclude(Exists(active)).select_related("office_branch", "village_branch")
