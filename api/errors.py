"""Every API error as ``{"detail": "...", "errors": [...]}`` in Bahasa Indonesia."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


def _flat(data) -> list[str]:
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in _prefixed(key, value)]
    if isinstance(data, list):
        return [text for value in data for text in _flat(value)]
    return [str(data)]


def _prefixed(key, value) -> list[str]:
    texts = _flat(value)
    return texts if key in ("detail", "non_field_errors") else [f"{key}: {t}" for t in texts]


def exception_handler(exc, context):
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_("Badan permintaan bukan JSON yang sah."))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType(
            exc.media_type if hasattr(exc, "media_type") else "",
            detail=_("Kirim badan permintaan sebagai application/json."),
        )
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc = exceptions.MethodNotAllowed(
            context["request"].method,
            detail=_("Metode {method} tidak didukung di alamat ini.").format(
                method=context["request"].method
            ),
        )
    elif isinstance(exc, exceptions.NotAcceptable):
        exc = exceptions.NotAcceptable(_("API ini hanya menjawab application/json."))
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        value = data["detail"]
        response.data = {
            "detail": " ".join(map(str, value)) if isinstance(value, list) else str(value)
        }
    else:
        errors = _flat(data)
        response.data = {
            "detail": errors[0] if len(errors) == 1 else _("Permintaan tidak sah."),
            "errors": errors,
        }
    return response
