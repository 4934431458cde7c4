"""Who is on the other end of a request: the client's IP address and user agent.

Behind nginx every request's TCP peer (``REMOTE_ADDR``) is nginx itself; the client's
address is in the ``X-Forwarded-For`` / ``X-Real-IP`` headers nginx sets. Anybody can
send those headers, so they are believed only when the peer is one of
``settings.TRUSTED_PROXIES`` (addresses or networks; empty by default = nobody).
"""

import ipaddress
import unicodedata
from functools import lru_cache

from django.conf import settings

USER_AGENT_MAX_LENGTH = 300

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _parse(value: str | None) -> Address | None:
    """An IP address from a header item (``[v6]:port`` and ``v4:port`` too), or None."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _forwarded_client(header: str) -> Address | None:
    """The right-most X-Forwarded-For entry that is not a trusted proxy.

    Each proxy appends the address it saw, so entries are read from the right; the first
    one that is not our own proxy is the client as our proxies saw it. Anything further
    left was written by the client and may be made up. A malformed entry where the
    client should be makes the whole header worthless (None).
    """
    entries = [item.strip() for item in header.split(",")]
    address = None
    for item in reversed(entries):
        address = _parse(item)
        if address is None:
            return None
        if not _trusted(address):
            return address
    return address  # every hop is one of our proxies: the left-most is the client


def client_ip(request) -> str | None:
    """The client's IP address as a string, or None when even REMOTE_ADDR is no address
    (e.g. gunicorn on a Unix socket without a proxy header)."""
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if forwarded:
        address = _forwarded_client(forwarded)
        return str(address or peer)
    real_ip = _parse(request.META.get("HTTP_X_REAL_IP"))
    return str(real_ip or peer)


def user_agent(request) -> str:
    """The User-Agent header without control characters (a NUL cannot be stored in
    PostgreSQL), cut to 300 characters."""
    raw = request.META.get("HTTP_USER_AGENT", "")
    clean = "".join(ch for ch in raw if unicodedata.category(ch) != "Cc")
    return clean[:USER_AGENT_MAX_LENGTH]
