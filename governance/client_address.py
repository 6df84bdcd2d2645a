"""The address a request came from, believing X-Forwarded-For only from our own proxies (issue 11).

Behind a load balancer every request arrives from the balancer's address, so the login lockout
(username and address together) locked a username for everyone: anyone could lock anyone out for an
hour. The balancer appends the address it saw to X-Forwarded-For; whatever stands left of that was
written by the client and may be forged. So the header is read only when the request comes from one
of ``TRUSTED_PROXIES``, from the right, past our own proxies: the first other address is the client.
django-axes asks this (``AXES_CLIENT_IP_CALLABLE``) and so do the log lines.
"""

from ipaddress import IPv4Address, IPv6Address, ip_address

from django.conf import settings


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _is_our_proxy(address: IPv4Address | IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hop = _address(remote)
    if hop is None or not _is_our_proxy(hop):
        return remote
    for item in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        forwarded = _address(item)
        if forwarded is None:
            break  # not an address our proxy wrote: the nearest hop we could read stands
        hop = forwarded
        if not _is_our_proxy(hop):
            break
    return str(hop)
