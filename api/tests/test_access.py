"""Keys, scopes, OPD binding, the rate limit and the request log."""

import hashlib
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from api.models import ApiKey, ApiRequest, Scope

from .conftest import Api, rows

pytestmark = pytest.mark.django_db

WEEK = {"week": "2026-W50"}


def schedule():
    return reverse("api:schedule")


def test_a_request_without_a_key_answers_401_with_no_data(org):
    response = Api().get(schedule(), **WEEK)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Kunci API wajib dikirim di header Authorization: Bearer <kunci>."
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_key_answers_401_with_no_data(make_key):
    make_key()
    response = Api("wfh_00000000_salah").get(schedule(), **WEEK)
    assert response.status_code == 401
    assert response.json() == {"detail": "Kunci API salah atau sudah dicabut."}


def test_a_revoked_key_answers_401(make_key):
    key, secret = make_key()
    assert Api(secret).get(schedule(), **WEEK).status_code == 200
    key.revoke()
    response = Api(secret).get(schedule(), **WEEK)
    assert response.status_code == 401
    assert "rows" not in response.json()


def test_the_key_may_come_in_the_x_api_key_header(make_key):
    _key, secret = make_key()
    response = Api(secret, header="x-api-key").get(schedule(), **WEEK)
    assert response.status_code == 200
    assert len(rows(response)) == 9 * 5  # eight people and the BKPSDM officer


def test_a_key_outside_its_scope_answers_403_with_no_data(make_key):
    _key, secret = make_key(scopes=[Scope.LEAVE_WRITE])
    response = Api(secret).get(schedule(), **WEEK)
    assert response.status_code == 403
    assert response.json() == {"detail": 'Kunci API ini tidak mempunyai cakupan "schedule:read".'}


def test_a_key_of_one_opd_sees_only_that_opd_and_403_for_another(org, make_key):
    _key, secret = make_key(opd=org["opd"])
    api = Api(secret)
    own = api.get(schedule(), **WEEK)
    assert own.status_code == 200
    assert {row["nip"] for row in rows(own)} == {p.nip for p in org["people"]}
    other = api.get(schedule(), opd="DINKES", **WEEK)
    assert other.status_code == 403
    assert other.json() == {"detail": "Kunci API ini hanya untuk OPD DISDIK."}
    stranger = org["strangers"][0].nip
    response = api.get(
        reverse("api:person-schedule", args=[stranger]), start="2026-12-07", end="2026-12-11"
    )
    assert response.status_code == 403


def test_a_signed_in_browser_without_a_key_gets_401_not_its_session(client, org):
    client.force_login(org["bkpsdm"], backend="opd.auth.EmployeeBackend")
    assert client.get(schedule(), WEEK).status_code == 401
    # A POST with the session cookie and no CSRF token writes nothing either.
    item = {
        "nip": org["people"][0].nip,
        "start": "2026-12-08",
        "end": "2026-12-08",
        "kind": "tahunan",
    }
    response = client.post(
        reverse("api:leaves"), {"items": [item]}, content_type="application/json"
    )
    assert response.status_code == 401


@override_settings(API_RATE_LIMIT="3/min")
def test_a_key_over_its_rate_gets_429_with_retry_after(make_key):
    _key, secret = make_key()
    other_key, other_secret = make_key(name="e-Kinerja")
    api = Api(secret)
    for _ in range(3):
        assert api.get(schedule(), **WEEK).status_code == 200
    response = api.get(schedule(), **WEEK)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"].startswith("Terlalu banyak permintaan")
    # The limit is per key: another key is not slowed down.
    assert Api(other_secret).get(schedule(), **WEEK).status_code == 200


@pytest.mark.redis
def test_with_a_shared_cache_every_process_counts_a_keys_requests_in_one_place(
    make_key, redis_broker
):
    from django.core.cache.backends.redis import RedisCache

    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_broker,
            "KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex[:8]}",
        }
    }
    with override_settings(CACHES=shared, API_RATE_LIMIT="3/min"):
        key, secret = make_key()
        api = Api(secret)
        for _ in range(3):
            assert api.get(schedule(), **WEEK).status_code == 200
        # Another process (a new connection to the same Redis) sees the three requests...
        other = RedisCache(redis_broker, {"KEY_PREFIX": shared["default"]["KEY_PREFIX"]})
        assert len(other.get(f"throttle_api_key_{key.pk}")) == 3
        # ...and the fourth is refused, whichever worker answers it.
        assert api.get(schedule(), **WEEK).status_code == 429
        other.delete(f"throttle_api_key_{key.pk}")


def test_only_the_hash_of_the_secret_is_stored(make_key):
    key, secret = make_key()
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.hashed == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(f"wfh_{stored.prefix}_")
    assert secret not in str(ApiKey.objects.values().get(pk=key.pk))


def test_every_request_is_logged_with_the_key_name(make_key):
    _key, secret = make_key(name="K-Mob")
    Api(secret).get(schedule(), **WEEK)
    Api().get(schedule(), **WEEK)
    Api(secret).get(schedule(), week="2026-W99")
    log = list(ApiRequest.objects.order_by("pk").values_list("key_name", "method", "status"))
    assert log == [("K-Mob", "GET", 200), ("", "GET", 401), ("K-Mob", "GET", 400)]
    assert ApiRequest.objects.first().path.startswith("/api/v1/schedule/?week=")


def test_a_bad_week_answers_400_in_bahasa(make_key):
    _key, secret = make_key()
    response = Api(secret).get(schedule(), week="minggu depan")
    assert response.status_code == 400
    assert "2026-W50" in response.json()["detail"]


def test_bkpsdm_creates_a_key_in_the_admin_and_sees_the_secret_once(client, org):
    client.force_login(org["bkpsdm"], backend="opd.auth.EmployeeBackend")
    response = client.post(
        reverse("admin:api_apikey_add"),
        {"name": "K-Mob", "scopes": ["schedule:read", "leave:write"], "opd": ""},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="K-Mob")
    assert key.scopes == ["schedule:read", "leave:write"]
    assert key.created_by == org["bkpsdm"]
    shown = [str(m) for m in response.context["messages"]]
    (secret,) = [m.split("<code>")[1].split("</code>")[0] for m in shown if "<code>" in m]
    assert Api(secret).get(schedule(), **WEEK).status_code == 200
    # Not shown again on the key's page.
    page = client.get(reverse("admin:api_apikey_change", args=[key.pk]))
    assert secret not in page.content.decode()
    # Revoked from the list.
    client.post(
        reverse("admin:api_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert not key.active and key.revoked_at is not None
    assert Api(secret).get(schedule(), **WEEK).status_code == 401


def test_the_published_schema_describes_the_key_header(client):
    # The extension that describes it is imported with the API's URLs, not at start-up.
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    scheme = response.json()["components"]["securitySchemes"]["kunciApi"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "X-Api-Key" in scheme["description"]
