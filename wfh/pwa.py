"""Installable on a phone: the web app manifest, the service worker and its offline page.

The service worker keeps only the static shell (CSS, JS, icons and the offline page).
Pages are always asked of the server first; the offline page is only what is shown
when that fails. A check-in is never cached nor queued for later: the server's clock
is the record, so a POST is not even looked at by the worker and fails while offline.
"""

import hashlib
import json

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOUR = "#0a58ca"  # the navbar (app.css: darker than Bootstrap's primary)
ICONS = (
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)
# The static shell: what base.html and offline.html load, and the icons.
SHELL_STATIC = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "css/app.css",
    "js/pwa.js",
    "favicon.svg",
    *(path for path, _size, _purpose in ICONS),
)


def shell_urls() -> list[str]:
    """The URLs the worker caches at install: static files (hashed names in
    production) and the offline page."""
    return [static(path) for path in SHELL_STATIC] + [reverse("offline")]


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": _("WFH ASN"),
        "short_name": _("WFH ASN"),
        "description": _("Jadwal WFH/WFO dan presensi ASN"),
        "lang": "id",
        "dir": "ltr",
        "start_url": reverse("attendance:check-in"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """The worker's script at the site root, so its scope is the whole site."""
    shell = shell_urls()
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    response = render(
        request,
        "pwa/sw.js",
        {
            "shell": json.dumps(shell),
            "offline_url": json.dumps(reverse("offline")),
            "version": version,
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """The page the worker shows when a page cannot be reached. It is cached, so it
    carries nothing personal and no form."""
    return render(request, "offline.html")
