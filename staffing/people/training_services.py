"""Writes and reads of training (issue 15 item 2): sessions, attendance, the share of each township's
people trained this year and who has never had first-appointment training."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import holds
from staffing.models import Cadre, Secondment
from staffing.people.training import TrainingAttendance, TrainingForm, TrainingSession
from staffing.people.village_committees import VillageMember

SESSION_OUTSIDE_SCOPE = _("You may record training sessions only of units within your jurisdiction.")
SESSION_NOT_VISIBLE = _("This training session is not one of your jurisdiction or the levels above it.")
ATTENDEE_OUTSIDE_SCOPE = _("You may record the attendance only of people within your jurisdiction.")


@transaction.atomic
def training_session_save(*, actor, session: TrainingSession) -> TrainingSession:
    session.full_clean()
    if not holds(actor, Capability.SEE_RECORDS, session.organiser_id):
        raise ValidationError({"organiser": SESSION_OUTSIDE_SCOPE})
    session._history_user = actor
    session.save()
    return session


def attendance_validate(*, actor, attendance: TrainingAttendance) -> None:
    """The session is one the actor sees, and the person one the actor keeps."""
    attendance.full_clean()
    if not TrainingSession.objects.for_user(actor).filter(pk=attendance.session_id).exists():
        raise ValidationError({"session": SESSION_NOT_VISIBLE})
    if attendance.cadre_id and not Cadre.objects.for_user(actor).filter(pk=attendance.cadre_id).exists():
        raise ValidationError({"cadre": ATTENDEE_OUTSIDE_SCOPE})
    if attendance.village_member_id and not holds(actor, Capability.SEE_RECORDS, attendance.village_member.village_id):
        raise ValidationError({"village_member": ATTENDEE_OUTSIDE_SCOPE})


@transaction.atomic
def attendance_save(*, actor, attendance: TrainingAttendance) -> TrainingAttendance:
    attendance_validate(actor=actor, attendance=attendance)
    attendance._history_user = actor
    attendance.save()
    return attendance


# --- reads ---


def _attended(person_field: str, outer: str = "pk", **session_lookups) -> Exists:
    sessions = {f"session__{name}": value for name, value in session_lookups.items()}
    return Exists(TrainingAttendance.objects.filter(attended=True, **{person_field: OuterRef(outer)}, **sessions))


def trained_in(year: int, person_field: str, outer: str = "pk") -> Exists:
    """Whether the person (the outer row's ``outer``) attended a session starting in ``year``."""
    return _attended(person_field, outer, start_date__year=year)


def first_appointment_trained(person_field: str) -> Exists:
    return _attended(person_field, form=TrainingForm.FIRST_APPOINTMENT)


def own_staff(townships) -> QuerySet:
    """Cadres whose post the townships hold and who are not seconded out now."""
    seconded_now = Secondment.objects.in_force().filter(cadre=OuterRef("pk"))
    return Cadre.objects.filter(home_unit__in=townships).exclude(Exists(seconded_now))


def seconded_in(townships) -> QuerySet:
    """Cadres serving in the townships now by a secondment in force (派驻)."""
    here = Secondment.objects.in_force().filter(cadre=OuterRef("pk"), host_unit__in=townships)
    return Cadre.objects.filter(Exists(here))


def village_members(townships) -> QuerySet:
    return VillageMember.objects.filter(village__parent__in=townships)


@dataclass(frozen=True)
class TrainingShare:
    group: str
    people: int
    trained: int
    never_first_appointment: int

    @property
    def percent(self) -> int:
        return round(self.trained * 100 / self.people) if self.people else 0


def training_shares(townships, *, year: int | None = None) -> list[TrainingShare]:
    """For the townships (one, or a county's), per group: how many people, how many trained this year,
    how many never had first-appointment training."""
    year = year or timezone.localdate().year
    groups = (
        (_("township staff"), own_staff(townships), "cadre"),
        (_("seconded cadres"), seconded_in(townships), "cadre"),
        (_("village two-committee members"), village_members(townships), "village_member"),
    )
    shares = []
    for label, people, field in groups:
        counted = people.aggregate(
            n=Count("pk", distinct=True),
            trained=Count("pk", distinct=True, filter=Q(trained_in(year, field))),
            never=Count("pk", distinct=True, filter=~Q(first_appointment_trained(field))),
        )
        shares.append(TrainingShare(str(label), counted["n"], counted["trained"], counted["never"]))
    return shares


def untrained(townships, *, year: int | None = None) -> tuple[QuerySet, QuerySet]:
    """(cadres, village members) of the townships with no training attended this year."""
    year = year or timezone.localdate().year
    cadres = (own_staff(townships) | seconded_in(townships)).exclude(trained_in(year, "cadre"))
    return cadres.distinct(), village_members(townships).exclude(trained_in(year, "village_member"))


def never_first_appointment(townships) -> tuple[QuerySet, QuerySet]:
    """(cadres, village members) of the townships who never attended first-appointment training."""
    cadres = (own_staff(townships) | seconded_in(townships)).exclude(first_appointment_trained("cadre"))
    return cadres.distinct(), village_members(townships).exclude(first_appointment_trained("village_member"))
