"""/api/v1/: the intake API, its OpenAPI schema and its documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from governance.api.cases import CaseViewSet
from governance.api.catalogues import CoordinationItemViewSet, ServiceItemViewSet
from governance.api.service_requests import ServiceRequestViewSet
from governance.api.units import UnitViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("service-requests", ServiceRequestViewSet, basename="api-service-request")
router.register("service-items", ServiceItemViewSet, basename="api-service-item")
router.register("coordination-items", CoordinationItemViewSet, basename="api-coordination-item")
router.register("units", UnitViewSet, basename="api-unit")

# The schema and its pages are public (they describe, they hold no record); the pages' scripts are
# served from our own static files (drf-spectacular-sidecar), not from a CDN.
_public = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**_public), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema", **_public), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema", **_public), name="api-redoc"),
    path("", include(router.urls)),
]
