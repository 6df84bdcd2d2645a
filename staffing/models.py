"""Seconded cadres and the township's powers over them (DESIGN.md M8, M9).

Speech §二(二): cadres that county departments second (派驻) to townships are managed by the
township, which holds the assessment (考核管理权), nomination (推荐提名权) and appointment-veto
(任用否决权) powers. Every workflow record changes state only through ``staffing.services``;
each step writes one transition row (actor, from, to, reason, time).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models import Unit
from governance.roles import Capability
from governance.scoping import ScopedQuerySet, sees_everything, units_for
from staffing.idnumbers import Gender, birth_date_validate, id_number_agreement_errors, id_number_parse
from staffing.phones import phone_parse
from staffing.ranks import (
    LEADERSHIP_CATEGORIES,
    LeadershipLevel,
    Rank,
    StaffCategory,
    leadership_fits_category_condition,
    rank_choices,
    rank_fits,
    rank_fits_category_condition,
    ranks_of,
)

# --- cadres ---


class GenderChoice(models.TextChoices):
    MALE = Gender.MALE, _("Male")
    FEMALE = Gender.FEMALE, _("Female")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
    NON_PARTY = "non_party", _("Non-party")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor's degree")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school")
    OTHER = "other", _("Other")


SECONDMENT_ONE_IN_FORCE = _(
    "The cadre already has a secondment pending or in force; a cadre serves in one township at a time."
)
PLANNED_END_BEFORE_START = _("The planned end of a secondment cannot be before its start.")
CYCLE_QUARTER = _("A quarterly cycle names its quarter (1–4); a yearly cycle names none.")
NOMINATION_DUPLICATE = _("This cadre already has a nomination of this kind awaiting decision.")
HOME_UNIT_LEVEL = _("A cadre's home unit (the unit holding the post) is a county department or a township-level unit.")
RANK_NOT_OF_CATEGORY = _(
    "The rank “%(rank)s” is not one of the staff category “%(category)s”, whose ranks are: %(ranks)s."
)
LEADERSHIP_NOT_OF_CATEGORY = _(
    "Only civil servants and staff managed by reference to the Civil Servant Law hold a leadership level; "
    "leave it empty for the staff category “%(category)s”."
)
ID_NUMBER_NEEDED = _("Gender and birth date are read from the resident ID number: enter a valid one.")


_CATEGORIES = frozenset(StaffCategory.values)


class CadreQuerySet(ScopedQuerySet):
    scope_fields = ("home_unit",)

    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """Cadres whose home unit is the user's, and cadres seconded to one of the user's units
        now (a township manages the cadres in its service, not those who left)."""
        if sees_everything(user):
            return Q()
        units = units_for(user, capability).values("pk")
        seconded_here = Secondment.objects.in_force().filter(cadre=OuterRef("pk"), host_unit__in=units)
        return Q(home_unit__in=units) | Q(Exists(seconded_here))


class PersonalInfo(models.Model):
    """Who a person is, as their resident ID card and phone say: the fields a cadre and a village
    two-committee member share, checked by the same rules (``staffing.people.personal_info``)."""

    # A person's name (姓名), not a unit's (名称): "name" alone is translated by governance first.
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    # Unique by a constraint, not unique=True: on PostgreSQL that would add a second, LIKE
    # index that nothing uses (the admin searches ID numbers by exact match).
    id_number = models.CharField(_("resident ID number"), max_length=18)
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=GenderChoice.choices,
        blank=True,
        help_text=_("Filled from the ID number if left empty."),
    )
    birth_date = models.DateField(
        _("birth date"),
        null=True,
        blank=True,
        validators=[birth_date_validate],
        help_text=_("Filled from the ID number if left empty."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        help_text=_("A mobile number, or a landline with its area code (0371-12345678)."),
    )
    political_status = models.CharField(_("political status"), max_length=20, choices=PoliticalStatus.choices)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)

    class Meta:
        abstract = True


class Cadre(PersonalInfo):
    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("home unit"),
        on_delete=models.PROTECT,
        related_name="cadres",
        help_text=_("The department or township that holds the cadre's post (编制所在单位)."),
    )
    current_post = models.CharField(_("current post"), max_length=100)
    staff_category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    rank = models.CharField(
        pgettext_lazy("civil service", "rank"),  # 职级; a leadership post's "rank" is governance's 职务
        max_length=20,
        choices=rank_choices(),
        help_text=_("One of the ranks of the staff category; names used before 2019 only for older records."),
    )
    leadership_level = models.CharField(
        _("leadership level"),
        max_length=20,
        choices=LeadershipLevel.choices,
        blank=True,
        help_text=_("The leadership post's level, if the cadre holds one (civil servants and their like only)."),
    )

    # A cadre's history is read by cadre (the history page) and by date; indexes on the copied
    # ID number and home unit would only slow the bulk import's history rows (docs/imports.md).
    history = HistoricalRecords(no_db_index=["id_number", "home_unit"])
    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="cadre_id_number_unique"),
            models.CheckConstraint(
                name="cadre_gender_known",
                condition=Q(gender__in=[Gender.MALE, Gender.FEMALE]),
                violation_error_message=ID_NUMBER_NEEDED,
            ),
            models.CheckConstraint(
                name="cadre_birth_date_known",
                condition=Q(birth_date__isnull=False),
                violation_error_message=ID_NUMBER_NEEDED,
            ),
            # The lists of staffing.ranks: a rank belongs to its staff category (issue 10).
            models.CheckConstraint(name="cadre_rank_of_its_category", condition=rank_fits_category_condition()),
            models.CheckConstraint(
                name="cadre_leadership_level_of_its_category", condition=leadership_fits_category_condition()
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """Each rule judged on the values present (an import lists every error of a row at once)."""
        errors = {}
        self._id_number_parsed = False
        if self.id_number:
            try:
                parsed = id_number_parse(self.id_number)
            except ValidationError as error:
                errors["id_number"] = error
            else:
                self.id_number = parsed.number
                self._id_number_parsed = True
                errors.update(id_number_agreement_errors(parsed, gender=self.gender, birth_date=self.birth_date))
                self.gender = self.gender or parsed.gender
                self.birth_date = self.birth_date or parsed.birth_date
        if self.phone:
            try:
                self.phone = phone_parse(self.phone)
            except ValidationError as error:
                errors["phone"] = error
        if self.home_unit_id and not (self.home_unit.kind == "department" or self.home_unit.is_township_level):
            errors["home_unit"] = HOME_UNIT_LEVEL
        errors.update(self._rank_errors())
        if errors:
            raise ValidationError(errors)

    def _rank_errors(self) -> dict:
        errors = {}
        category = self.staff_category
        if category not in _CATEGORIES:
            return errors  # the field's own validation names a missing or unknown category
        if self.rank and not rank_fits(self.rank, category):
            errors["rank"] = ValidationError(
                RANK_NOT_OF_CATEGORY, code="rank_category", params=rank_error_params(self.rank, category)
            )
        if self.leadership_level and category not in LEADERSHIP_CATEGORIES:
            errors["leadership_level"] = ValidationError(
                LEADERSHIP_NOT_OF_CATEGORY,
                code="leadership_category",
                params={"category": StaffCategory(category).label},
            )
        return errors

    def clean_fields(self, exclude=None):
        # ``clean`` parses the ID number (format, check digit, date, area code); the column's
        # 18-character limit would only add "too long" beside the format message.
        super().clean_fields(exclude={*(exclude or ()), "id_number"})

    def validate_constraints(self, exclude=None):
        if not getattr(self, "_id_number_parsed", False):
            # Gender and birth date come from a valid number; without one, its error says why.
            exclude = {*(exclude or ()), "gender", "birth_date"}
        super().validate_constraints(exclude)


def rank_error_params(rank: str, category: str) -> dict:
    label = Rank(rank).label if rank in Rank.values else rank
    return {
        "rank": label,
        "category": StaffCategory(category).label,
        "ranks": "、".join(str(Rank(other).label) for other in ranks_of(category)),
    }


# --- secondments ---


class SecondmentState(models.TextChoices):
    """Secondment in three hands (issue 14): the sending department drafts it, the county
    organisation department approves it, the host township confirms the cadre's arrival (报到);
    it is in force, and counted in the township's headcount, from arrival."""

    DRAFTED = "drafted", _("Drafted by the sending department")
    APPROVED = "approved", _("Approved, awaiting arrival")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")
    DECLINED = "declined", _("Declined")


