"""Cases ("基层吹哨、部门报到", DESIGN.md M5–M7, M10) and service requests (便民服务, M4).

A township raises a ``Case`` under a coordination item; each county department asked to act
holds one ``CaseAssignment`` running the "13710" steps on working-day deadlines (stored in
indexed columns, recomputed by the service that starts a round). Every step writes one
``CaseTransition`` row: the case page's timeline and the departments' scorecards read them.
"""

import operator
from functools import reduce
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from governance.models import CasePriority
from governance.scoping import ScopedQuerySet

ATTACHMENT_EXTENSIONS = ("jpg", "jpeg", "png", "pdf", "doc", "docx", "xls", "xlsx")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_TOO_LARGE = _("An attachment may be at most 20 MB.")


class CaseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("case state", "Open")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, awaiting first feedback")
    IN_PROGRESS = "in_progress", _("In progress, awaiting the result")
    RESPONDED = "responded", _("Responded, awaiting rating")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined, awaiting reassignment")
    REASSIGNED = "reassigned", _("Reassigned")


# The department still owes a step in these states; one live assignment per department and case.
DEPARTMENT_PENDING_STATES = (AssignmentState.ASSIGNED, AssignmentState.ACCEPTED, AssignmentState.IN_PROGRESS)
LIVE_STATES = (
    *DEPARTMENT_PENDING_STATES,
    AssignmentState.RESPONDED,
    AssignmentState.COMPLETED,
    AssignmentState.DECLINED,
)


# The due that the step awaited in each state must meet.
NEXT_DUE_FIELD = {
    AssignmentState.ASSIGNED: "accept_due",
    AssignmentState.ACCEPTED: "feedback_due",
    AssignmentState.IN_PROGRESS: "resolve_due",
    AssignmentState.RESPONDED: "close_due",
}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


def _cases_assigned_to(department_ids: list[int]) -> Q:
    """Cases any of these departments was ever asked to act on. On PostgreSQL, the case's own copy
    of its departments (``Case.departments``, GIN-indexed), so a searched list is two bitmaps
    ANDed: the semi-join over the assignments read every case matching a common word city-wide
    first (307 ms for a department's "噪音" at a million cases, bench/README.md)."""
    if connection.vendor == "postgresql":
        return reduce(operator.or_, (Q(departments__contains=[pk]) for pk in department_ids), Q(pk__in=[]))
    return Q(Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), department__in=department_ids)))


class CaseQuerySet(ScopedQuerySet):
    # A case belongs to its raising township (and the village it is about, and the township's
    # county); the departments asked to act see it through their assignments.
    scope_by_level = {
        "county": "county",
        "township": "township",
        "village": "village",
        "organ": _cases_assigned_to,
    }


