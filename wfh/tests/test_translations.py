"""Every user-facing string is marked for translation and has its English version."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ("django", "djangojs")


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Re-extract the strings of a copy of the source with makemessages (needs gettext)."""
    if not shutil.which("xgettext"):
        pytest.skip("gettext tools (xgettext) are not installed")
    copy = tmp_path_factory.mktemp("src") / "app"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "artifacts", "*.sqlite3", "__pycache__"
        ),
    )
    for domain in CATALOGUES:
        args = ["makemessages", "-l", "en", "-d", domain, "--no-obsolete", "--ignore=benchmarks"]
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=copy, check=True, capture_output=True
        )
    return copy / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", CATALOGUES)
def test_english_catalogue_has_every_string_translated(fresh_catalogues, domain):
    po = fresh_catalogues / f"{domain}.po"
    if not po.exists():
        pytest.skip(f"no {domain} strings")
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats}: run makemessages -l en and translate the new strings"
    )


@pytest.mark.parametrize("domain", CATALOGUES)
def test_compiled_catalogue_matches_its_source(domain, tmp_path):
    po = ROOT / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        pytest.skip(f"no {domain} catalogue")
    if not shutil.which("msgfmt"):
        pytest.skip("gettext tools (msgfmt) are not installed")
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo").read_bytes()
    assert fresh.read_bytes() == committed, "run compilemessages and commit the .mo file"


@pytest.mark.django_db
def test_language_switcher_renders_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in with your NIP" in body and "Masuk dengan NIP" not in body