# A cadre has at most one secondment in these states: one township at a time.
LIVE_SECONDMENT_STATES = (SecondmentState.DRAFTED, SecondmentState.APPROVED, SecondmentState.IN_FORCE)


class SecondmentQuerySet(ScopedQuerySet):
    scope_fields = ("sending_unit", "host_unit")

    def in_force(self):
        return self.filter(state=SecondmentState.IN_FORCE)


class Secondment(models.Model):
    """A cadre of a county department serving in a township (派驻). In force until it has an actual end."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="secondments")
    sending_unit = models.ForeignKey(
        Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="secondments_out"
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="secondments_in"
    )
    start_date = models.DateField(
        _("start date"), validators=[date_in_range], help_text=_("The planned start; in force from the arrival.")
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SecondmentState.choices,
        default=SecondmentState.DRAFTED,
        editable=False,
    )
    arrived_on = models.DateField(_("arrived on (报到)"), null=True, editable=False, validators=[date_in_range])
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    arrival_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arrival confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for declining"), blank=True, editable=False)
    planned_end = models.DateField(_("planned end"), null=True, blank=True, validators=[date_in_range])
    actual_end = models.DateField(_("actual end"), null=True, blank=True, editable=False, validators=[date_in_range])
    post = models.CharField(_("post at the host"), max_length=100)
    duties = models.TextField(_("duties at the host"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    end_reason = models.TextField(_("reason for ending"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("secondment")
        verbose_name_plural = _("secondments")
        ordering = ["-start_date", "pk"]
        constraints = [
            # A cadre serves in one township at a time (DESIGN.md M9).
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(state__in=LIVE_SECONDMENT_STATES),
                name="secondment_one_live_per_cadre",
                violation_error_message=SECONDMENT_ONE_IN_FORCE,
            ),
            models.CheckConstraint(
                name="secondment_in_force_from_arrival",
                condition=~Q(state__in=[SecondmentState.IN_FORCE, SecondmentState.ENDED])
                | Q(arrived_on__isnull=False, arrived_on__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="secondment_ended_state_has_end",
                condition=Q(state=SecondmentState.ENDED, actual_end__isnull=False)
                | (~Q(state=SecondmentState.ENDED) & Q(actual_end__isnull=True)),
            ),
            models.CheckConstraint(
                name="secondment_declined_has_reason",
                condition=~Q(state=SecondmentState.DECLINED) | ~Q(decision_reason=""),
            ),
            models.CheckConstraint(
                name="secondment_planned_end_after_start",
                condition=Q(planned_end__isnull=True) | Q(planned_end__gte=F("start_date")),
                violation_error_message=PLANNED_END_BEFORE_START,
            ),
            models.CheckConstraint(
                name="secondment_ended_with_who_and_why",
                condition=Q(actual_end__isnull=True, ended_by__isnull=True, end_reason="")
                | (
                    Q(actual_end__isnull=False, actual_end__gte=F("start_date"), ended_by__isnull=False)
                    & ~Q(end_reason="")
                ),
            ),
        ]
        indexes = [models.Index(fields=["host_unit", "state"], name="secondment_host_state")]

    def __str__(self):
        return f"{self.cadre} → {self.host_unit}"

    @property
    def in_force(self) -> bool:
        return self.state == SecondmentState.IN_FORCE

    @property
    def live(self) -> bool:
        """Drafted, approved or in force: not yet ended or declined."""
        return self.state in LIVE_SECONDMENT_STATES


class Transition(models.Model):
    """One step of a workflow: who moved the record from which state to which, why, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state or '·'} → {self.to_state}"


