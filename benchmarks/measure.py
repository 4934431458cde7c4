"""Run ``manage.py`` in a child process and report its wall time and its own peak RSS."""

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]

# The child prints its own high-water mark, so each run is measured separately
# (RUSAGE_CHILDREN would report the maximum over every child so far).
_WRAPPER = """
import atexit, os, resource, sys

def report():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"PEAK_RSS_KB={peak}", file=sys.stderr)

atexit.register(report)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def run_manage(args: list[str], env: dict) -> tuple[float, float, str]:
    """Return (wall seconds, peak RSS in MB, stdout); exit when the command fails."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    peak_kb = int(result.stderr.rsplit("PEAK_RSS_KB=", 1)[1].split()[0])
    return elapsed, peak_kb / 1024, result.stdout


def recreate_database(url: str, drop_only: bool = False) -> None:
    """Drop the database named in ``url`` and, unless ``drop_only``, create it empty."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
