"""The caller's own ticket number (the hotline's work order number), unique per client: kept in a
link table beside the case or service request, which also records which client created it."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from governance.api.errors import Conflict
from governance.api.models import ApiClient, ApiTicket

TICKET_USED = _("This client already sent ticket number “%(ticket)s”: it is %(record)s.")


def _record_name(link: ApiTicket) -> str:
    return link.case.reference if link.case_id else f"#{link.service_request_id}"


def ticket_unused_check(*, client: ApiClient, ticket: str) -> None:
    if not ticket:
        return
    link = ApiTicket.objects.select_related("case").filter(client=client, ticket=ticket).first()
    if link is not None:
        raise Conflict(TICKET_USED % {"ticket": ticket, "record": _record_name(link)}, code="duplicate_ticket")


def ticket_link(*, client: ApiClient, ticket: str, case=None, service_request=None) -> ApiTicket:
    """Checked first with a message; the unique constraint settles two requests at once."""
    ticket_unused_check(client=client, ticket=ticket)
    try:
        with transaction.atomic():
            return ApiTicket.objects.create(client=client, ticket=ticket, case=case, service_request=service_request)
    except IntegrityError:
        ticket_unused_check(client=client, ticket=ticket)
        raise
