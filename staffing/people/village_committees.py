"""Village (community) two-committee members (村“两委”干部, issue 15 item 1).

Speech §二: training and management reach "村(社区)'两委'干部". A member is held by a village: the
party branch committee (支部委员会) and the villagers' committee (村民委员会). One person, one record,
one post; "一肩挑" (secretary and director in one person) fills both heads' posts. The ID number,
phone and personal-information rules are the cadres' (staffing.people.personal_info).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.dates import date_in_range
from governance.models import Unit, UnitLevel
from governance.scoping import ScopedQuerySet
from staffing.idnumbers import Gender
from staffing.models import ID_NUMBER_NEEDED, PersonalInfo
from staffing.people.personal_info import personal_info_clean


class CommitteePost(models.TextChoices):
    SECRETARY = "secretary", _("Party branch secretary (书记)")
    DIRECTOR = "director", _("Villagers' committee director (主任)")
    BOTH = "both", _("Secretary and director in one (一肩挑)")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy party branch secretary")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    BRANCH_MEMBER = "branch_member", _("Party branch committee member")
    COMMITTEE_MEMBER = "committee_member", _("Villagers' committee member")


# The posts every committee must have filled: who heads the branch, who heads the villagers' committee.
SECRETARY_POSTS = (CommitteePost.SECRETARY, CommitteePost.BOTH)
DIRECTOR_POSTS = (CommitteePost.DIRECTOR, CommitteePost.BOTH)

MEMBER_VILLAGE_LEVEL = _("A two-committee member is held by a village or community.")
SECRETARY_TAKEN = _("The village already has a party branch secretary (书记 or 一肩挑).")
DIRECTOR_TAKEN = _("The village already has a villagers' committee director (主任 or 一肩挑).")
TERM_END_BEFORE_START = _("The term cannot end before it starts.")
MEMBER_ID_NUMBER_TAKEN = _("A two-committee member with this ID number is already recorded.")


class VillageMemberQuerySet(ScopedQuerySet):
    scope_fields = ("village",)


class VillageMember(PersonalInfo):
    village = models.ForeignKey(
        Unit, verbose_name=_("village"), on_delete=models.PROTECT, related_name="committee_members"
    )
    post = models.CharField(_("committee post"), max_length=20, choices=CommitteePost.choices)
    term_start = models.DateField(_("term start"), validators=[date_in_range])
    term_end = models.DateField(
        _("term end"),
        null=True,
        blank=True,
        validators=[date_in_range],
        help_text=_("The term's scheduled end: five years after the election."),
    )

    history = HistoricalRecords(no_db_index=["id_number", "village"])
    objects = VillageMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("village two-committee member")
        verbose_name_plural = _("village two-committee members")
        ordering = ["village__path", "post", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                name="village_member_id_number_unique",
                violation_error_message=MEMBER_ID_NUMBER_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(post__in=SECRETARY_POSTS),
                name="village_member_one_secretary",
                violation_error_message=SECRETARY_TAKEN,
            ),
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(post__in=DIRECTOR_POSTS),
                name="village_member_one_director",
                violation_error_message=DIRECTOR_TAKEN,
            ),
            models.CheckConstraint(
                name="village_member_gender_known",
                condition=Q(gender__in=[Gender.MALE, Gender.FEMALE]),
                violation_error_message=ID_NUMBER_NEEDED,
            ),
            models.CheckConstraint(
                name="village_member_birth_date_known",
                condition=Q(birth_date__isnull=False),
                violation_error_message=ID_NUMBER_NEEDED,
            ),
            models.CheckConstraint(
                name="village_member_term_in_order",
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                violation_error_message=TERM_END_BEFORE_START,
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_post_display()}）"

    def clean(self):
        errors = personal_info_clean(self)
        if self.village_id and self.village.level != UnitLevel.VILLAGE:
            errors["village"] = MEMBER_VILLAGE_LEVEL
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude={*(exclude or ()), "id_number"})  # ``clean`` parses it (as Cadre's)

    def validate_constraints(self, exclude=None):
        if not getattr(self, "_id_number_parsed", False):
            exclude = {*(exclude or ()), "gender", "birth_date"}
        super().validate_constraints(exclude)

    @property
    def heads_branch(self) -> bool:
        return self.post in SECRETARY_POSTS


class VillageCommittee(Unit):
    """A village seen for its two committees: who holds the heads' posts, which are empty."""

    class Meta:
        proxy = True
        verbose_name = _("village two committees")
        verbose_name_plural = _("village two committees")
