"""Keeping a village's convenience-service terminal and reading the requests logged there."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cases.models import ServiceRequest, ServiceRequestState
from cases.terminals import VillageTerminal
from governance.models import ServiceLevel, UnitLevel
from governance.roles import Capability
from governance.scoping import holds

TERMINAL_NOT_A_VILLAGE = _("A convenience-service terminal sits in a village or community.")
MAY_NOT_KEEP_TERMINAL = _("You may not keep the terminal of this village.")
TERMINAL_ITEM_NOT_VILLAGE_LEVEL = _("“%(item)s” is not a village-level service item: a terminal cannot offer it.")
RECENT_REQUESTS = 20


@transaction.atomic
def terminal_save(*, actor, terminal: VillageTerminal, items=None) -> VillageTerminal:
    """Whoever logs the village's service requests (its clerk, its township's desk) keeps its terminal."""
    if terminal.village.level != UnitLevel.VILLAGE:
        raise ValidationError({"village": TERMINAL_NOT_A_VILLAGE})
    if not holds(actor, Capability.LOG_SERVICE_REQUEST, terminal.village_id):
        raise ValidationError(MAY_NOT_KEEP_TERMINAL)
    for item in items or ():
        if item.level != ServiceLevel.VILLAGE:
            raise ValidationError(
                {"items": ValidationError(TERMINAL_ITEM_NOT_VILLAGE_LEVEL, params={"item": item.name})}
            )
    terminal.full_clean()
    terminal._history_user = actor
    terminal.save()
    if items is not None:
        terminal.items.set(items)
    return terminal


def terminal_requests(*, terminal: VillageTerminal, user) -> tuple[dict, list]:
    """The counts of the requests logged at the village's desk by state, and the latest ones, as
    the user may see them (two queries)."""
    logged = ServiceRequest.objects.for_user(user).filter(village=terminal.village_id)
    counts = logged.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state__in=[ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED])),
        completed=Count("pk", filter=Q(state=ServiceRequestState.COMPLETED)),
    )
    return counts, list(logged.select_related("item").order_by("-received_at")[:RECENT_REQUESTS])
