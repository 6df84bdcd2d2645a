"""Service requests (便民服务) through the API: log one at a township or village desk (the same
``service_request_log`` as the admin), read one, list those changed since a moment, read its
steps. ID numbers and phones are masked unless the client holds the personal-information
capability on the request's township, as on the admin's list."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import DeskLevel, ServiceRequest, ServiceRequestAction, ServiceRequestState, ServiceRequestTransition
from cases.service_requests import service_request_log
from governance.api.cases import CHANGED_SINCE, TICKET, changed_since_param
from governance.api.fields import CodeNameSerializer, ItemCodeField, LabelField, UnitCodeField
from governance.api.idempotency import respond_once
from governance.api.pagination import ChangedCursorPagination
from governance.api.schema import ERRORS, IDEMPOTENCY_KEY
from governance.api.selectors import service_requests_shown, service_requests_visible
from governance.api.tickets import ticket_link, ticket_unused_check
from governance.api.views import ScopedViewSet, query_text
from governance.models import ServiceItem
from governance.roles import Capability
from staffing.idnumbers import mask_id_number, mask_phone

# A step's states and desks; blank before the first.
STEP_STATES = [("", "—"), *ServiceRequestState.choices]
STEP_DESKS = [("", "—"), *DeskLevel.choices]


class ServiceRequestLogSerializer(serializers.Serializer):
    ticket = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="The caller's own ticket number."
    )
    desk = UnitCodeField(
        capability=Capability.LOG_SERVICE_REQUEST, help_text="Code of the township or village whose desk handles it."
    )
    item = ItemCodeField(queryset=ServiceItem.objects.all(), help_text="Code of the service item.")
    applicant_name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30, help_text="The applicant's resident ID number (18 characters).")
    phone = serializers.CharField(max_length=30)


class ServiceRequestSerializer(serializers.ModelSerializer):
    ticket = serializers.SerializerMethodField(help_text="The ticket number this client sent, if it logged it.")
    item = CodeNameSerializer(read_only=True)
    township = CodeNameSerializer(read_only=True)
    village = CodeNameSerializer(read_only=True, allow_null=True)
    desk = serializers.ChoiceField(choices=DeskLevel.choices, read_only=True)
    state_label = LabelField("state")
    id_number = serializers.SerializerMethodField(help_text="Masked unless the client may see personal information.")
    phone = serializers.SerializerMethodField(help_text="Masked unless the client may see personal information.")
    changed_at = serializers.DateTimeField(read_only=True, help_text="The moment of the request's latest step.")

    class Meta:
        model = ServiceRequest
        fields = (
            "id",
            "ticket",
            "item",
            "township",
            "village",
            "desk",
            "state",
            "state_label",
            "applicant_name",
            "id_number",
            "phone",
            "received_at",
            "due_at",
            "result",
            "finished_at",
            "changed_at",
        )
        read_only_fields = fields

    def get_ticket(self, request) -> str | None:
        link = getattr(request, "api_ticket", None)
        return link.ticket if link is not None and link.client_id == self.context["request"].auth.pk else None

    def get_id_number(self, request) -> str:
        return request.id_number if request.personal_info_readable else mask_id_number(request.id_number)

    def get_phone(self, request) -> str:
        return request.phone if request.personal_info_readable else mask_phone(request.phone)


class ServiceRequestStepSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=ServiceRequestAction.choices, read_only=True)
    action_label = LabelField("action")
    from_state = serializers.ChoiceField(choices=STEP_STATES, read_only=True)
    to_state = serializers.ChoiceField(choices=STEP_STATES, read_only=True)
    from_desk = serializers.ChoiceField(choices=STEP_DESKS, read_only=True)
    to_desk = serializers.ChoiceField(choices=STEP_DESKS, read_only=True)

    class Meta:
        model = ServiceRequestTransition
        fields = ("at", "action", "action_label", "from_state", "to_state", "from_desk", "to_desk", "reason")
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Service requests of the client's units, by last change",
        parameters=[CHANGED_SINCE, TICKET],
        responses={200: ServiceRequestSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="One service request by its id", responses={200: ServiceRequestSerializer, **ERRORS}
    ),
    create=extend_schema(
        summary="Log a service request at a township or village desk",
        request=ServiceRequestLogSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ServiceRequestSerializer, **ERRORS},
    ),
    timeline=extend_schema(
        summary="The request's steps", responses={200: ServiceRequestStepSerializer(many=True), **ERRORS}
    ),
)
class ServiceRequestViewSet(ScopedViewSet):
    scope_model = ServiceRequest
    lookup_value_regex = r"[0-9]+"
    serializer_class = ServiceRequestSerializer
    pagination_class = ChangedCursorPagination
    capabilities = {
        "list": Capability.SEE_RECORDS,
        "retrieve": Capability.SEE_RECORDS,
        "timeline": Capability.SEE_RECORDS,
        "create": Capability.LOG_SERVICE_REQUEST,
    }

    def get_queryset(self):
        changed_since = changed_since_param(self.request) if self.action == "list" else None
        requests = service_requests_visible(user=self.request.user, changed_since=changed_since)
        ticket = query_text(self.request, "ticket", 64) if self.action == "list" else None
        if ticket is not None:
            requests = requests.filter(api_ticket__client=self.request.auth, api_ticket__ticket=ticket)
        return requests

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        steps = self.get_object().transitions.order_by("at", "pk")
        return Response(ServiceRequestStepSerializer(steps, many=True).data)

    def create(self, request):
        client = request.auth
        return respond_once(request=request, client=client, create=lambda: self._log(request, client))

    def _log(self, request, client) -> Response:
        serializer = ServiceRequestLogSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ticket = data.pop("ticket")
        ticket_unused_check(client=client, ticket=ticket)
        logged = service_request_log(actor=request.user, **data)
        ticket_link(client=client, ticket=ticket, service_request=logged.request)
        shown = service_requests_shown(ServiceRequest.objects.filter(pk=logged.request.pk), user=request.user).get()
        headers = {"Location": request.build_absolute_uri(f"{request.path}{shown.pk}/")}
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers=headers)
