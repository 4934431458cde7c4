"""WSGI entry point, served by gunicorn in production: ``gunicorn wfh.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")

application = get_wsgi_application()
