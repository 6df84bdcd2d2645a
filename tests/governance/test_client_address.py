"""The client's address: X-Forwarded-For believed only from our own proxies, read from the right
(issue 11.10). Behind the balancer two users are two addresses; a forged header changes nothing."""

from ipaddress import ip_network

import pytest

from governance.client_address import client_address

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def our_proxies(settings):
    settings.TRUSTED_PROXIES = (ip_network(PROXY), ip_network("10.0.1.0/24"))


def test_a_client_talking_to_us_directly_is_its_own_address_whatever_it_claims(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "203.0.113.9"


def test_behind_our_proxy_the_client_is_the_address_the_proxy_saw(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_what_the_client_wrote_left_of_the_proxys_entry_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_a_chain_of_our_proxies_is_walked_through(rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="forged, 203.0.113.9, 10.0.1.7")
    assert client_address(request) == "203.0.113.9"


def test_a_header_our_proxy_did_not_fill_leaves_the_nearest_readable_hop(rf):
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown")) == PROXY


def test_with_no_trusted_proxies_the_header_is_never_read(rf, settings):
    settings.TRUSTED_PROXIES = ()
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == PROXY
