"""Three-level training (issue 15 item 2).

Speech §二: training at city, county and township level reaches the cadres and the village (community)
two-committee members, including first-appointment training (初任培训). A session is held by its
organising unit; its attendees are cadres or village members; each attendance says whether the
person attended (是否出勤) and, where the session marks it, a score.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models import Unit, UnitLevel
from governance.roles import Capability
from governance.scoping import ScopedQuerySet, sees_everything, unit_grants, units_for
from staffing.models import Cadre
from staffing.people.village_committees import VillageMember


class TrainingLevel(models.TextChoices):
    CITY = "city", _("City level")
    COUNTY = "county", _("County level")
    TOWNSHIP = "township", _("Township level")


class TrainingForm(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    ON_SITE = "on_site", _("On-site meeting")
    CASE_DEMONSTRATION = "case_demonstration", _("Case demonstration")
    FIRST_APPOINTMENT = "first_appointment", _("First-appointment training (初任培训)")


# Which units may organise a session of each level: the county's departments organise county training.
ORGANISER_LEVELS = {
    TrainingLevel.CITY: (UnitLevel.CITY,),
    TrainingLevel.COUNTY: (UnitLevel.COUNTY, UnitLevel.ORGAN),
    TrainingLevel.TOWNSHIP: (UnitLevel.TOWNSHIP,),
}

ORGANISER_NOT_OF_LEVEL = _("A %(level)s session is organised by a unit of that level, not by “%(unit)s”.")
SESSION_NAME_TAKEN = _("The organising unit already has a training session of this name.")
SESSION_ENDS_BEFORE_START = _("A training session cannot end before it starts.")
ATTENDEE_ONE_PERSON = _("An attendance names one person: a cadre or a village two-committee member.")
ATTENDANCE_DUPLICATE = _("This person's attendance of this session is already recorded.")
SCORE_WITHOUT_ATTENDANCE = _("Only a person who attended has a score.")


def _ancestor_paths(user) -> list[str]:
    """The paths above each unit the user holds a grant on (its city, its county)."""
    granted = Unit.objects.filter(pk__in=[unit_id for unit_id, _level in unit_grants(user)])
    paths = set()
    for path in granted.values_list("path", flat=True):
        codes = path.strip("/").split("/")
        paths.update("/" + "/".join(codes[:depth]) + "/" for depth in range(1, len(codes)))
    return sorted(paths)


class TrainingSessionQuerySet(ScopedQuerySet):
    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """Sessions organised in the user's units, and those of the city, the county and the
        county's departments above them: a township records its people's attendance of those too."""
        if sees_everything(user):
            return Q()
        above = _ancestor_paths(user)
        return (
            Q(organiser__in=units_for(user, capability).values("pk"))
            | Q(organiser__path__in=above)
            | Q(organiser__level=UnitLevel.ORGAN, organiser__parent__path__in=above)
        )


class TrainingSession(models.Model):
    name = models.CharField(
        _("training name"), max_length=100, help_text=_("As the attendance sheet names it (培训名称).")
    )
    level = models.CharField(_("level"), max_length=10, choices=TrainingLevel.choices)
    organiser = models.ForeignKey(
        Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    topic = models.CharField(_("topic"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=TrainingForm.choices)
    start_date = models.DateField(_("start date"), validators=[date_in_range])
    end_date = models.DateField(_("end date"), validators=[date_in_range])
    place = models.CharField(_("place"), max_length=100)

    history = HistoricalRecords()
    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="training_session_dates_in_order",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message=SESSION_ENDS_BEFORE_START,
            ),
            # Unique per organiser, not city-wide: two counties may each run a "初任培训班".
            models.UniqueConstraint(
                fields=["organiser", "name"],
                name="training_session_name_unique_per_organiser",
                violation_error_message=SESSION_NAME_TAKEN,
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.organiser_id
            and self.level in ORGANISER_LEVELS
            and self.organiser.level not in ORGANISER_LEVELS[self.level]
        ):
            params = {"level": TrainingLevel(self.level).label, "unit": self.organiser.name}
            raise ValidationError({"organiser": ValidationError(ORGANISER_NOT_OF_LEVEL, params=params)})


class TrainingAttendanceQuerySet(ScopedQuerySet):
    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """The attendances of the user's people (cadres it sees, its villages' members), and every
        attendance of the sessions it organised."""
        if sees_everything(user):
            return Q()
        units = units_for(user, capability).values("pk")
        return (
            Q(cadre__in=Cadre.objects.for_user(user, capability).values("pk"))
            | Q(village_member__village__in=units)
            | Q(session__organiser__in=units)
        )


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("training session"), on_delete=models.PROTECT, related_name="attendances"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    village_member = models.ForeignKey(
        VillageMember,
        verbose_name=_("village two-committee member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    attended = models.BooleanField(_("attended"), default=True)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    history = HistoricalRecords()
    objects = TrainingAttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendances")
        ordering = ["-session__start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="attendance_one_person",
                condition=Q(cadre__isnull=False, village_member__isnull=True)
                | Q(cadre__isnull=True, village_member__isnull=False),
                violation_error_message=ATTENDEE_ONE_PERSON,
            ),
            models.UniqueConstraint(
                fields=["session", "cadre"],
                name="attendance_once_per_cadre",
                violation_error_message=ATTENDANCE_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["session", "village_member"],
                name="attendance_once_per_member",
                violation_error_message=ATTENDANCE_DUPLICATE,
            ),
            models.CheckConstraint(
                name="attendance_score_in_range", condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100)
            ),
            models.CheckConstraint(
                name="attendance_score_only_if_attended",
                condition=Q(attended=True) | Q(score__isnull=True),
                violation_error_message=SCORE_WITHOUT_ATTENDANCE,
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.person}"

    @property
    def person(self):
        return self.cadre or self.village_member
