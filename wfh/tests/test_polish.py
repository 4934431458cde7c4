"""Small things a new user trips over (issue 11, item 7)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}" id="password-reset"' in html
    assert "Lupa kata sandi?" in html


def test_every_page_has_a_favicon_that_is_served_from_static(client):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert finders.find("favicon.svg")


def test_each_language_is_offered_in_its_own_name(client):
    html = client.get(reverse("login")).content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "Bahasa Indonesia</option>" in html and "Inggris" not in html
