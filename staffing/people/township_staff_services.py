"""Writes and reads of township offices and their staff (issue 15 item 4). Offices and their quotas,
and transfers into a township, are the county organisation department's (ORGANISE_CADRES); the
township places its own and its seconded staff in its offices (SEE_RECORDS)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import holds
from staffing.models import Secondment
from staffing.people.township_staff import (
    STAFF_NOT_OF_TOWNSHIP,
    Establishment,
    OfficeStaff,
    StaffSource,
    StaffTransfer,
    TownshipOffice,
)

OFFICE_NOT_PERMITTED = _("Township offices and their quotas are set by the county organisation department.")
STAFF_OUTSIDE_SCOPE = _("You may place staff only in offices of townships within your jurisdiction.")
TRANSFER_NOT_PERMITTED = _("Transfers into a township are recorded by the county organisation department.")
TRANSFER_OFFICE_ELSEWHERE = _("The office is not one of the receiving township's.")
TRANSFER_CADRE_ELSEWHERE = _("The cadre's post is not kept by the unit the transfer comes from.")
SECONDED_SOURCE_MISMATCH = _("A 派驻 staff member is one seconded to this township now, from the unit named.")


@transaction.atomic
def office_save(*, actor, office: TownshipOffice) -> TownshipOffice:
    office.full_clean()
    if not holds(actor, Capability.ORGANISE_CADRES, office.township_id):
        raise ValidationError(OFFICE_NOT_PERMITTED, code="permission")
    office._history_user = actor
    office.save()
    return office


def office_staff_validate(*, actor, staff: OfficeStaff) -> None:
    staff.full_clean()
    township_id = staff.office.township_id
    if not holds(actor, Capability.SEE_RECORDS, township_id):
        raise ValidationError({"office": STAFF_OUTSIDE_SCOPE})
    if staff.source == StaffSource.SECONDED:
        in_force = Secondment.objects.in_force().filter(
            cadre_id=staff.cadre_id, host_unit_id=township_id, sending_unit_id=staff.source_unit_id
        )
        if not in_force.exists():
            raise ValidationError({"source_unit": SECONDED_SOURCE_MISMATCH})
    elif staff.cadre.home_unit_id != township_id:
        raise ValidationError({"cadre": STAFF_NOT_OF_TOWNSHIP})


@transaction.atomic
def office_staff_save(*, actor, staff: OfficeStaff) -> OfficeStaff:
    office_staff_validate(actor=actor, staff=staff)
    staff._history_user = actor
    staff.save()
    return staff


@transaction.atomic
def staff_transfer_in(*, actor, transfer: StaffTransfer) -> StaffTransfer:
    """Record the transfer, move the cadre's post to the township and place them in the office."""
    transfer.full_clean()
    units = (transfer.township_id, transfer.from_unit_id)
    if not all(holds(actor, Capability.ORGANISE_CADRES, unit) for unit in units):
        raise ValidationError(TRANSFER_NOT_PERMITTED, code="permission")
    if transfer.cadre.home_unit_id != transfer.from_unit_id:
        raise ValidationError({"from_unit": TRANSFER_CADRE_ELSEWHERE})
    if transfer.office.township_id != transfer.township_id:
        raise ValidationError({"office": TRANSFER_OFFICE_ELSEWHERE})
    transfer._history_user = actor
    transfer.save()
    cadre = transfer.cadre
    cadre.home_unit = transfer.township
    cadre._history_user = actor
    cadre.save(update_fields=["home_unit"])
    staff = OfficeStaff.objects.filter(cadre=cadre).first() or OfficeStaff(cadre=cadre)
    staff.office = transfer.office
    staff.establishment = transfer.establishment
    staff.source, staff.source_unit = StaffSource.TRANSFERRED, transfer.from_unit
    staff.since = transfer.transferred_on
    office_staff_save(actor=actor, staff=staff)
    return transfer


def _counted(establishment: str) -> Count:
    return Count("staff", filter=Q(staff__establishment=establishment))


def office_headcounts(townships) -> QuerySet:
    """The offices of the townships, each with its headcount by establishment."""
    return with_headcounts(TownshipOffice.objects.filter(township__in=townships))


def with_headcounts(offices: QuerySet) -> QuerySet:
    """Each office with its headcount by establishment, beside its quotas."""
    return (
        offices.select_related("township")
        .annotate(
            administrative=_counted(Establishment.ADMINISTRATIVE),
            institution=_counted(Establishment.INSTITUTION),
            unestablished=_counted(Establishment.NONE),
        )
        .order_by("township__path", "kind", "name")
    )


def mismatch(office) -> bool:
    """People and posts do not match: more or fewer people of an establishment than its posts."""
    return office.administrative != office.administrative_quota or office.institution != office.institution_quota
