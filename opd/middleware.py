"""Request middleware of the organisation app."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageCookieMiddleware:
    """Bahasa Indonesia for everyone unless they chose English with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, and
    many office PCs and phones are set to English; the product speaks Indonesian
    first, so only the explicit choice (the language cookie) switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL byte anywhere in the path, the query or the form values is a 400.

    PostgreSQL cannot store or compare text holding NUL, so such a value reaching a
    lookup (``/opd/%00/``, ``?opd=%00``) would surface as a 500. Form fields already
    refuse it; this covers everything else, before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or self._has_nul(request.GET)
            or (request.method == "POST" and self._has_nul(request.POST))
        ):
            message = _("Permintaan berisi karakter NUL yang tidak diizinkan.")
            if request.path.startswith("/api/"):
                # Programs read JSON, as every other answer of the API.
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))
        return self.get_response(request)

    @staticmethod
    def _has_nul(data) -> bool:
        return any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
        )


class MethodNotAllowedPageMiddleware:
    """Django answers a GET to a POST-only address (a bookmarked "Terima" button, say)
    with an empty 405; a person gets a page that says what happened and where to go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            return HttpResponseNotAllowed(
                response.get("Allow", "").split(", "),
                render_to_string("405.html", request=request),
            )
        return response
