"""Writes and reads of village two-committee members (issue 15 item 1): the admin, the importer, the
demo and the tests call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from governance.models import UnitLevel
from governance.roles import Capability
from governance.scoping import holds
from staffing.people.village_committees import (
    DIRECTOR_POSTS,
    SECRETARY_POSTS,
    VillageCommittee,
    VillageMember,
)

MEMBER_OUTSIDE_SCOPE = _("You may keep the records only of two-committee members of villages within your jurisdiction.")


def village_member_validate(*, actor, member: VillageMember) -> None:
    """Every check a member's record passes (form, service, importer through the model's clean)."""
    member.full_clean()
    village_member_scope_check(actor=actor, member=member)


def village_member_scope_check(*, actor, member: VillageMember) -> None:
    """The member's village, and the village it was kept in before, are the actor's."""
    if not holds(actor, Capability.SEE_RECORDS, member.village_id):
        raise ValidationError({"village": MEMBER_OUTSIDE_SCOPE})
    if member.pk:
        stored = VillageMember.objects.filter(pk=member.pk).values_list("village_id", flat=True).first()
        if not holds(actor, Capability.SEE_RECORDS, stored):
            raise ValidationError(MEMBER_OUTSIDE_SCOPE)


@transaction.atomic
def village_member_save(*, actor, member: VillageMember) -> VillageMember:
    village_member_validate(actor=actor, member=member)
    member._history_user = actor
    member.save()
    return member


def village_committees(*, user) -> QuerySet:
    """The villages the user sees, each with whether its secretary's and director's posts are filled."""
    return with_heads(VillageCommittee.objects.for_user(user))


def with_heads(villages: QuerySet) -> QuerySet:
    """The villages among ``villages``, each with whether its secretary's and director's posts are filled."""
    members = VillageMember.objects.filter(village=OuterRef("pk"))
    return (
        villages.filter(level=UnitLevel.VILLAGE)
        .select_related("parent")
        .annotate(
            has_secretary=Exists(members.filter(post__in=SECRETARY_POSTS)),
            has_director=Exists(members.filter(post__in=DIRECTOR_POSTS)),
        )
    )


def villages_lacking_heads(*, user) -> QuerySet:
    """Villages whose committees lack a secretary or a director (书记, 主任; 一肩挑 fills both)."""
    return village_committees(user=user).filter(Q(has_secretary=False) | Q(has_director=False))
