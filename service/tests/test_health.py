"""GET /healthz (readiness): 200 "ok" when the database answers, 503 otherwise.
GET /livez (liveness): 200 "ok" whenever the process answers, without touching the database.
Both pass for any Host over plain HTTP."""

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.fixture
def production_security(settings):
    """The two production settings that would turn the ALB's probe away from any other page."""
    settings.ALLOWED_HOSTS = ["tw.example.com"]
    settings.SECURE_SSL_REDIRECT = True


@pytest.mark.django_db
def test_healthz_answers_any_host_over_plain_http_with_production_security(
    client, production_security
):
    # The ALB probes the task IP over HTTP: neither ALLOWED_HOSTS nor the HTTPS redirect may
    # stand in the way.
    response = client.get("/healthz", HTTP_HOST="10.0.12.34:8080")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_other_pages_still_refuse_unknown_hosts_and_redirect_to_https(client, production_security):
    assert client.get("/", HTTP_HOST="10.0.12.34").status_code == 400
    redirect = client.get("/explore/", HTTP_HOST="tw.example.com")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://tw.example.com/explore/"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection

    def refuse_connection(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse_connection)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"


@pytest.mark.django_db
def test_livez_answers_ok_without_a_single_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"
    # No session was read or written: nothing to vary on, no cookie handed out.
    assert not response.cookies
    assert "Vary" not in response


@pytest.mark.django_db
def test_livez_answers_any_host_over_plain_http_with_production_security(
    client, production_security
):
    # The container health check calls gunicorn on 127.0.0.1:8000 over plain HTTP.
    for host in ("127.0.0.1:8000", "10.0.12.34:8080", "anything.invalid"):
        response = client.get("/livez", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.content == b"ok"


@pytest.mark.django_db
def test_livez_stays_ok_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import connection

    def refuse_connection(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse_connection)
    assert client.get("/healthz").status_code == 503
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
