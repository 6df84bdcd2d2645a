"""The catalogues a caller picks codes from: service items (政务服务事项) and coordination items
(县乡协同事项), the same for every client. Items no longer in use are left out unless asked for."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from governance.api.fields import LabelField
from governance.api.pagination import CodeCursorPagination
from governance.api.schema import ERRORS
from governance.api.views import ApiViewSet, query_choice
from governance.models import CoordinationItem, Sector, ServiceItem

INCLUDE_INACTIVE = OpenApiParameter(
    "include_inactive", OpenApiTypes.BOOL, description="Also items no longer in use (true/false)."
)


class ServiceItemSerializer(serializers.ModelSerializer):
    level_label = LabelField("level")
    sector_label = LabelField("sector")
    handling_mode_label = LabelField("handling_mode")

    class Meta:
        model = ServiceItem
        fields = (
            "code",
            "name",
            "level",
            "level_label",
            "sector",
            "sector_label",
            "handling_mode",
            "handling_mode_label",
            "statutory_limit_days",
            "promised_limit_days",
            "active",
        )
        read_only_fields = fields


class CoordinationItemSerializer(serializers.ModelSerializer):
    lead_sector_label = LabelField("lead_sector")
    co_sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), read_only=True)

    class Meta:
        model = CoordinationItem
        fields = ("code", "name", "lead_sector", "lead_sector_label", "co_sectors", "township_role", "active")
        read_only_fields = fields


class CatalogueViewSet(mixins.ListModelMixin, ApiViewSet):
    pagination_class = CodeCursorPagination
    capabilities = {"list": None}
    model = None

    def get_queryset(self):
        items = self.model.objects.all()
        if query_choice(self.request, "include_inactive", ("true", "false")) != "true":
            items = items.filter(active=True)
        return items


@extend_schema_view(
    list=extend_schema(
        summary="Service items",
        parameters=[INCLUDE_INACTIVE],
        responses={200: ServiceItemSerializer(many=True), **ERRORS},
    )
)
class ServiceItemViewSet(CatalogueViewSet):
    model = ServiceItem
    serializer_class = ServiceItemSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Coordination items",
        parameters=[INCLUDE_INACTIVE],
        responses={200: CoordinationItemSerializer(many=True), **ERRORS},
    )
)
class CoordinationItemViewSet(CatalogueViewSet):
    model = CoordinationItem
    serializer_class = CoordinationItemSerializer
