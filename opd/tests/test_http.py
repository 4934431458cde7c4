"""client_ip and user_agent: proxy headers are believed only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from opd.http import client_ip, user_agent

NGINX = "127.0.0.1"


def request(remote="203.0.113.7", **headers):
    return RequestFactory().get("/presensi/", REMOTE_ADDR=remote, **headers)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [NGINX]


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request()) == "203.0.113.7"


def test_spoofed_headers_are_ignored_when_no_proxy_is_configured(settings):
    settings.TRUSTED_PROXIES = []
    spoofed = request(HTTP_X_FORWARDED_FOR="10.9.9.9", HTTP_X_REAL_IP="10.8.8.8")
    assert client_ip(spoofed) == "203.0.113.7"


def test_spoofed_headers_are_ignored_from_a_peer_that_is_not_the_proxy(behind_nginx):
    spoofed = request("198.51.100.4", HTTP_X_FORWARDED_FOR="10.9.9.9", HTTP_X_REAL_IP="10.8.8.8")
    assert client_ip(spoofed) == "198.51.100.4"


def test_the_trusted_proxy_header_names_the_client(behind_nginx):
    assert client_ip(request(NGINX, HTTP_X_FORWARDED_FOR="36.72.14.9")) == "36.72.14.9"
    assert client_ip(request(NGINX, HTTP_X_REAL_IP="36.72.14.9")) == "36.72.14.9"
    assert client_ip(request(NGINX)) == NGINX  # no header: the proxy itself asked


def test_chained_forwarded_for_takes_the_right_most_untrusted_address(settings):
    settings.TRUSTED_PROXIES = [NGINX, "10.20.0.0/16"]
    # client wrote a fake first entry; a load balancer (10.20.0.3) then nginx forwarded it
    chained = request(NGINX, HTTP_X_FORWARDED_FOR="1.2.3.4, 36.72.14.9, 10.20.0.3")
    assert client_ip(chained) == "36.72.14.9"
    # only our own proxies on the way: the left-most is the client
    internal = request(NGINX, HTTP_X_FORWARDED_FOR="10.20.0.9, 10.20.0.3")
    assert client_ip(internal) == "10.20.0.9"


def test_forwarded_for_wins_over_real_ip(behind_nginx):
    both = request(NGINX, HTTP_X_FORWARDED_FOR="36.72.14.9", HTTP_X_REAL_IP="10.8.8.8")
    assert client_ip(both) == "36.72.14.9"


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "36.72.14.9, <script>",
        "",
        "999.1.1.1",
        "36.72.14.9; DROP TABLE",
        "1.2.3.4\x00",
        "a" * 5000,
    ],
)
def test_garbage_headers_fall_back_to_the_peer(behind_nginx, header):
    assert client_ip(request(NGINX, HTTP_X_FORWARDED_FOR=header)) == NGINX
    assert client_ip(request(NGINX, HTTP_X_REAL_IP=header)) == NGINX


def test_ipv6_addresses(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_ip(request("::1", HTTP_X_FORWARDED_FOR="2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(request("::1", HTTP_X_REAL_IP="2001:db8::2")) == "2001:db8::2"
    assert client_ip(request("::1", HTTP_X_FORWARDED_FOR="[2001:db8::3]:51234")) == "2001:db8::3"
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("2001:db8::7", HTTP_X_FORWARDED_FOR="10.9.9.9")) == "2001:db8::7"


def test_ports_and_ipv4_mapped_addresses_are_normalised(behind_nginx):
    assert client_ip(request(NGINX, HTTP_X_FORWARDED_FOR="36.72.14.9:443")) == "36.72.14.9"
    assert client_ip(request("::ffff:127.0.0.1", HTTP_X_REAL_IP="36.72.14.9")) == "36.72.14.9"


def test_no_usable_peer_address_gives_none(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("")) is None
    assert client_ip(request("unix:/run/gunicorn.sock")) is None


def test_user_agent_is_cut_to_300_characters_without_control_characters():
    assert user_agent(request()) == ""
    phone = "Mozilla/5.0 (Linux; Android 14; SM-A155F) Chrome/131.0 Mobile"
    assert user_agent(request(HTTP_USER_AGENT=phone)) == phone
    assert len(user_agent(request(HTTP_USER_AGENT="x" * 1000))) == 300
    assert user_agent(request(HTTP_USER_AGENT="a\x00b\nc\x7fd")) == "abcd"