class Case(models.Model):
    reference = models.CharField(_("reference number"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(pgettext_lazy("case", "year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="raised_cases"
    )
    village = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_cases",
    )
    # The township's county, copied so a county's lists are one index range (issue 12); set by the
    # raising service, followed on a township's move (cases.denormalised), checked by PostgreSQL.
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    item = models.ForeignKey(
        "governance.CoordinationItem",
        verbose_name=_("coordination item"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=CasePriority.choices, default=CasePriority.NORMAL)
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN, editable=False
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    raised_at = models.DateTimeField(_("raised at"), editable=False)
    closed_at = models.DateTimeField(pgettext_lazy("case", "closed at"), null=True, blank=True, editable=False)
    # The ids of the departments ever asked to act on the case, for the departments' lists (issue
    # 12). The database keeps it: a trigger on the assignments (cases migration 0019), whoever
    # writes them; derived data, so no history of its own. Never set it from Python.
    departments = models.JSONField(_("departments"), default=list, editable=False)

    history = HistoricalRecords(excluded_fields=["departments"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "sequence"], name="case_sequence_per_township_year"),
            models.CheckConstraint(
                name="case_closed_has_time",
                condition=Q(state=CaseState.OPEN, closed_at__isnull=True)
                | Q(state=CaseState.CLOSED, closed_at__isnull=False),
            ),
        ]
        # Each list's default order within each scope is one index range (issue 12: a million cases).
        indexes = [
            models.Index(fields=["township", "state", "-raised_at"], name="case_township_state"),
            models.Index(fields=["-raised_at", "-id"], name="case_raised_at"),
            models.Index(fields=["county", "-raised_at", "-id"], name="case_county_raised"),
            models.Index(fields=["township", "-raised_at", "-id"], name="case_township_raised"),
            models.Index(fields=["village", "-raised_at", "-id"], name="case_village_raised"),
            # A reference typed in part (2026-419921…) is a prefix range on PostgreSQL.
            models.Index(fields=["reference"], name="case_reference_prefix", opclasses=["varchar_pattern_ops"]),
            # Open cases (a few in a hundred) by county and city-wide, newest first: the "open" filter.
            models.Index(
                fields=["county", "-raised_at", "-id"], name="case_open_county", condition=Q(state=CaseState.OPEN)
            ),
            models.Index(fields=["-raised_at", "-id"], name="case_open_raised", condition=Q(state=CaseState.OPEN)),
            # Urgent cases (one in seven of the generated city) by county and city-wide, newest first: the "urgent"
            # filter's page and its capped count (which read the table until a thousand turned up:
            # 17–200 ms at a million cases, with the disk).
            models.Index(
                fields=["county", "-raised_at", "-id"],
                name="case_urgent_county",
                condition=Q(priority=CasePriority.URGENT),
            ),
            models.Index(
                fields=["-raised_at", "-id"], name="case_urgent_raised", condition=Q(priority=CasePriority.URGENT)
            ),
            # The home page's weekly trend counts cases raised *or closed* since eight weeks ago: with
            # the closing time indexed too, that OR is two index ranges (308 ms to 11 ms for a county
            # centre at a million cases, bench/README.md).
            models.Index(
                fields=["county", "closed_at"], name="case_county_closed", condition=Q(closed_at__isnull=False)
            ),
            models.Index(fields=["closed_at"], name="case_closed", condition=Q(closed_at__isnull=False)),
            # The same for a township's clerk and secretary (it read all the township's cases).
            models.Index(
                fields=["township", "closed_at"], name="case_township_closed", condition=Q(closed_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"


class CaseCounterQuerySet(ScopedQuerySet):
    scope_fields = ("township",)


class CaseCounter(models.Model):
    """The last sequence number given out per (township, year); its row is the lock that makes
    reference numbers race-safe. Derived bookkeeping, so it keeps no history of its own."""

    township = models.ForeignKey("governance.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = CaseCounterQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="case_counter_per_township_year")]

    def __str__(self):
        return f"{self.township_id}/{self.year}: {self.last}"


def attachment_path(instance, filename: str) -> str:
    return f"cases/{instance.case.year}/{instance.case.reference}/{PurePosixPath(filename).name}"


def attachment_size_validate(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(ATTACHMENT_TOO_LARGE)


class CaseAttachmentQuerySet(ScopedQuerySet):
    scope_fields = ("case__township", "case__village")


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        max_length=250,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), attachment_size_validate],
        help_text=_("Photos or documents: jpg, png, pdf, doc(x), xls(x); at most 20 MB."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CaseAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return PurePosixPath(self.file.name).name


class CaseAssignmentQuerySet(ScopedQuerySet):
    # A department sees its own assignments only; the raising township (and its village) all of
    # its case's assignments; the county governance centre's county grant covers both.
    scope_by_level = {"county": "county", "township": "township", "village": "case__village", "organ": "department"}


class CaseAssignment(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="assignments")
    department = models.ForeignKey(
        "governance.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="case_assignments"
    )
    # The case's township and county, copied so each scope's list is one index range (issue 12).
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED, editable=False
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    round_started_at = models.DateTimeField(_("round started at"), editable=False)
    accept_due = models.DateTimeField(_("accept by"), db_index=True, editable=False)
    feedback_due = models.DateTimeField(_("first feedback by"), db_index=True, editable=False)
    resolve_due = models.DateTimeField(_("resolve by"), db_index=True, editable=False)
    close_due = models.DateTimeField(_("close by"), db_index=True, editable=False)
    # Years whose holidays were not known when the dues were computed (Monday–Friday assumed).
    guessed_years = models.CharField(
        _("calendar years assumed Monday–Friday"), max_length=40, blank=True, editable=False
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    feedback_at = models.DateTimeField(_("first feedback at"), null=True, blank=True, editable=False)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True, editable=False)
    feedback = models.TextField(_("progress feedback"), blank=True, editable=False)
    response = models.TextField(_("result"), blank=True, editable=False)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True, editable=False)
    rating_comment = models.TextField(_("rating comment"), blank=True, editable=False)
    overdue = models.BooleanField(_("overdue"), default=False, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    escalated_to = models.ForeignKey(
        "governance.LeadershipPost",
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reassigned_to = models.OneToOneField(
        "self",
        verbose_name=_("reassigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassigned_from",
        editable=False,
    )
    created_at = models.DateTimeField(_("assigned at"), editable=False)

    history = HistoricalRecords()
    objects = CaseAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"],
                condition=Q(state__in=LIVE_STATES),
                name="assignment_one_live_per_department",
            ),
            models.CheckConstraint(
                name="assignment_dues_in_order",
                condition=Q(accept_due__lte=models.F("feedback_due"))
                & Q(feedback_due__lte=models.F("resolve_due"))
                & Q(resolve_due__lte=models.F("close_due")),
            ),
            models.CheckConstraint(
                name="assignment_completed_is_rated_satisfied",
                condition=~Q(state=AssignmentState.COMPLETED)
                | Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED]),
            ),
        ]
        indexes = [
            # A department's steps by state and, with their dues, how many are overdue: the home
            # page's figure from this index alone (it read the department's rows: 150 ms at a million).
            models.Index(
                fields=["department", "state", "accept_due", "feedback_due", "resolve_due", "id"],
                name="assignment_department_dues",
            ),
            # A department's cases (the case list's scope) from the index alone: no heap read per case.
            models.Index(fields=["department", "case"], name="assignment_department_case"),
            models.Index(fields=["state", "overdue"], name="assignment_state_overdue"),
            models.Index(fields=["department", "-created_at", "-id"], name="assignment_department_created"),
            models.Index(fields=["township", "-created_at", "-id"], name="assignment_township_created"),
            models.Index(fields=["county", "-created_at", "-id"], name="assignment_county_created"),
            # A township's list filtered by one department (its most used filter): the newest 50 in one
            # range, not the township's steps ANDed with the department's and sorted (21 ms at a million).
            models.Index(
                fields=["township", "department", "-created_at", "-id"], name="assignment_township_department"
            ),
            models.Index(fields=["-created_at", "-id"], name="assignment_created"),
            models.Index(fields=["department", "resolve_due"], name="assignment_department_resolve"),
            models.Index(fields=["township", "resolve_due"], name="assignment_township_resolve"),
            models.Index(fields=["county", "resolve_due"], name="assignment_county_resolve"),
            # What departments still owe (a few in a hundred): the "overdue" and state filters of each scope.
            models.Index(
                fields=["county", "-created_at", "-id"],
                name="assignment_pending_county",
                condition=Q(state__in=DEPARTMENT_PENDING_STATES),
            ),
            models.Index(
                fields=["township", "-created_at", "-id"],
                name="assignment_pending_township",
                condition=Q(state__in=DEPARTMENT_PENDING_STATES),
            ),
            models.Index(
                fields=["department", "-created_at", "-id"],
                name="assignment_pending_department",
                condition=Q(state__in=DEPARTMENT_PENDING_STATES),
            ),
            # What the overdue sweep looks for (cases.deadlines): only rows not yet marked or escalated,
            # so these stay small and the sweep reads them, not the whole table (issue 12).
            models.Index(
                fields=["accept_due"],
                name="sweep_accept",
                condition=Q(state=AssignmentState.ASSIGNED, overdue=False),
            ),
            models.Index(
                fields=["feedback_due"],
                name="sweep_feedback",
                condition=Q(state=AssignmentState.ACCEPTED, overdue=False),
            ),
            models.Index(
                fields=["resolve_due"],
                name="sweep_resolve",
                condition=Q(state=AssignmentState.IN_PROGRESS, overdue=False),
            ),
            models.Index(
                fields=["resolve_due"],
                name="sweep_escalate",
                condition=Q(state__in=DEPARTMENT_PENDING_STATES, escalated_at__isnull=True),
            ),
            # The home page's "owed by unit" figure (cases.figures.pending_by) from this index alone:
            # the city's grouped every owed step's row from the table (169 ms to 24 ms at a million).
            models.Index(
                fields=["county", "township", "department", "state", "accept_due", "feedback_due", "resolve_due", "id"],
                name="assignment_owed_figures",
                condition=Q(state__in=[*DEPARTMENT_PENDING_STATES, AssignmentState.DECLINED]),
            ),
            # A township's queue and its steps owed by department, on every visit of its home page:
            # its awaiting steps from this index alone, not its every step ANDed with every awaiting
            # step of the city (20 ms to 1 at a million cases, bench/README.md).
            models.Index(
                fields=[
                    "township",
                    "state",
                    "department",
                    "accept_due",
                    "feedback_due",
                    "resolve_due",
                    "close_due",
                    "id",
                ],
                name="assignment_township_awaiting",
                condition=Q(
                    state__in=[*DEPARTMENT_PENDING_STATES, AssignmentState.RESPONDED, AssignmentState.DECLINED]
                ),
            ),
            # The county governance centre's queue (declined, overdue, escalated), on every visit of its
            # home page, from this index alone: it read the county's awaiting rows from the table
            # (5,000 pages, 19 ms at a million cases; bench/README.md).
            models.Index(
                fields=["county", "state", "accept_due", "feedback_due", "resolve_due", "escalated_at", "id"],
                name="assignment_county_awaiting",
                condition=Q(
                    state__in=[*DEPARTMENT_PENDING_STATES, AssignmentState.RESPONDED, AssignmentState.DECLINED]
                ),
            ),
            # Escalations (督办) by deputy on the county centre's and the city's home page: the few
            # escalated steps, by county (425 ms to 26 ms at a million cases, bench/README.md).
            models.Index(
                fields=["county", "escalated_at"], name="assignment_escalated", condition=Q(escalated_at__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} · {self.department}"

    @property
    def next_due(self):
        """When the step awaited now falls due ("13710"): the department's next step, or the
        township's rating (by the close date) once the department has responded."""
        field = NEXT_DUE_FIELD.get(self.state)
        return getattr(self, field) if field else None


class TransitionAction(models.TextChoices):
    RAISE = "raise", _("Raised")
    ASSIGN = "assign", _("Assigned")
    ACCEPT = "accept", _("Accepted (报到)")
    FEEDBACK = "feedback", _("Progress feedback")
    RESPOND = "respond", _("Responded")
    RATE = "rate", _("Rated")
    DECLINE = "decline", _("Declined as not ours")
    REASSIGN = "reassign", _("Reassigned")
    ESCALATE = "escalate", _("Escalated (督办)")
    OVERDUE = "overdue", _("Marked overdue")
    CLOSE = "close", _("Closed (销号)")
    LEFT_OUT = "left_out", _("Co-handling department left out")
    CHASE = "chase", _("Chased (催办)")


class CaseTransitionQuerySet(ScopedQuerySet):
    scope_fields = ("department", "case__township", "case__village")


class CaseTransition(models.Model):
    """One row per step: who did what, from which state to which, why, when, and for the
    scorecards whether a timed step was on time. Rows are only ever inserted: they are the
    audit trail themselves, so they carry no simple-history table."""

    # Indexed with the time (transition_case_at below), which also serves what the case alone did.
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="transitions", db_index=False
    )
    # The case's township, copied as on assignments (issue 12): a township's scorecard counts its
    # cases' steps of a month from one index range. On PostgreSQL a composite foreign key checks
    # the copy against the case (cases migration 0024).
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    assignment = models.ForeignKey(
        CaseAssignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    # The department the step concerned, kept even after the assignment moves on.
    department = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(pgettext_lazy("case step", "action"), max_length=10, choices=TransitionAction.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    reason = models.TextField(_("reason or content"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    on_time = models.BooleanField(_("on time"), null=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    objects = CaseTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "pk"]
        indexes = [
            # A department's steps of a period, for the scorecards: one range per department. (With
            # the action second, the city's scorecard of a month read every department's steps of
            # every month: 620 ms at a million cases.)
            models.Index(fields=["department", "at", "action"], name="transition_department_at"),
            # A case's timeline in order.
            models.Index(fields=["case", "at"], name="transition_case_at"),
            # A township's departments' steps of a period, for its scorecards, from the index alone.
            models.Index(
                fields=["township", "at", "department", "action", "on_time", "rating"],
                condition=models.Q(department__isnull=False),
                name="transition_township_scores",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} {self.get_action_display()}"

    def _state_label(self, value: str) -> str:
        choices = CaseState if self.assignment_id is None else AssignmentState
        return str(choices(value).label) if value in choices.values else value

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_state)


class ServiceRequestState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", pgettext_lazy("service request", "Accepted")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


class DeskLevel(models.TextChoices):
    VILLAGE = "village", _("Village desk")
    TOWNSHIP = "township", _("Township desk")


class ServiceRequestQuerySet(ScopedQuerySet):
    scope_by_level = {"county": "county", "township": "township", "village": "village"}


class ServiceRequest(models.Model):
    item = models.ForeignKey(
        "governance.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT, related_name="requests"
    )
    township = models.ForeignKey(
        "governance.Unit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="service_requests"
    )
    # The village whose desk logged it; empty when logged at the township desk.
    village = models.ForeignKey(
        "governance.Unit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_service_requests",
    )
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    desk = models.CharField(_("now handled at"), max_length=10, choices=DeskLevel.choices, editable=False)
    applicant_name = models.CharField(_("applicant"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    phone = models.CharField(_("phone"), max_length=20)
    received_at = models.DateTimeField(_("received at"), editable=False)
    due_at = models.DateTimeField(_("due"), db_index=True, editable=False)
    guessed_years = models.CharField(
        _("calendar years assumed Monday–Friday"), max_length=40, blank=True, editable=False
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ServiceRequestState.choices,
        default=ServiceRequestState.RECEIVED,
        editable=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handler"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    result = models.TextField(_("result or reason"), blank=True, editable=False)
    finished_at = models.DateTimeField(
        pgettext_lazy("service request", "finished at"), null=True, blank=True, editable=False
    )

    # Personal information stays out of the history tables, which every viewer of the record can open.
    history = HistoricalRecords(excluded_fields=["id_number", "phone"])
    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                name="service_request_village_desk_has_village",
                condition=~Q(desk=DeskLevel.VILLAGE) | Q(village__isnull=False),
            ),
            models.CheckConstraint(
                name="service_request_rejection_has_reason",
                condition=~Q(state=ServiceRequestState.REJECTED) | ~Q(result=""),
            ),
        ]
        indexes = [
            models.Index(fields=["township", "state", "-received_at"], name="service_request_township"),
            # A township's requests finished this month, beside those received and those open
            # (cases.figures.service_request_figures): three index ranges, not its every request.
            models.Index(
                fields=["township", "finished_at"],
                name="service_request_township_done",
                condition=Q(finished_at__isnull=False),
            ),
            models.Index(fields=["village", "state"], name="service_request_village"),
            models.Index(fields=["-received_at", "-id"], name="service_request_received"),
            models.Index(fields=["county", "-received_at", "-id"], name="service_request_county"),
            models.Index(fields=["township", "-received_at", "-id"], name="service_request_township_rcv"),
            models.Index(fields=["village", "-received_at", "-id"], name="service_request_village_rcv"),
        ]

    def __str__(self):
        return f"{self.item.name} · {self.applicant_name}"


class ServiceRequestAction(models.TextChoices):
    LOG = "log", _("Logged")
    ACCEPT = "accept", pgettext_lazy("service request", "Accepted")
    FORWARD = "forward", _("Passed to the township")
    COMPLETE = "complete", _("Completed")
    REJECT = "reject", _("Rejected")


class ServiceRequestTransitionQuerySet(ScopedQuerySet):
    scope_fields = ("request__township", "request__village")


class ServiceRequestTransition(models.Model):
    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(pgettext_lazy("case step", "action"), max_length=10, choices=ServiceRequestAction.choices)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10)
    from_desk = models.CharField(_("from desk"), max_length=10, blank=True)
    to_desk = models.CharField(_("to desk"), max_length=10)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    objects = ServiceRequestTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("service request step")
        verbose_name_plural = _("service request steps")
        ordering = ["at", "pk"]
        # The API's "changed since" (governance.api.selectors) starts from the steps after a moment.
        indexes = [models.Index(fields=["at"], name="service_request_step_at")]

    def __str__(self):
        return f"{self.request_id} {self.get_action_display()}"

    @property
    def to_label(self) -> str:
        return f"{ServiceRequestState(self.to_state).label} · {DeskLevel(self.to_desk).label}"


# Work beyond whistle-and-report cases (issue 16), in modules of their own.
from cases.branch_pairing import BranchPair, PairActivity, PartyBranch  # noqa: E402, F401
from cases.inspections import Inspection, InspectionFinding  # noqa: E402, F401
from cases.taskforces import TaskForce, TaskForceMilestone, TaskForceProgress  # noqa: E402, F401
from cases.terminals import VillageTerminal  # noqa: E402, F401
