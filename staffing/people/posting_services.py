"""Writes and reads of postings (issue 15 item 3). The county organisation department organises
two-way exchange (双向交流) and selection (选派): recording a posting takes ORGANISE_CADRES on the unit the
cadre comes from or goes to."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import holds
from staffing.models import LIVE_SECONDMENT_STATES, Cadre, Secondment, SecondmentState
from staffing.people.postings import Posting, PostingKind

POSTING_NOT_PERMITTED = _("Postings are recorded by the county organisation department of the units concerned.")
POSTING_CADRE_ELSEWHERE = _("The cadre's post is not kept by the unit the posting comes from.")
POSTING_WHILE_SECONDED = _("The cadre has a secondment pending or in force; a cadre serves in one place at a time.")

POSTING_FIXED = _(
    "The cadre, the kind and the unit a posting comes from are fixed once it is recorded; record another posting."
)


def posting_validate(*, actor, posting: Posting) -> None:
    _refuse_fixed_changes(posting)
    posting.full_clean()
    units = [posting.from_unit_id, posting.to_unit_id]
    if not any(unit and holds(actor, Capability.ORGANISE_CADRES, unit) for unit in units):
        raise ValidationError(POSTING_NOT_PERMITTED, code="permission")
    if posting.cadre.home_unit_id != posting.from_unit_id:
        raise ValidationError({"from_unit": POSTING_CADRE_ELSEWHERE})
    if posting.actual_end is None and posting.cadre.secondments.filter(state__in=LIVE_SECONDMENT_STATES).exists():
        raise ValidationError({"cadre": POSTING_WHILE_SECONDED})


def _refuse_fixed_changes(posting: Posting) -> None:
    """A correction of who went, how or from where is a new posting (the admin shows these read-only;
    importers and other callers meet the same rule here)."""
    if posting.pk is None:
        return
    stored = Posting.objects.filter(pk=posting.pk).values("cadre_id", "kind", "from_unit_id").first()
    if stored is not None and any(getattr(posting, name) != value for name, value in stored.items()):
        raise ValidationError(POSTING_FIXED, code="fixed")


@transaction.atomic
def posting_save(*, actor, posting: Posting) -> Posting:
    # Serialise with the cadre's secondments (secondment_save and secondment_approve lock it too).
    Cadre.objects.select_for_update().filter(pk=posting.cadre_id).first()
    posting_validate(actor=actor, posting=posting)
    posting._history_user = actor
    posting.save()
    return posting


@dataclass(frozen=True)
class PostingRow:
    """A posting or a secondment (派驻), as one list shows them."""

    kind: str
    cadre: object
    from_unit: object
    host: str
    post: str
    start_date: date
    end: date | None
    township_powers: bool
    record: object


def unit_postings(unit) -> list[PostingRow]:
    """Every posting into or out of ``unit`` not ended, approved or in-force secondments included as
    派驻; the township's powers apply only to a secondment hosted by a township."""
    rows = []
    secondments = Secondment.objects.filter(Q(host_unit=unit) | Q(sending_unit=unit)).filter(
        state__in=[SecondmentState.APPROVED, SecondmentState.IN_FORCE]
    )
    for secondment in secondments.select_related("cadre", "sending_unit", "host_unit"):
        rows.append(
            PostingRow(
                str(PostingKind.SECONDED.label),
                secondment.cadre,
                secondment.sending_unit,
                secondment.host_unit.name,
                secondment.post,
                secondment.start_date,
                secondment.planned_end,
                secondment.host_unit.is_township_level,
                secondment,
            )
        )
    postings = Posting.objects.live().filter(Q(to_unit=unit) | Q(from_unit=unit))
    for posting in postings.select_related("cadre", "from_unit", "to_unit"):
        rows.append(
            PostingRow(
                posting.get_kind_display(),
                posting.cadre,
                posting.from_unit,
                posting.host_name,
                posting.post,
                posting.start_date,
                posting.planned_end,
                False,
                posting,
            )
        )
    return sorted(rows, key=lambda row: (row.start_date, row.cadre.name))
