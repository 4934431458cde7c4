"""A guard for every ModelAdmin, ours and third-party ones.

The admin pre-fills an add form from query parameters (``?opd=3``). A value the field
cannot hold (``?opd=abc``) makes Django look up an impossible id and answer 500. Bad
input must never do that, so such values are dropped instead.
"""

from django.contrib.admin import ModelAdmin
from django.core.exceptions import FieldDoesNotExist, ValidationError

_original = ModelAdmin.get_changeform_initial_data


def _acceptable(field, value) -> bool:
    target = field.target_field if field.is_relation else field
    values = value if isinstance(value, list) else [value]
    try:
        for item in values:
            target.to_python(item)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def get_changeform_initial_data(self, request):
    initial = _original(self, request)
    kept = {}
    for name, value in initial.items():
        try:
            field = self.opts.get_field(name)
        except FieldDoesNotExist:
            kept[name] = value  # not a model field: a form-only field sees it as text
            continue
        if _acceptable(field, value):
            kept[name] = value
    return kept


def install() -> None:
    ModelAdmin.get_changeform_initial_data = get_changeform_initial_data
