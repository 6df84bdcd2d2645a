"""Service requests at the village and township desks (便民服务, DESIGN.md M4: "家门口的政务服务大厅").

received → accepted → completed, or rejected with a reason. An item "accepted at the village,
completed at the township" passes from the village desk to the township desk after acceptance.
The due moment is the item's promised working days on the official calendar.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import DeskLevel, ServiceRequest, ServiceRequestAction, ServiceRequestState, ServiceRequestTransition
from cases.transitions import actor_require, state_move
from governance.models import HandlingMode, ServiceItem, ServiceLevel, Unit, UnitLevel
from governance.roles import Capability
from governance.workdays import due_at_close, workday_calendar, working_hours
from staffing.idnumbers import id_number_parse
from staffing.phones import PHONE_INVALID, phone_parse  # noqa: F401  (PHONE_INVALID: named here before)

NOT_A_DESK = _("Service requests are logged at a village or township desk.")
MAY_NOT_LOG = _("You may not handle service requests at this desk.")
SERVICE_ITEM_INACTIVE = _("This service item is no longer in use.")
VILLAGE_DESK_TOWNSHIP_ITEM = _(
    "A village desk can log only village-level items; “%(item)s” is handled at the township."
)
REQUEST_ACCEPT_NOT_ALLOWED = _("Only a request just received can be accepted.")
REQUEST_FORWARD_NOT_ALLOWED = _(
    "Only an accepted request at the village desk for an item “accepted at the village, completed at the township” "
    "passes to the township."
)
REQUEST_COMPLETE_NOT_ALLOWED = _("Only an accepted request can be completed.")
REQUEST_COMPLETE_AT_TOWNSHIP = _("This item is completed at the township: pass the request to the township first.")
REQUEST_REJECT_NOT_ALLOWED = _("Only a request not yet completed or rejected can be rejected.")
REJECT_REASON_REQUIRED = _("Give the reason for the rejection.")


@dataclass(frozen=True)
class LogResult:
    request: ServiceRequest
    guessed_years: tuple[int, ...]


def _record(request: ServiceRequest, *, action, actor, at, from_state, from_desk, reason="") -> None:
    ServiceRequestTransition.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        from_desk=from_desk,
        to_desk=request.desk,
        reason=reason,
        actor=actor,
        at=at,
    )


def desk_unit(request: ServiceRequest) -> Unit:
    """The unit whose desk holds the request now."""
    return request.village if request.desk == DeskLevel.VILLAGE else request.township


@transaction.atomic
def service_request_log(
    *,
    actor,
    desk: Unit,
    item: ServiceItem,
    applicant_name: str,
    id_number: str,
    phone: str,
    now: datetime | None = None,
) -> LogResult:
    if desk.level not in (UnitLevel.VILLAGE, UnitLevel.TOWNSHIP):
        raise ValidationError(NOT_A_DESK)
    actor_require(actor, Capability.LOG_SERVICE_REQUEST, desk, MAY_NOT_LOG)
    if not item.active:
        raise ValidationError({"item": SERVICE_ITEM_INACTIVE})
    at_village = desk.level == UnitLevel.VILLAGE
    if at_village and item.level != ServiceLevel.VILLAGE:
        raise ValidationError({"item": ValidationError(VILLAGE_DESK_TOWNSHIP_ITEM, params={"item": item.name})})
    errors = {}
    try:
        id_number = id_number_parse(id_number).number
    except ValidationError as error:
        errors["id_number"] = error
    try:
        phone = phone_parse(phone)
    except ValidationError as error:
        errors["phone"] = error
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    calendar = workday_calendar()
    # The promise is kept as case steps are (issue 14 item 5): received outside office hours, the
    # count starts at the next working day's opening; due at the close of the Nth working day.
    due_at = due_at_close(now, item.promised_limit_days, calendar, working_hours())
    guessed = tuple(
        year for year in range(timezone.localtime(now).year, due_at.year + 1) if year in calendar.guessed_years
    )
    request = ServiceRequest(
        item=item,
        township=desk.parent if at_village else desk,
        village=desk if at_village else None,
        county_id=desk.parent.parent_id if at_village else desk.parent_id,
        desk=DeskLevel.VILLAGE if at_village else DeskLevel.TOWNSHIP,
        applicant_name=applicant_name.strip(),
        id_number=id_number,
        phone=phone,
        received_at=now,
        due_at=due_at,
        guessed_years=",".join(map(str, guessed)),
        handler=actor,
    )
    request.full_clean()
    request.save()
    _record(request, action=ServiceRequestAction.LOG, actor=actor, at=now, from_state="", from_desk="")
    return LogResult(request=request, guessed_years=guessed)


def _fresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_related("item", "township", "village").get(pk=request.pk)


def _step(*, actor, request, allowed, refused, action, to_state, now, reason="", **changes) -> ServiceRequest:
    request = _fresh(request)
    actor_require(actor, Capability.LOG_SERVICE_REQUEST, desk_unit(request), MAY_NOT_LOG)
    if request.state not in allowed:
        raise ValidationError(refused)
    now = now or timezone.now()
    from_state, from_desk = request.state, request.desk
    if to_state in (ServiceRequestState.COMPLETED, ServiceRequestState.REJECTED):
        changes["finished_at"] = now
    state_move(
        ServiceRequest,
        pk=request.pk,
        old_state=from_state,
        actor=actor,
        reason=reason,
        where={"desk": from_desk},
        state=to_state,
        handler=actor,
        **changes,
    )
    request.refresh_from_db()
    _record(request, action=action, actor=actor, at=now, from_state=from_state, from_desk=from_desk, reason=reason)
    return request


@transaction.atomic
def service_request_accept(*, actor, request: ServiceRequest, now: datetime | None = None) -> ServiceRequest:
    return _step(
        actor=actor,
        request=request,
        allowed={ServiceRequestState.RECEIVED},
        refused=REQUEST_ACCEPT_NOT_ALLOWED,
        action=ServiceRequestAction.ACCEPT,
        to_state=ServiceRequestState.ACCEPTED,
        now=now,
    )


@transaction.atomic
def service_request_forward(*, actor, request: ServiceRequest, now: datetime | None = None) -> ServiceRequest:
    """Accepted at the village, completed at the township: the village desk passes it on."""
    request = _fresh(request)
    if not (request.desk == DeskLevel.VILLAGE and request.item.handling_mode == HandlingMode.VILLAGE_TO_TOWNSHIP):
        raise ValidationError(REQUEST_FORWARD_NOT_ALLOWED)
    return _step(
        actor=actor,
        request=request,
        allowed={ServiceRequestState.ACCEPTED},
        refused=REQUEST_FORWARD_NOT_ALLOWED,
        action=ServiceRequestAction.FORWARD,
        to_state=ServiceRequestState.ACCEPTED,
        now=now,
        desk=DeskLevel.TOWNSHIP,
    )


@transaction.atomic
def service_request_complete(
    *, actor, request: ServiceRequest, result: str = "", now: datetime | None = None
) -> ServiceRequest:
    request = _fresh(request)
    if request.desk == DeskLevel.VILLAGE and request.item.handling_mode == HandlingMode.VILLAGE_TO_TOWNSHIP:
        raise ValidationError(REQUEST_COMPLETE_AT_TOWNSHIP)
    result = (result or "").strip()
    return _step(
        actor=actor,
        request=request,
        allowed={ServiceRequestState.ACCEPTED},
        refused=REQUEST_COMPLETE_NOT_ALLOWED,
        action=ServiceRequestAction.COMPLETE,
        to_state=ServiceRequestState.COMPLETED,
        now=now,
        reason=result,
        result=result,
    )


@transaction.atomic
def service_request_reject(
    *, actor, request: ServiceRequest, reason: str, now: datetime | None = None
) -> ServiceRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REJECT_REASON_REQUIRED)
    return _step(
        actor=actor,
        request=request,
        allowed={ServiceRequestState.RECEIVED, ServiceRequestState.ACCEPTED},
        refused=REQUEST_REJECT_NOT_ALLOWED,
        action=ServiceRequestAction.REJECT,
        to_state=ServiceRequestState.REJECTED,
        now=now,
        reason=reason,
        result=reason,
    )
