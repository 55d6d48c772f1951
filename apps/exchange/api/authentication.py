"""Bearer-token authentication of partner departments' API clients."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ..selectors import api_client_for_token, client_address_allowed, request_address

INVALID = _("The token is not valid.")
REVOKED = _("This token has been revoked.")
EXPIRED = _("This token has expired.")
ADDRESS = _("Requests from this address are not allowed for this client.")


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Bearer hzx_<prefix>_<secret>`; request.auth is the client."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(INVALID) from error
        client = api_client_for_token(token=token)
        if client is None:
            raise exceptions.AuthenticationFailed(INVALID)
        # Known from here on: even a refused request is written to the client's request log.
        request._request.exchange_client = client
        if client.is_revoked:
            raise exceptions.AuthenticationFailed(REVOKED)
        if client.is_expired:
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not client_address_allowed(client=client, address=request_address(request._request)):
            raise exceptions.PermissionDenied(ADDRESS)
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
