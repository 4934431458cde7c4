"""The bare-stack baseline of the check-in load benchmark (issue 8).

The least a Django check-in can be: the same database, sessions, users and password
hashing as ``settings_load``, but only the three middleware a logged-in, CSRF-checked
form needs (sessions, CSRF, authentication) and one throwaway view (``bare_urls``)
that looks up the employee and ``get_or_create``s the day's row. ``checkin_load.py``
serves it with the same gunicorn settings as the app and prints the app's sustained
rate as a ratio of this one, measured in the same run. Never use in production.
"""

from settings_load import *  # noqa: F403

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "bare_urls"
