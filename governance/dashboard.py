"""The picture of each user's scope on the admin home page, below their queue (DESIGN.md M11,
"digital twin"; issue 13).

Apps register providers in their ``AppConfig.ready`` as they do for the queue
(``governance.todo``); a provider takes the request and returns the ``Panel``s of the roles the
user holds. A panel is a small table whose figures each link to the filtered list behind them;
a panel with a ``chart`` is also drawn by Apache ECharts (served from our static files, never a
CDN: these systems run on closed government networks), the table staying as the chart's
accessible and printable numbers.

Figures are read with grouped aggregates, one query per panel whatever the rows, and kept in
the cache for ``DASHBOARD_CACHE_SECONDS`` per scope (``figures_cached``): at a million cases the
city's and a county's figures take a moment to count, and a picture a few minutes old serves a
supervisor as well. Each panel says when it was computed; the queue above stays live.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from governance.scoping import sees_everything, unit_grants

ECHARTS = "governance/vendor/echarts-5.6.0/echarts.min.js"
CHARTS = ("bar", "stacked", "line", "gauge")


@dataclass(frozen=True)
class Cell:
    value: object  # a number (charted), a percentage (Decimal), a text, or None (shown as —)
    url: str = ""
    urgent: bool = False  # shown as a warning when not zero (overdue, over quota, vetoed)
    suffix: str = ""  # "%" after a rate

    @property
    def number(self) -> float | None:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float, Decimal)):
            return None
        return float(self.value)


@dataclass(frozen=True)
class Panel:
    key: str  # the HTML id, unique on the page
    title: str
    columns: tuple[str, ...]  # the first names the rows
    rows: tuple[tuple[Cell, ...], ...]
    order: int = 100  # panels are shown by this, then as registered
    chart: str = ""  # one of CHARTS, or "" for a table alone
    chart_columns: tuple[int, ...] = ()  # the value columns charted (1 is the first after the label)
    computed_at: datetime | None = None
    note: str = ""  # what the figures count (period, scope)
    more: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, url) links under it

    @property
    def chart_id(self) -> str:
        return f"panel-{self.key}-data"

    def chart_data(self) -> dict | None:
        """What ``governance/dashboard.js`` draws: the row labels as categories, one series per
        charted column (rows with no number drawn as gaps)."""
        if self.chart not in CHARTS or not self.rows:
            return None
        columns = self.chart_columns or tuple(range(1, len(self.columns)))
        return {
            "type": self.chart,
            "categories": [str(row[0].value) for row in self.rows],
            "series": [
                {"name": str(self.columns[column]), "data": [row[column].number for row in self.rows]}
                for column in columns
            ],
        }


PanelProvider = Callable[[HttpRequest], Iterable[Panel]]

_providers: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest) -> list[Panel]:
    if not request.user.is_authenticated:
        return []
    panels = [panel for provider in _providers for panel in provider(request)]
    return sorted(panels, key=lambda panel: panel.order)


def scope_key(user, capability: str) -> str:
    """Who shares a picture: users holding ``capability`` in the same units see the same figures."""
    if sees_everything(user):
        return "all"
    return f"{capability}:" + ",".join(f"{unit}" for unit, _level in unit_grants(user, capability))


# The cache keys counted so far by a refresh under way (``figures_refreshing``), else None.
_refreshed: ContextVar[set[str] | None] = ContextVar("dashboard_refreshed", default=None)


def figures_cached(name: str, scope: str, compute: Callable[[], object]) -> tuple[object, datetime]:
    """``compute()``'s figures and when they were computed, from the cache when younger than
    ``DASHBOARD_CACHE_SECONDS``. Figures hold numbers and unit names, never translated text, so
    one entry serves both languages. During a refresh each entry is counted again, once."""
    key = f"dashboard:{name}:{scope}:{timezone.localdate().isoformat()}"
    seconds = settings.DASHBOARD_CACHE_SECONDS
    refreshed = _refreshed.get()
    fresh_enough = refreshed is None or key in refreshed
    hit = cache.get(key) if seconds and fresh_enough else None
    if hit is not None:
        return hit
    entry = (compute(), timezone.now())
    if seconds:
        cache.set(key, entry, seconds)
    if refreshed is not None:
        refreshed.add(key)
    return entry


@contextmanager
def figures_refreshing() -> Iterator[set[str]]:
    """Within: every figure asked is counted again (``governance.dashboard_refresh``); yields the
    keys counted."""
    refreshed: set[str] = set()
    token = _refreshed.set(refreshed)
    try:
        yield refreshed
    finally:
        _refreshed.reset(token)


def weeks_back(count: int, today: date | None = None) -> list[tuple[date, date]]:
    """The last ``count`` weeks, Monday to the next Monday (half-open), oldest first; the last is
    this week so far."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return [(monday - timedelta(weeks=back), monday - timedelta(weeks=back - 1)) for back in range(count - 1, -1, -1)]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()), timezone.get_default_timezone())


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal; None (shown as —) when nothing counted."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"))
