"""Composing, publishing and exporting a township's power list (权责清单).

Each power is matched with a responsibility (权责对等): a devolved enforcement item with the
comprehensive enforcement team's duty to enforce it, a service item with the convenience-service
centre's duty to handle it within its promised limit, a coordination item with what the catalogue
says the township does, and the township's own powers with what it recorded for them.
"""

import csv
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import (
    CoordinationItem,
    EnforcementItem,
    PowerListVersion,
    ServiceItem,
    TownshipPower,
    Unit,
    UnitLevel,
)
from governance.roles import Capability
from governance.scoping import holds

# The township's supervisor (party secretary or head) publishes its power list.
PUBLISH_POWER_LIST = Capability.APPROVE_ASSESSMENT

NOT_A_TOWNSHIP = gettext_lazy("A power list belongs to a township-level unit.")
MAY_NOT_PUBLISH = gettext_lazy("Only the township's supervisor may publish its power list.")
OWN_POWERS_OUTSIDE = gettext_lazy(
    "“%(unit)s” is not a township you supervise: only a township's supervisor keeps its own powers."
)
NOTHING_CHANGED = gettext_lazy("The power list has not changed since version %(number)s: nothing to publish.")
# A cell Excel would read as a formula (CSV injection): such text is written with a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class PowerRow:
    kind: str
    code: str
    name: str
    legal_basis: str
    office: str
    responsibility: str


def power_list_compose(*, township: Unit, day=None) -> list[PowerRow]:
    """The township's powers as they stand on ``day``: four queries. The labels are written in
    the site's language (Chinese), whatever the publisher's session: a version is frozen as composed."""
    with translation.override(settings.LANGUAGE_CODE):
        return _compose(township=township, day=day or timezone.localdate())


def _compose(*, township: Unit, day) -> list[PowerRow]:
    rows = [
        PowerRow(
            _("Devolved enforcement"),
            item.code,
            item.name,
            item.legal_basis,
            _("Comprehensive administrative enforcement team"),
            _("Enforce it through credentialled members; answer for unlawful or missing enforcement."),
        )
        for item in EnforcementItem.objects.in_force_on(day).order_by("code")
    ]
    rows += [
        PowerRow(
            _("Government service"),
            item.code,
            item.name,
            item.legal_basis,
            _("Convenience-service centre"),
            _("Handle it within %(days)s working days as promised.") % {"days": item.promised_limit_days},
        )
        for item in ServiceItem.objects.filter(active=True).order_by("code")
    ]
    rows += [
        PowerRow(
            _("County–township coordination"),
            item.code,
            item.name,
            "",
            _("Social governance office"),
            item.township_role,
        )
        for item in CoordinationItem.objects.filter(active=True).order_by("code")
    ]
    rows += [
        PowerRow(
            _("Own statutory power"), power.code, power.name, power.legal_basis, power.office, power.responsibility
        )
        for power in TownshipPower.objects.filter(township=township, active=True).order_by("code")
    ]
    return rows


@transaction.atomic
def township_power_save(*, actor, power: TownshipPower) -> TownshipPower:
    """Record or correct one of the township's own statutory powers (its supervisor keeps them)."""
    if power.township.level != UnitLevel.TOWNSHIP:
        raise ValidationError({"township": NOT_A_TOWNSHIP})
    if not holds(actor, PUBLISH_POWER_LIST, power.township_id):
        raise ValidationError(MAY_NOT_PUBLISH)
    power.full_clean()
    power._history_user = actor
    power.save()
    return power


@dataclass(frozen=True)
class PowerListChanges:
    """Codes added, withdrawn and corrected since the last published version; ``unchanged`` when
    the list as composed equals that version row for row (then there is nothing to publish)."""

    added: list[str]
    withdrawn: list[str]
    corrected: list[str]
    unchanged: bool


def power_list_changes(*, township: Unit, day=None) -> PowerListChanges:
    """What publishing now would change. A row is keyed by its kind and code (a service item and
    an own power may share a code); a corrected legal basis, office or duty is a change too."""
    latest = PowerListVersion.objects.filter(township=township).order_by("-number").first()
    live_rows = [asdict(row) for row in power_list_compose(township=township, day=day)]
    published = {(row["kind"], row["code"]): row for row in latest.rows} if latest else {}
    live = {(row["kind"], row["code"]): row for row in live_rows}
    common = live.keys() & published.keys()
    return PowerListChanges(
        added=[code for _kind, code in sorted(live.keys() - published.keys())],
        withdrawn=[code for _kind, code in sorted(published.keys() - live.keys())],
        corrected=[code for _kind, code in sorted(key for key in common if live[key] != published[key])],
        unchanged=latest is not None and live_rows == latest.rows,
    )


@transaction.atomic
def power_list_publish(*, actor, township: Unit, note: str = "", now=None) -> PowerListVersion:
    """Freeze the list as it stands as the township's next version. The township's row is locked
    so two publications never take the same number."""
    if township.level != UnitLevel.TOWNSHIP:
        raise ValidationError(NOT_A_TOWNSHIP)
    if not holds(actor, PUBLISH_POWER_LIST, township.pk):
        raise ValidationError(MAY_NOT_PUBLISH)
    Unit.objects.select_for_update().filter(pk=township.pk).first()
    now = now or timezone.now()
    last = PowerListVersion.objects.filter(township=township).aggregate(last=Max("number"))["last"] or 0
    if last and power_list_changes(township=township, day=timezone.localdate(now)).unchanged:
        raise ValidationError(NOTHING_CHANGED, params={"number": last})
    version = PowerListVersion(
        township=township,
        number=last + 1,
        rows=[asdict(row) for row in power_list_compose(township=township, day=timezone.localdate(now))],
        note=note[:200],
        published_at=now,
        published_by=actor,
    )
    version.full_clean()
    version._history_user = actor
    version.save()
    return version


def power_list_csv(version: PowerListVersion) -> HttpResponse:
    """The published version as a CSV that Excel opens in Chinese (UTF-8 with its mark)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"power-list-{version.township.code}-v{version.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [_("kind"), _("item code"), _("power"), _("legal basis"), _("responsible office"), _("matching responsibility")]
    )
    for row in version.rows:
        cells = [row["kind"], row["code"], row["name"], row["legal_basis"], row["office"], row["responsibility"]]
        writer.writerow([_cell_inert(cell) for cell in cells])
    return response


def _cell_inert(text: str) -> str:
    """Clerk-typed text such as ``=HYPERLINK(...)`` is shown as text, never run by Excel."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
