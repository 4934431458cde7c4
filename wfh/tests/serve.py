"""Run gunicorn with the clock set to a working-day morning (the benchmark's day).

    python wfh/tests/serve.py 2026-12-08T07:00:00+07:00 -- <gunicorn arguments>

time-machine moves Python's clock in this process before gunicorn forks its
workers, so the app's code is the production code: no fake clock in the app.
"""

import sys

import time_machine
from gunicorn.app.wsgiapp import run

if __name__ == "__main__":
    moment, separator, *gunicorn_args = sys.argv[1:]
    assert separator == "--", "usage: serve.py MOMENT -- gunicorn arguments"
    time_machine.travel(moment, tick=True).start()
    sys.argv = ["gunicorn", *gunicorn_args]
    run()