class SecondmentTransition(Transition):
    secondment = models.ForeignKey(Secondment, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("secondment step")
        verbose_name_plural = _("secondment steps")


# --- quota and headcount (a read-only view of township-level units) ---


class TownshipStaffing(Unit):
    """A township-level unit seen for its staff quota against its live headcount (DESIGN.md M8)."""

    class Meta:
        proxy = True
        verbose_name = _("township quota and headcount")
        verbose_name_plural = _("township quotas and headcounts")


# --- assessments (考核管理权) ---


class CycleState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")


class QuotaPool(models.TextChoices):
    """Whose assessments share one excellent quota (the county organisation department pools
    small units, so a township with four seconded cadres is not refused outright)."""

    COUNTY = "county", _("The whole county (all seconded cadres in the cycle)")
    TOWNSHIP = "township", _("Each township")
    SENDING_DEPARTMENT = "department", _("Each sending department")


class CycleScope(models.TextChoices):
    """The annual assessment is launched county-wide by one notice and timetable; a township may
    still run a cycle of its own for an ad-hoc period (issue 14)."""

    COUNTY = "county", _("County-wide")
    TOWNSHIP = "township", _("Township's own")


CYCLE_CEILING_BELOW_SHARE = _("The hard ceiling on excellent grades cannot be below the usual share.")


class AssessmentCycleQuerySet(ScopedQuerySet):
    scope_fields = ("host_units",)

    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """Cycles covering any of the user's units (an Exists, so a cycle of many townships is one row)."""
        if sees_everything(user):
            return Q()
        covered = AssessmentCycle.host_units.through.objects.filter(
            assessmentcycle=OuterRef("pk"), unit__in=units_for(user, capability).values("pk")
        )
        return Q(Exists(covered))


class AssessmentCycle(models.Model):
    name = models.CharField(_("name"), max_length=100)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    host_units = models.ManyToManyField(Unit, verbose_name=_("host units"), related_name="assessment_cycles")
    state = models.CharField(
        _("state"), max_length=10, choices=CycleState.choices, default=CycleState.OPEN, editable=False
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=CycleScope.choices, default=CycleScope.TOWNSHIP, editable=False
    )
    county = models.ForeignKey(
        Unit,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The county whose townships the cycle covers."),
    )
    due_date = models.DateField(
        _("grading due by"),
        null=True,
        blank=True,
        validators=[date_in_range],
        help_text=_("The notice's deadline for the townships to grade and approve."),
    )
    quota_pool = models.CharField(
        _("excellent quota pooled by"),
        max_length=12,
        choices=QuotaPool.choices,
        default=QuotaPool.COUNTY,
        help_text=_("Whose assessments share one quota of excellent grades."),
    )
    excellent_cap_percent = models.PositiveSmallIntegerField(
        _("share of excellent grades (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_("Excellent grades are generally kept within this share of a pool's assessments (rounded)."),
    )
    review_days = models.PositiveSmallIntegerField(
        _("review period (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days after the cycle closes within which a cadre may ask in writing for a review (复核)."),
    )
    excellent_ceiling_percent = models.PositiveSmallIntegerField(
        _("hard ceiling on excellent grades (%)"),
        default=25,
        validators=[MaxValueValidator(100)],
        help_text=_("The rounded share never gives a pool more excellent grades than this share allows."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, editable=False)

    history = HistoricalRecords(m2m_fields=[host_units])
    objects = AssessmentCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-year", "-quarter", "pk"]
        constraints = [
            models.CheckConstraint(
                name="cycle_quarter_matches_period",
                condition=Q(period_kind=PeriodKind.YEAR, quarter__isnull=True)
                | Q(period_kind=PeriodKind.QUARTER, quarter__isnull=False, quarter__gte=1, quarter__lte=4),
                violation_error_message=CYCLE_QUARTER,
            ),
            models.CheckConstraint(name="cycle_cap_is_a_share", condition=Q(excellent_cap_percent__lte=100)),
            models.CheckConstraint(
                name="cycle_ceiling_within_share_and_100",
                condition=Q(
                    excellent_ceiling_percent__gte=F("excellent_cap_percent"), excellent_ceiling_percent__lte=100
                ),
                violation_error_message=CYCLE_CEILING_BELOW_SHARE,
            ),
            models.CheckConstraint(
                name="cycle_closed_has_closer",
                condition=Q(state=CycleState.OPEN, closed_at__isnull=True)
                | Q(state=CycleState.CLOSED, closed_by__isnull=False, closed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.name


class ExcellentPool(models.Model):
    """One pool's row, locked while an excellent grade is approved in it, so two approvals cannot
    both take its last place (the cycle itself is only share-locked by each step). ``unit`` is the
    county, the township or the sending department, as the cycle pools."""

    cycle = models.ForeignKey("AssessmentCycle", on_delete=models.CASCADE, related_name="pools")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="excellent_pool_one_per_unit")]

    def __str__(self):
        return f"{self.cycle_id} · {self.unit_id}"


class CycleTransition(Transition):
    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("assessment cycle step")
        verbose_name_plural = _("assessment cycle steps")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    # Settled by the county organisation department when a cycle would otherwise close with the
    # assessment unfinished (issue 14: no assessment left hanging).
    UNGRADED = "ungraded", _("Not graded")


# An assessment still in the township's hands: a cycle does not close while any is.
UNRESOLVED_STATES = (AssessmentState.DRAFT, AssessmentState.SUBMITTED, AssessmentState.RETURNED)
FINAL_STATES = (AssessmentState.APPROVED, AssessmentState.UNGRADED)


class ReviewState(models.TextChoices):
    """A review (复核) of a final grade, asked for by the cadre in writing and decided by the county
    organisation department. The values are also the steps written on the assessment's timeline."""

    REQUESTED = "review_requested", _("Review requested")
    UPHELD = "review_upheld", _("Review: grade upheld")
    CHANGED = "review_changed", _("Review: grade changed")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class AssessmentQuerySet(ScopedQuerySet):
    scope_fields = ("host_unit",)

    def approved(self):
        return self.filter(state=AssessmentState.APPROVED)

    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """Seeing (SEE_RECORDS): the host township's clerks and supervisors and the county organisation
        department see every state; the sending department and the county's other offices see final
        ones only, approved or not graded (DESIGN.md §2).
        Any other capability: assessments whose host unit the user holds it on."""
        if sees_everything(user) or capability != Capability.SEE_RECORDS:
            return super().scope_q(user, capability)
        workers = units_for(user, Capability.DRAFT_ASSESSMENT).values("pk")
        organisers = units_for(user, Capability.ORGANISE_CADRES).values("pk")
        seers = units_for(user, Capability.SEE_RECORDS).values("pk")
        # The county organisation department sees every state: it settles what is left unfinished.
        return (
            Q(host_unit__in=workers)
            | Q(host_unit__in=organisers)
            | Q(state__in=FINAL_STATES) & (Q(host_unit__in=seers) | Q(sending_unit__in=seers))
        )


class Assessment(models.Model):
    cycle = models.ForeignKey(
        AssessmentCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="assessments"
    )
    secondment = models.ForeignKey(
        Secondment, verbose_name=_("secondment"), on_delete=models.PROTECT, related_name="assessments"
    )
    # Snapshot at generation: later moves of the cadre do not rewrite a past assessment.
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="assessments")
    host_unit = models.ForeignKey(Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+")
    sending_unit = models.ForeignKey(Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post at the time"), max_length=100)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comments = models.TextField(_("comments"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT, editable=False
    )
    round = models.PositiveSmallIntegerField(_("round"), default=0, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)
    ungraded_reason = models.TextField(_("reason for not grading"), blank=True, editable=False)
    review_state = models.CharField(_("review"), max_length=20, choices=ReviewState.choices, blank=True, editable=False)
    review_requested_on = models.DateField(
        _("review requested on"),
        null=True,
        editable=False,
        help_text=_("The date of the cadre's written request."),
    )
    review_grounds = models.TextField(_("grounds for the review"), blank=True, editable=False)
    review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review request recorded by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    review_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review decided by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    review_decided_at = models.DateTimeField(_("review decided at"), null=True, editable=False)
    review_decision = models.TextField(_("review decision"), blank=True, editable=False)
    grade_before_review = models.CharField(
        _("grade before the review"), max_length=20, choices=Grade.choices, blank=True, editable=False
    )

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["cycle", "host_unit", "cadre__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "secondment"], name="assessment_one_per_secondment_per_cycle"),
            models.CheckConstraint(
                name="assessment_graded_once_submitted",
                condition=Q(state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED, AssessmentState.UNGRADED])
                | ~Q(grade=""),
            ),
            models.CheckConstraint(
                name="assessment_ungraded_with_reason_and_no_grade",
                condition=~Q(state=AssessmentState.UNGRADED) | (Q(grade="") & ~Q(ungraded_reason="")),
            ),
            models.CheckConstraint(
                name="assessment_review_requested_in_writing",
                condition=Q(review_state="") | Q(review_requested_on__isnull=False, review_recorded_by__isnull=False),
            ),
            models.CheckConstraint(
                name="assessment_review_decided_with_reason",
                condition=~Q(review_state__in=[ReviewState.UPHELD, ReviewState.CHANGED])
                | (Q(review_decided_by__isnull=False, review_decided_at__isnull=False) & ~Q(review_decision="")),
            ),
            models.CheckConstraint(
                name="assessment_approved_has_approver",
                condition=~Q(state=AssessmentState.APPROVED) | Q(approved_by__isnull=False, approved_at__isnull=False),
            ),
            # Nobody approves an assessment they drafted or submitted (four eyes).
            models.CheckConstraint(
                name="assessment_approver_is_not_drafter",
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("drafted_by")) & ~Q(approved_by=F("submitted_by"))),
            ),
            models.CheckConstraint(
                name="assessment_score_in_range", condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100)
            ),
        ]
        indexes = [models.Index(fields=["cycle", "host_unit", "state"], name="assessment_cycle_host_state")]

    def __str__(self):
        return f"{self.cycle} · {self.cadre}"

    @property
    def final_grade(self) -> str:
        """The grade the cadre is told once the cycle has closed: the grade, or 不定等次."""
        if self.cycle.state != CycleState.CLOSED:
            return ""
        if self.state == AssessmentState.UNGRADED:
            return str(AssessmentState.UNGRADED.label)
        return self.get_grade_display() if self.state == AssessmentState.APPROVED else ""


