"""``Authorization: Bearer <token>``: the DRF authentication of API clients. ``request.user`` is
the client's service user (what services and selectors are called with), ``request.auth`` the
client itself."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from governance.api.clients import TOKEN_INVALID, TokenRefused, client_for_token

KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # answered 401 by the permission check, with TOKEN_MISSING
        try:
            if len(parts) != 2:
                raise TokenRefused("token_invalid", TOKEN_INVALID)
            client = client_for_token(parts[1].decode("ascii"))
        except UnicodeDecodeError:
            raise AuthenticationFailed(TOKEN_INVALID, code="token_invalid") from None
        except TokenRefused as refused:
            raise AuthenticationFailed(refused.message, code=refused.code) from None
        return client.user, client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The client's token, shown once when the city administrator registers the client.",
        }
