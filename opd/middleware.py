"""Request middleware of the organisation app."""

from django.conf import settings
from django.utils import translation


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