class AssessmentTransition(Transition):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    round = models.PositiveSmallIntegerField(_("round"))

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")


# --- nominations (推荐提名权) ---


class NominationKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    APPOINTMENT = "appointment", _("Appointment to a post")
    COMMENDATION = "commendation", _("Commendation")


class NominationState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class NominationQuerySet(ScopedQuerySet):
    scope_fields = ("host_unit",)


class Nomination(models.Model):
    secondment = models.ForeignKey(
        Secondment, verbose_name=_("secondment"), on_delete=models.PROTECT, related_name="nominations"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="nominations", editable=False
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("nominating township"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("nominated for"), max_length=20, choices=NominationKind.choices)
    proposed_post = models.CharField(_("proposed post"), max_length=100, blank=True)
    reasons = models.TextField(_("reasons"))
    state = models.CharField(
        _("state"), max_length=10, choices=NominationState.choices, default=NominationState.SUBMITTED, editable=False
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-nominated_at", "pk"]
        constraints = [
            models.CheckConstraint(name="nomination_has_reasons", condition=~Q(reasons="")),
            models.UniqueConstraint(
                fields=["secondment", "kind"],
                condition=Q(state=NominationState.SUBMITTED),
                name="nomination_one_pending_per_kind",
                violation_error_message=NOMINATION_DUPLICATE,
            ),
            models.CheckConstraint(
                name="nomination_decided_has_decider",
                condition=Q(state=NominationState.SUBMITTED, decided_by__isnull=True)
                | (~Q(state=NominationState.SUBMITTED) & Q(decided_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="nomination_declined_has_reason",
                condition=~Q(state=NominationState.DECLINED) | ~Q(decision_reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()}"


class NominationTransition(Transition):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("nomination step")
        verbose_name_plural = _("nomination steps")


# --- appointment proposals and the veto (任用否决权) ---


class ProposalAction(models.TextChoices):
    PROMOTE = "promote", _("Promote")
    APPOINT = "appoint", _("Appoint to another post")
    RECALL = "recall", _("Recall")
    REUSE = "reuse", _("Reuse elsewhere")


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the township")
    CONSENTED = "consented", _("Consented")
    VETOED = "vetoed", _("Vetoed")
    CARRIED_OUT = "carried_out", _("Carried out")


class AppointmentProposalQuerySet(ScopedQuerySet):
    scope_fields = ("host_unit", "sending_unit")


class AppointmentProposal(models.Model):
    secondment = models.ForeignKey(
        Secondment, verbose_name=_("secondment"), on_delete=models.PROTECT, related_name="appointment_proposals"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    sending_unit = models.ForeignKey(
        Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    action = models.CharField(_("action"), max_length=10, choices=ProposalAction.choices)
    new_post = models.CharField(_("new post"), max_length=100, blank=True)
    new_rank = models.CharField(_("new rank"), max_length=20, choices=rank_choices(), blank=True)
    effective_date = models.DateField(_("effective date"), validators=[date_in_range])
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.PROPOSED, editable=False
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    consented_at = models.DateTimeField(_("consented at"), null=True, editable=False)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, editable=False)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, editable=False)

    history = HistoricalRecords()
    objects = AppointmentProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment proposal")
        verbose_name_plural = _("appointment proposals")
        ordering = ["-proposed_at", "pk"]
        constraints = [
            # The veto is final: only a consented proposal has a consent time, only one with a
            # consent time can be carried out, and a vetoed one never has one (speech §二(二)).
            models.CheckConstraint(
                name="proposal_carried_out_only_after_consent",
                condition=~Q(state=ProposalState.CARRIED_OUT)
                | Q(consented_at__isnull=False, carried_out_by__isnull=False, carried_out_at__isnull=False),
            ),
            models.CheckConstraint(
                name="proposal_consent_time_only_when_consented",
                condition=Q(state__in=[ProposalState.CONSENTED, ProposalState.CARRIED_OUT], consented_at__isnull=False)
                | Q(state__in=[ProposalState.PROPOSED, ProposalState.VETOED], consented_at__isnull=True),
            ),
            models.CheckConstraint(
                name="proposal_veto_has_reason_and_decider",
                condition=~Q(state=ProposalState.VETOED) | (Q(decided_by__isnull=False) & ~Q(decision_reason="")),
            ),
            models.CheckConstraint(name="proposal_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_action_display()}"


class ProposalTransition(Transition):
    proposal = models.ForeignKey(AppointmentProposal, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("appointment proposal step")
        verbose_name_plural = _("appointment proposal steps")


# --- monthly and quarterly assessment records (平时考核) ---


class PeriodicKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PeriodicGrade(models.TextChoices):
    """The four grades of the day-to-day assessment (公务员平时考核办法（试行）, 2019: 好、较好、
    一般、较差); the annual grades (优秀…不称职) are not used for a month or a quarter."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class PeriodicState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


PERIODIC_EDITABLE_STATES = (PeriodicState.DRAFT, PeriodicState.RETURNED)
PERIODIC_PERIOD_RANGE = _("A monthly record names a month (1–12), a quarterly record a quarter (1–4).")
PERIODIC_DUPLICATE = _("This cadre already has a record for this period of this secondment.")


class PeriodicRecordQuerySet(ScopedQuerySet):
    scope_fields = ("host_unit",)

    def scope_q(self, user, capability=Capability.SEE_RECORDS) -> Q:
        """As assessments: the host township's clerks and supervisors and the county organisation
        department see every state; the sending department and the county's other offices see
        approved records only. Any other capability: records whose host unit the user holds it on."""
        if sees_everything(user) or capability != Capability.SEE_RECORDS:
            return super().scope_q(user, capability)
        workers = units_for(user, Capability.DRAFT_ASSESSMENT).values("pk")
        organisers = units_for(user, Capability.ORGANISE_CADRES).values("pk")
        seers = units_for(user, Capability.SEE_RECORDS).values("pk")
        return (
            Q(host_unit__in=workers)
            | Q(host_unit__in=organisers)
            | Q(state=PeriodicState.APPROVED) & (Q(host_unit__in=seers) | Q(sending_unit__in=seers))
        )


class PeriodicRecord(models.Model):
    """A seconded cadre's day-to-day (平时) assessment for a month or a quarter: a short grade, a
    comment, attendance and leave, written by the host township and approved by its supervisor
    (speech §二(二): the township manages the seconded cadres day to day). The annual assessment
    shows the records of its period for reference."""

    secondment = models.ForeignKey(
        Secondment, verbose_name=_("secondment"), on_delete=models.PROTECT, related_name="periodic_records"
    )
    # Snapshot of the secondment's parties, for scoping and lists.
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="periodic_records", editable=False
    )
    host_unit = models.ForeignKey(
        Unit, verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    sending_unit = models.ForeignKey(
        Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodicKind.choices, default=PeriodicKind.MONTH)
    period = models.PositiveSmallIntegerField(
        _("month or quarter"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    grade = models.CharField(_("grade"), max_length=12, choices=PeriodicGrade.choices)
    attendance_days = models.PositiveSmallIntegerField(_("attendance days"))
    leave_days = models.PositiveSmallIntegerField(_("leave days"), default=0)
    comments = models.TextField(_("comments"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=PeriodicState.choices, default=PeriodicState.DRAFT, editable=False
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)

    history = HistoricalRecords()
    objects = PeriodicRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly or quarterly assessment record")
        verbose_name_plural = _("monthly and quarterly assessment records")
        ordering = ["-year", "-period", "host_unit", "cadre__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["secondment", "year", "period_kind", "period"],
                name="periodic_record_one_per_secondment_per_period",
                violation_error_message=PERIODIC_DUPLICATE,
            ),
            models.CheckConstraint(
                name="periodic_record_period_in_range",
                condition=Q(period_kind=PeriodicKind.MONTH, period__gte=1, period__lte=12)
                | Q(period_kind=PeriodicKind.QUARTER, period__gte=1, period__lte=4),
                violation_error_message=PERIODIC_PERIOD_RANGE,
            ),
            models.CheckConstraint(
                name="periodic_record_approved_has_approver",
                condition=~Q(state=PeriodicState.APPROVED) | Q(approved_by__isnull=False, approved_at__isnull=False),
            ),
            # Nobody approves a record they wrote or submitted (four eyes).
            models.CheckConstraint(
                name="periodic_record_approver_is_not_drafter",
                condition=Q(approved_by__isnull=True)
                | (~Q(approved_by=F("drafted_by")) & ~Q(approved_by=F("submitted_by"))),
            ),
        ]
        indexes = [models.Index(fields=["host_unit", "state"], name="periodic_record_host_state")]

    def __str__(self):
        return f"{self.cadre} · {self.period_label}"

    @property
    def period_label(self) -> str:
        """「2026年3月」 or 「2026年第1季度」."""
        if self.period_kind == PeriodicKind.QUARTER:
            return str(_("%(year)s Q%(n)s")) % {"year": self.year, "n": self.period}
        return str(_("%(year)s-%(n)s")) % {"year": self.year, "n": self.period}


class PeriodicRecordTransition(Transition):
    record = models.ForeignKey(PeriodicRecord, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(Transition.Meta):
        verbose_name = _("monthly or quarterly assessment step")
        verbose_name_plural = _("monthly or quarterly assessment steps")


# --- people beyond secondment (issue 15): their own modules, registered with the app here ---

from staffing.people.leadership_teams import TeamPosition  # noqa: E402, F401
from staffing.people.overview import TownshipOverview  # noqa: E402, F401
from staffing.people.postings import Posting  # noqa: E402, F401
from staffing.people.township_staff import OfficeStaff, StaffTransfer, TownshipOffice  # noqa: E402, F401
from staffing.people.training import TrainingAttendance, TrainingSession  # noqa: E402, F401
from staffing.people.village_committees import VillageCommittee, VillageMember  # noqa: E402, F401
