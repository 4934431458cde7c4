"""Installable on a phone (issue 11, item 6): manifest, icons, service worker, offline page."""

import json
import re
import struct

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from wfh import pwa

pytestmark = pytest.mark.django_db


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_the_manifest_is_json_that_starts_standalone_on_the_check_in_page(client):
    response = client.get(reverse("manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "WFH ASN"
    assert manifest["lang"] == "id"
    assert manifest["start_url"] == reverse("attendance:check-in") == "/presensi/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])


def test_every_icon_of_the_manifest_is_a_png_of_its_stated_size_in_static(client):
    icons = json.loads(client.get(reverse("manifest")).content)["icons"]
    assert {icon["sizes"] for icon in icons} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in icons)
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = png_size(path)
        assert f"{width}x{height}" == icon["sizes"], icon


def test_every_page_links_the_manifest_and_loads_the_worker_registration(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
    assert f'data-service-worker="{reverse("service-worker")}"' in html
    assert finders.find("js/pwa.js")


def test_the_service_worker_is_javascript_for_the_whole_site_and_never_stale(client):
    response = client.get(reverse("service-worker"))
    assert reverse("service-worker") == "/sw.js"
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_the_service_worker_caches_only_the_static_shell_and_the_offline_page(client):
    script = client.get(reverse("service-worker")).content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))
    assert shell == pwa.shell_urls()
    assert reverse("offline") in shell
    for url in shell:
        if url != reverse("offline"):
            assert url.startswith("/static/"), url
            assert finders.find(url.removeprefix("/static/")), url
    # No page of the app, least of all the check-in, is in the shell.
    assert reverse("attendance:check-in") not in shell and "/" not in shell
    # The only writes into the cache are the shell at install.
    assert script.count("cache.addAll(SHELL)") == 1
    assert ".put(" not in script and "cache.add(" not in script


def test_the_service_worker_leaves_posts_alone_and_queues_nothing(client):
    script = client.get(reverse("service-worker")).content.decode()
    assert 'if (request.method !== "GET") return;' in script
    assert "sync" not in script.lower()  # no Background Sync, no replay of a check-in
    assert "indexedDB" not in script
    # Pages go to the network first; the offline page is only the fallback.
    assert "fetch(request).catch(() => caches.match(OFFLINE))" in script


def test_the_offline_page_says_the_check_in_needs_the_servers_time(client):
    response = client.get(reverse("offline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Tidak ada koneksi internet" in html
    assert "jam server yang menjadi catatan resmi" in html
    assert "tidak disimpan di ponsel untuk dikirim nanti" in html
    assert "csrfmiddlewaretoken" not in html  # cached: no form, nothing personal
