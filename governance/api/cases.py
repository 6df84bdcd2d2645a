"""Cases through the API: raise one for a township (吹哨, the same ``case_raise`` as the admin, so
the same rules and messages), read one by its reference, list those changed since a moment, read
its timeline."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cases.models import AssignmentState, Case, CaseAssignment, CaseState, CaseTransition, Rating, TransitionAction
from cases.raising import case_raise
from cases.selectors import case_timeline
from governance.api.fields import CodeNameSerializer, ItemCodeField, LabelField, UnitCodeField
from governance.api.idempotency import respond_once
from governance.api.pagination import ChangedCursorPagination
from governance.api.schema import ERRORS, IDEMPOTENCY_KEY
from governance.api.selectors import cases_shown, cases_visible
from governance.api.tickets import ticket_link, ticket_unused_check
from governance.api.views import ScopedViewSet, query_text
from governance.models import CasePriority, CoordinationItem, Sector
from governance.roles import Capability

# A step's states: the case's own (raise, close) or the assignment's; blank where none applies.
STEP_STATES = [("", "—"), *CaseState.choices, *AssignmentState.choices]
CHANGED_SINCE_FORMAT = _("Give the moment as ISO 8601, e.g. 2026-12-01T08:00:00+08:00.")


class CaseRaiseSerializer(serializers.Serializer):
    ticket = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", help_text="The caller's own ticket number."
    )
    township = UnitCodeField(capability=Capability.RAISE_CASE, help_text="Code of the township raising the case.")
    village = UnitCodeField(
        capability=Capability.RAISE_CASE, required=False, allow_null=True, default=None, help_text="Code of a village."
    )
    item = ItemCodeField(queryset=CoordinationItem.objects.all(), help_text="Code of the coordination item.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=CasePriority.choices, default=CasePriority.NORMAL)
    co_sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices),
        required=False,
        default=None,
        allow_null=True,
        max_length=len(Sector.choices),
        help_text=(
            "Sectors whose departments act beside the item's lead sector's department; "
            "left out (or null): the item's own co-handling sectors."
        ),
    )
    left_out_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a co-handling sector the item names is not in co_sectors (required then).",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(max_length=200),
        required=False,
        default=list,
        help_text="Photos or documents (multipart/form-data only): jpg, png, pdf, doc(x), xls(x); at most 20 MB each.",
    )

    def validate_attachments(self, files):
        if len(files) > settings.API_MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(count)d attachments per case.") % {"count": settings.API_MAX_ATTACHMENTS}
            )
        return files


class AssignmentSerializer(serializers.ModelSerializer):
    department = CodeNameSerializer(read_only=True)
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)
    state_label = LabelField("state")
    rating_label = LabelField("rating")
    next_due = serializers.DateTimeField(read_only=True, allow_null=True)
    guessed_years = serializers.SerializerMethodField(
        help_text="Years whose official holidays were unknown: their dues were counted Monday to Friday."
    )

    class Meta:
        model = CaseAssignment
        fields = (
            "department",
            "state",
            "state_label",
            "round",
            "accept_due",
            "feedback_due",
            "resolve_due",
            "close_due",
            "next_due",
            "guessed_years",
            "accepted_at",
            "feedback_at",
            "responded_at",
            "feedback",
            "response",
            "rating",
            "rating_label",
            "rating_comment",
            "overdue",
            "escalated_at",
            "created_at",
        )
        read_only_fields = fields

    def get_guessed_years(self, assignment) -> list[int]:
        return [int(year) for year in assignment.guessed_years.split(",") if year]


class AttachmentSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)

    def get_name(self, attachment) -> str:
        return PurePosixPath(attachment.file.name).name


class CaseSerializer(serializers.ModelSerializer):
    ticket = serializers.SerializerMethodField(help_text="The ticket number this client sent, if it raised the case.")
    state_label = LabelField("state")
    priority_label = LabelField("priority")
    township = CodeNameSerializer(read_only=True)
    village = CodeNameSerializer(read_only=True, allow_null=True)
    item = CodeNameSerializer(read_only=True)
    changed_at = serializers.DateTimeField(read_only=True, help_text="The moment of the case's latest step.")
    assignments = AssignmentSerializer(source="visible_assignments", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = (
            "reference",
            "ticket",
            "state",
            "state_label",
            "township",
            "village",
            "item",
            "title",
            "description",
            "place",
            "priority",
            "priority_label",
            "raised_at",
            "closed_at",
            "changed_at",
            "assignments",
            "attachments",
        )
        read_only_fields = fields

    def get_ticket(self, case) -> str | None:
        link = getattr(case, "api_ticket", None)
        client = self.context["request"].auth
        return link.ticket if link is not None and link.client_id == client.pk else None


class TransitionSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=TransitionAction.choices, read_only=True)
    action_label = LabelField("action")
    department = CodeNameSerializer(read_only=True, allow_null=True)
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)
    from_state = serializers.ChoiceField(choices=STEP_STATES, read_only=True)
    to_state = serializers.ChoiceField(choices=STEP_STATES, read_only=True)

    class Meta:
        model = CaseTransition
        fields = ("at", "action", "action_label", "department", "from_state", "to_state", "reason", "rating", "on_time")
        read_only_fields = fields


def changed_since_param(request):
    """``?changed_since=`` as an aware moment (a moment without an offset is Beijing time)."""
    raw = request.query_params.get("changed_since")
    if raw is None:
        return None
    try:
        moment = parse_datetime(raw.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"changed_since": [CHANGED_SINCE_FORMAT]})
    return make_aware(moment) if is_naive(moment) else moment


CHANGED_SINCE = OpenApiParameter(
    "changed_since",
    OpenApiTypes.DATETIME,
    description="Only records with a step after this moment, oldest change first.",
)
TICKET = OpenApiParameter("ticket", str, description="Only the record with this client's ticket number.")


@extend_schema_view(
    list=extend_schema(
        summary="Cases of the client's units, by last change",
        parameters=[CHANGED_SINCE, TICKET],
        responses={200: CaseSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="One case by its reference", responses={200: CaseSerializer, **ERRORS}),
    create=extend_schema(
        summary="Raise a case for a township",
        request={"application/json": CaseRaiseSerializer, "multipart/form-data": CaseRaiseSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CaseSerializer, **ERRORS},
    ),
    timeline=extend_schema(
        summary="The case's steps: states, departments, responses, ratings",
        responses={200: TransitionSerializer(many=True), **ERRORS},
    ),
)
class CaseViewSet(ScopedViewSet):
    scope_model = Case
    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"
    serializer_class = CaseSerializer
    pagination_class = ChangedCursorPagination
    capabilities = {
        "list": Capability.SEE_RECORDS,
        "retrieve": Capability.SEE_RECORDS,
        "timeline": Capability.SEE_RECORDS,
        "create": Capability.RAISE_CASE,
    }

    def get_queryset(self):
        changed_since = changed_since_param(self.request) if self.action == "list" else None
        cases = cases_visible(user=self.request.user, changed_since=changed_since)
        ticket = query_text(self.request, "ticket", 64) if self.action == "list" else None
        if ticket is not None:
            cases = cases.filter(api_ticket__client=self.request.auth, api_ticket__ticket=ticket)
        return cases

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, reference=None):
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, reference=None):
        case = self.get_object()
        steps = case_timeline(case=case, user=request.user).select_related("department")
        return Response(TransitionSerializer(steps, many=True).data)

    def create(self, request):
        client = request.auth
        return respond_once(request=request, client=client, create=lambda: self._raise(request, client))

    def _raise(self, request, client) -> Response:
        serializer = CaseRaiseSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ticket = data.pop("ticket")
        ticket_unused_check(client=client, ticket=ticket)
        try:
            raised = case_raise(actor=request.user, **data)
        except DjangoValidationError as error:
            raise _attachment_errors_named(error) from None
        ticket_link(client=client, ticket=ticket, case=raised.case)
        case = cases_shown(Case.objects.filter(pk=raised.case.pk), assignments=CaseAssignment.objects.all()).get()
        headers = {"Location": request.build_absolute_uri(f"{request.path}{case.reference}/")}
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED, headers=headers)


def _attachment_errors_named(error: DjangoValidationError) -> DjangoValidationError:
    """An attachment's refusal names its field ``file`` (the admin's form); here it is ``attachments``."""
    if hasattr(error, "error_dict") and "file" in error.error_dict:
        errors = dict(error.error_dict)
        errors["attachments"] = errors.pop("file")
        return DjangoValidationError(errors)
    return error
