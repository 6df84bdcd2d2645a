"""The county government's "一正六副" (DESIGN.md M2): one head and six deputies with portfolios.

Each deputy's portfolio oversees named departments; an escalation (督办) of a department's
case records the deputy whose portfolio covers that department.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.scoping import ScopedQuerySet

PORTFOLIO_NEEDS_DEPUTY = _("Only a deputy county head's portfolio oversees departments.")
PORTFOLIO_DEPARTMENT_OUTSIDE_COUNTY = _("A portfolio can oversee only departments of its own county.")


class PostRank(models.TextChoices):
    HEAD = "head", _("County head")
    DEPUTY = "deputy", _("Deputy county head")


class Portfolio(models.TextChoices):
    COMPREHENSIVE_INDUSTRY = "comprehensive_industry", _("Comprehensive affairs and industry")
    TRANSPORT_CULTURE_TOURISM = "transport_culture_tourism", _("Transport, culture and tourism")
    AGRICULTURE = "agriculture", _("Agriculture")
    URBAN_CONSTRUCTION = "urban_construction", _("Urban construction")
    LIVELIHOOD = "livelihood", _("Livelihood")
    POLITICAL_LEGAL = "political_legal", _("Political and legal affairs")


class LeadershipPostQuerySet(ScopedQuerySet):
    scope_fields = ("county",)


class LeadershipPost(models.Model):
    county = models.ForeignKey(
        "governance.Unit", verbose_name=_("county"), on_delete=models.PROTECT, related_name="leadership_posts"
    )
    rank = models.CharField(_("rank"), max_length=10, choices=PostRank.choices)
    portfolio = models.CharField(_("portfolio"), max_length=30, choices=Portfolio.choices, blank=True)
    holder_name = models.CharField(_("holder"), max_length=50, blank=True)
    departments = models.ManyToManyField(
        "governance.Unit",
        verbose_name=_("departments overseen"),
        through="PortfolioDepartment",
        related_name="+",
        blank=True,
    )

    history = HistoricalRecords()
    objects = LeadershipPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("leadership post")
        verbose_name_plural = _("leadership posts")
        ordering = ["county", "rank", "portfolio"]
        constraints = [
            models.CheckConstraint(
                name="post_head_has_no_portfolio_deputy_has_one",
                condition=Q(rank=PostRank.HEAD, portfolio="") | (Q(rank=PostRank.DEPUTY) & ~Q(portfolio="")),
            ),
            models.UniqueConstraint(
                fields=["county"], condition=Q(rank=PostRank.HEAD), name="post_one_head_per_county"
            ),
            models.UniqueConstraint(
                fields=["county", "portfolio"], condition=Q(rank=PostRank.DEPUTY), name="post_one_deputy_per_portfolio"
            ),
        ]

    def __str__(self):
        title = self.get_rank_display() if self.rank == PostRank.HEAD else self.get_portfolio_display()
        return f"{self.county} · {title} · {self.holder_name}" if self.holder_name else f"{self.county} · {title}"


class PortfolioDepartment(models.Model):
    """A department overseen by a deputy; a department has at most one overseeing deputy."""

    post = models.ForeignKey(LeadershipPost, verbose_name=_("post"), on_delete=models.CASCADE)
    department = models.OneToOneField(
        "governance.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="overseeing_post_link"
    )

    class Meta:
        verbose_name = _("department overseen")
        verbose_name_plural = _("departments overseen")

    def __str__(self):
        return str(self.department)

    def clean(self):
        if self.post_id and self.post.rank != PostRank.DEPUTY:
            raise ValidationError(PORTFOLIO_NEEDS_DEPUTY)
        if self.department_id and (
            self.department.level != "organ" or (self.post_id and self.department.parent_id != self.post.county_id)
        ):
            raise ValidationError({"department": PORTFOLIO_DEPARTMENT_OUTSIDE_COUNTY})


def deputy_overseeing(department) -> LeadershipPost | None:
    """The deputy whose portfolio covers ``department``: who a 督办 escalation is routed to."""
    return LeadershipPost.objects.filter(portfoliodepartment__department=department).first()
