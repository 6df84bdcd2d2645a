"""The home pages' figures counted ahead of their people (issue 12), under Celery beat.

A home page counts its area's figures on the first visit after they expire
(``DASHBOARD_CACHE_SECONDS``): at a million cases the township clerk's first visit of the five
minutes took 150 ms where a later one took 70. Here the figures of everyone who may still be
signed in (a login within ``SESSION_COOKIE_AGE``) are counted again before they expire, each
area's once however many people share it, so a person finds them already counted. The figures are
the ones the page would count (``governance.dashboard.panels_for``, the same providers), into the
same cache entries; a page still counts any it does not find (after a restart, or for someone
signing in for the first time today).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.dashboard import figures_refreshing, panels_for

REFRESH_NOT_BEFORE_EXPIRY = _(
    "DASHBOARD_REFRESH_SECONDS (%(refresh)s) is not shorter than DASHBOARD_CACHE_SECONDS (%(cache)s): "
    "the home pages' figures expire before Celery beat counts them again, and people wait for the counting."
)
REFRESH_NOT_BEFORE_EXPIRY_HINT = _(
    "Set DASHBOARD_REFRESH_SECONDS below DASHBOARD_CACHE_SECONDS (240 and 300 by default), or 0 to turn "
    "the refresh off."
)


@dataclass(frozen=True)
class RefreshResult:
    people: int  # signed in lately, so possibly still on their home page
    pictures: int  # distinct sets of roles among them: the home pages counted
    figures: int  # cache entries counted (areas shared by several pictures counted once)


def dashboards_refresh(*, now=None) -> RefreshResult:
    """Count again the home-page figures of everyone who signed in within a session's lifetime."""
    now = now or timezone.now()
    people = list(
        get_user_model()
        .objects.filter(is_active=True, last_login__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE))
        .order_by("pk")
    )
    groups: dict[int, set[int]] = {}
    memberships = get_user_model().groups.through.objects.filter(user__in=people)
    for user_id, group_id in memberships.values_list("user_id", "group_id"):
        groups.setdefault(user_id, set()).add(group_id)
    pictures = {}
    for user in people:  # the groups are the (unit, role) pairs: the same groups, the same picture
        pictures.setdefault((user.is_superuser, frozenset(groups.get(user.pk, ()))), user)
    with figures_refreshing() as counted:
        for user in pictures.values():
            panels_for(_home_request(user))
    return RefreshResult(people=len(people), pictures=len(pictures), figures=len(counted))


def _home_request(user) -> HttpRequest:
    """What a panel provider reads of a visit to the home page: the user."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    return request


def refresh_interval_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The refresh only helps if it comes before the figures expire (governance.W002)."""
    refresh, cache = settings.DASHBOARD_REFRESH_SECONDS, settings.DASHBOARD_CACHE_SECONDS
    if not refresh or not cache or refresh < cache:
        return []
    return [
        checks.Warning(
            REFRESH_NOT_BEFORE_EXPIRY % {"refresh": refresh, "cache": cache},
            hint=REFRESH_NOT_BEFORE_EXPIRY_HINT,
            id="governance.W002",
        )
    ]
