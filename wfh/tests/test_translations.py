"""Every user-facing string is marked for translation and has its English version."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _missing(tool: str):
    # .ci/run installs gettext; only a laptop without it may skip.
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{tool} missing, and CI=true requires it", pytrace=False)
    pytest.skip(f"{tool} not installed")


# Scripts take their texts from data- attributes of the templates, so every string is in
# the one "django" catalogue; there is no JavaScript catalogue.
CATALOGUE = "django"


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Re-extract the strings of a copy of the source with makemessages (needs gettext)."""
    if not shutil.which("xgettext"):
        _missing("gettext tools (xgettext)")
    copy = tmp_path_factory.mktemp("src") / "app"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "artifacts", "*.sqlite3", "__pycache__"
        ),
    )
    args = ["makemessages", "-l", "en", "--no-obsolete", "--ignore=benchmarks"]
    subprocess.run([sys.executable, "manage.py", *args], cwd=copy, check=True, capture_output=True)
    return copy / "locale" / "en" / "LC_MESSAGES"


def test_english_catalogue_has_every_string_translated(fresh_catalogues):
    po = fresh_catalogues / f"{CATALOGUE}.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats}: run makemessages -l en and translate the new strings"
    )


def test_compiled_catalogue_matches_its_source(tmp_path):
    po = ROOT / "locale" / "en" / "LC_MESSAGES" / f"{CATALOGUE}.po"
    if not shutil.which("msgfmt"):
        _missing("gettext tools (msgfmt)")
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo").read_bytes()
    assert fresh.read_bytes() == committed, "run compilemessages and commit the .mo file"


@pytest.mark.django_db
def test_language_switcher_renders_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in with your NIP" in body and "Masuk dengan NIP" not in body
