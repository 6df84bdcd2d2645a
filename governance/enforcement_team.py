"""The township enforcement team's rules ("一支队伍管执法", speech): who may be a member, who keeps
the register, which items lack a credentialled enforcer in which township, and which credentials
run out soon. The admin, the demo and the tests call these functions."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import EnforcementItem, EnforcementMember, Unit, UnitLevel
from governance.roles import Capability
from governance.scoping import holds

# The township's staff clerks and its supervisor (those who draft its staff's assessments) keep
# the team's register: the team is township staff.
MANAGE_TEAM = Capability.DRAFT_ASSESSMENT
EXPIRY_WARNING_DAYS = 30

MEMBER_NOT_A_TOWNSHIP = _("The enforcement team belongs to a township-level unit.")
MAY_NOT_MANAGE_TEAM = _("You may not keep the enforcement team of this township.")
MEMBER_NOT_TOWNSHIP_STAFF = _(
    "%(cadre)s is neither on the staff of %(township)s nor seconded to it and in force there: "
    "only the township's staff can enforce its items."
)
CREDENTIAL_EXPIRED = _("The credential must still be valid when the member is added.")
ITEMS_NOT_IN_FORCE = _("%(items)s is not in force today: only items devolved and in force can be enforced.")


def member_is_township_staff(cadre, township: Unit) -> bool:
    """The township's own staff, or a cadre seconded to it whose secondment is in force."""
    if cadre.home_unit_id == township.pk:
        return True
    return cadre.secondments.filter(host_unit=township).in_force().exists()


def member_validate(*, actor, member: EnforcementMember, items=None, today: datetime.date | None = None) -> None:
    """Every rule ``member_save`` keeps, without saving: the add form asks it, so a refused
    credential or item stays on the form with the person's input (issue 16)."""
    township = member.township
    if township.level != UnitLevel.TOWNSHIP:
        raise ValidationError({"township": MEMBER_NOT_A_TOWNSHIP})
    if not holds(actor, MANAGE_TEAM, township.pk):
        raise ValidationError(MAY_NOT_MANAGE_TEAM)
    if member.cadre_id and not member_is_township_staff(member.cadre, township):
        raise ValidationError(
            {
                "cadre": ValidationError(
                    MEMBER_NOT_TOWNSHIP_STAFF, params={"cadre": member.cadre.name, "township": township.name}
                )
            }
        )
    today = today or timezone.localdate()
    if member.pk is None and member.credential_valid_until and member.credential_valid_until < today:
        raise ValidationError({"credential_valid_until": CREDENTIAL_EXPIRED})
    if items is not None:
        _items_require_in_force(member, items, today)
    member.full_clean()


@transaction.atomic
def member_save(
    *, actor, member: EnforcementMember, items=None, today: datetime.date | None = None
) -> EnforcementMember:
    member_validate(actor=actor, member=member, items=items, today=today)
    member._history_user = actor
    member.save()
    if items is not None:
        member.items.set(items)
    return member


def _items_require_in_force(member: EnforcementMember, items, today: datetime.date) -> None:
    """An item newly given to a member must be in force; one held before stays when withdrawn
    (the member's record keeps it), so re-saving an old member is never refused for it."""
    held = set(member.items.values_list("pk", flat=True)) if member.pk else set()
    added = {item.pk for item in items} - held
    in_force = set(EnforcementItem.objects.in_force_on(today).filter(pk__in=added).values_list("pk", flat=True))
    refused = [item for item in items if item.pk in added - in_force]
    if refused:
        names = "、".join(f"{item.code} {item.name}" for item in refused)
        raise ValidationError({"items": ValidationError(ITEMS_NOT_IN_FORCE, params={"items": names})})


@dataclass(frozen=True)
class Gap:
    township: Unit
    items: list[EnforcementItem]


def items_lacking_enforcer(*, townships, day: datetime.date | None = None) -> list[Gap]:
    """For each township, the enforcement items in force on ``day`` that no member of its team
    holds with a credential valid that day (three queries, whatever the counts)."""
    day = day or timezone.localdate()
    townships = list(townships.filter(level=UnitLevel.TOWNSHIP).order_by("path"))
    items = list(EnforcementItem.objects.in_force_on(day).order_by("code"))
    covered = set(
        EnforcementMember.objects.credentialled_on(day)
        .filter(township__in=townships)
        .values_list("township_id", "items")
    )
    gaps = [Gap(township, [item for item in items if (township.pk, item.pk) not in covered]) for township in townships]
    return [gap for gap in gaps if gap.items]


def credentials_expiring(queryset, *, day: datetime.date | None = None, within: int = EXPIRY_WARNING_DAYS):
    """Members still on the team whose credential runs out within ``within`` days (or has run out)."""
    day = day or timezone.localdate()
    return queryset.filter(left_on__isnull=True, credential_valid_until__lte=day + datetime.timedelta(days=within))
