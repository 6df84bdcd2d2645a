"""Township leadership teams (issue 15 item 5).

Speech §二: "实施乡镇(街道)领导班子'龙头工程'，优化乡镇领导班子结构". A township's team is a set of posts
(党委书记, 乡镇长, 党委副书记, 人大主席, 副乡镇长, 纪委书记, 组织委员, 宣传委员, 武装部长 …), each held by a
cadre or vacant; the structure report reads age, education and gender from the holders.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import Unit, UnitLevel
from governance.scoping import ScopedQuerySet
from staffing.models import Cadre


class TeamPost(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("Party committee secretary (党委书记)")
    HEAD = "head", _("Township head (乡镇长)")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy party secretary (党委副书记)")
    CONGRESS_CHAIR = "congress_chair", _("People's congress chair (人大主席)")
    DEPUTY_HEAD = "deputy_head", _("Deputy township head (副乡镇长)")
    DISCIPLINE_SECRETARY = "discipline_secretary", _("Discipline inspection secretary (纪委书记)")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation committee member (组织委员)")
    PUBLICITY_MEMBER = "publicity_member", _("Publicity committee member (宣传委员)")
    POLITICAL_LEGAL_MEMBER = "political_legal_member", _("Political and legal committee member (政法委员)")
    ARMED_FORCES_HEAD = "armed_forces_head", _("Armed forces department head (武装部长)")


TEAM_POST_IN_TOWNSHIP = _("A leadership team belongs to a township-level unit.")
HOLDER_NOT_OF_TOWNSHIP = _("The holder of a township post is a cadre of that township (or seconded to it).")


class TeamPositionQuerySet(ScopedQuerySet):
    scope_fields = ("township",)

    def vacant(self):
        return self.filter(holder__isnull=True)


class TeamPosition(models.Model):
    """One seat of a township's leadership team; a post with several seats (副乡镇长) has one row each."""

    township = models.ForeignKey(
        Unit, verbose_name=_("township"), on_delete=models.PROTECT, related_name="team_positions"
    )
    post = models.CharField(_("post"), max_length=30, choices=TeamPost.choices)
    seat = models.PositiveSmallIntegerField(_("seat"), default=1, help_text=_("1, 2, … for posts with several seats."))
    holder = models.ForeignKey(
        Cadre,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_positions",
        help_text=_("Leave empty while the post is vacant."),
    )
    since = models.DateField(_("held since"), null=True, blank=True)

    history = HistoricalRecords()
    objects = TeamPositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("leadership team post")
        verbose_name_plural = _("leadership team posts")
        ordering = ["township__path", "post", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["township", "post", "seat"], name="team_position_one_per_seat"),
        ]

    def __str__(self):
        seat = f" {self.seat}" if self.seat > 1 else ""
        return f"{self.township.name} · {self.get_post_display()}{seat}"

    def clean(self):
        if self.township_id and self.township.level != UnitLevel.TOWNSHIP:
            raise ValidationError({"township": TEAM_POST_IN_TOWNSHIP})
