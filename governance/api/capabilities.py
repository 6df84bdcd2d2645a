"""Which capability each endpoint needs: the client must hold it (``ApiClient.capabilities``);
which records it reaches is the scoping's business (``units_for`` with the client's user)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from governance.api.models import API_CAPABILITIES, ApiClient

LACKS_CAPABILITY = _("This client does not hold the capability “%(capability)s”.")


class HoldsCapability(BasePermission):
    """An authenticated client holding ``view.capability_for(action)`` (None: any client)."""

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return False  # DRF answers 401 when no token was sent or it was refused
        needed = view.capability_for(getattr(view, "action", None) or request.method)
        if needed is not None and not client.holds_capability(needed):
            raise PermissionDenied(
                LACKS_CAPABILITY % {"capability": dict(API_CAPABILITIES)[needed]}, code="permission_denied"
            )
        return True
