"""WSGI entry point, served by gunicorn in production: ``gunicorn wfh.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the app's modules, URL patterns, templates' code)
# lives as long as the worker. Freezing it takes it out of the garbage collector's
# generations, so a full collection no longer walks it in the middle of a request:
# without this, one adjustment of a 1,000-person roster took 61 ms on average and
# 107 ms at p95 (collections of the whole heap), with it 41 and 43 ms
# (benchmarks/adjust_roster.py).
gc.collect()
gc.freeze()
