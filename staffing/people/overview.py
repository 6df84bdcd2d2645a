"""The township overview (issue 15, "Done when"): for every township a county organisation officer
sees its leadership team and vacancies, its staff by office and establishment against the posts, its
seconded and exchanged cadres, its village committees, and who in all of these is untrained this year."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Unit, UnitLevel
from staffing.models import Secondment
from staffing.people.leadership_teams import TeamPosition
from staffing.people.postings import Posting
from staffing.people.township_staff import OfficeStaff, TownshipOffice
from staffing.people.training_services import own_staff, trained_in
from staffing.people.village_committees import DIRECTOR_POSTS, SECRETARY_POSTS, VillageMember


class TownshipOverview(Unit):
    """A township-level unit seen as a whole: its people in every capacity (read-only)."""

    class Meta:
        proxy = True
        verbose_name = _("township overview")
        verbose_name_plural = _("township overviews")


def _count(queryset: QuerySet, field: str):
    """A correlated COUNT of ``queryset`` rows whose ``field`` is the outer township (0 if none)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(queryset: QuerySet, field: str, summed: str):
    total = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Sum(summed)).values("n")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def township_overviews(*, user, year: int | None = None) -> QuerySet:
    """The townships the user sees, each with the figures of the county summary table."""
    year = year or timezone.localdate().year
    villages = Unit.objects.filter(level=UnitLevel.VILLAGE)
    members = VillageMember.objects.filter(village=OuterRef("pk"))
    headless = villages.exclude(
        Exists(members.filter(post__in=SECRETARY_POSTS)) & Exists(members.filter(post__in=DIRECTOR_POSTS))
    )
    untrained_staff = own_staff(Unit.objects.all()).exclude(trained_in(year, "cadre"))
    untrained_seconded = Secondment.objects.in_force().exclude(trained_in(year, "cadre", outer="cadre_id"))
    untrained_members = VillageMember.objects.exclude(trained_in(year, "village_member"))
    return (
        TownshipOverview.objects.for_user(user)
        .filter(level=UnitLevel.TOWNSHIP)
        .select_related("parent")
        .annotate(
            team_posts=_count(TeamPosition.objects.all(), "township"),
            team_vacancies=_count(TeamPosition.objects.filter(holder__isnull=True), "township"),
            office_posts=_sum(TownshipOffice.objects.all(), "township", "administrative_quota")
            + _sum(TownshipOffice.objects.all(), "township", "institution_quota"),
            office_staff=_count(OfficeStaff.objects.all(), "office__township"),
            seconded_in=_count(Secondment.objects.in_force(), "host_unit"),
            posted_in=_count(Posting.objects.live(), "to_unit"),
            posted_out=_count(Posting.objects.live(), "from_unit"),
            villages_lacking_heads=_count(headless, "parent"),
            untrained=_count(untrained_staff, "home_unit")
            + _count(untrained_seconded, "host_unit")
            + _count(untrained_members, "village__parent"),
        )
        .annotate(office_gap=F("office_posts") - F("office_staff"))
        .order_by("path")
    )
