"""The unit tree as far as the client acts: its units and everything under them, top down, for
the caller to pick township, village and desk codes from."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from governance.api.fields import LabelField
from governance.api.pagination import PathCursorPagination
from governance.api.schema import ERRORS
from governance.api.views import ApiViewSet, query_choice, query_text
from governance.models import Sector, Unit, UnitKind, UnitLevel
from governance.scoping import units_for


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=UnitKind.choices, read_only=True)
    kind_label = LabelField("kind")
    level = serializers.ChoiceField(choices=UnitLevel.choices, read_only=True)
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Unit
        fields = ("code", "name", "kind", "kind_label", "level", "parent", "sector")
        read_only_fields = fields


def units_of_client(client, user):
    """Units under any unit where the client holds any of its capabilities (``units_for``)."""
    in_scope = Q()
    for capability in client.capabilities:
        in_scope |= Q(pk__in=units_for(user, capability).values("pk"))
    return Unit.objects.filter(in_scope) if in_scope else Unit.objects.none()


@extend_schema_view(
    list=extend_schema(
        summary="The units the client acts for, top down",
        parameters=[
            OpenApiParameter("level", str, enum=UnitLevel.values, description="Only units of this level."),
            OpenApiParameter("parent", str, description="Only the units directly under the unit with this code."),
        ],
        responses={200: UnitSerializer(many=True), **ERRORS},
    )
)
class UnitViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = UnitSerializer
    pagination_class = PathCursorPagination
    capabilities = {"list": None}

    def get_queryset(self):
        units = units_of_client(self.request.auth, self.request.user).select_related("parent")
        level = query_choice(self.request, "level", UnitLevel.values)
        if level is not None:
            units = units.filter(level=level)
        parent = query_text(self.request, "parent", 18)
        if parent is not None:
            units = units.filter(parent__code=parent)
        return units
