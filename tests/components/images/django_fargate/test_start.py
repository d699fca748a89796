"""`python -m django_fargate.start` (the generic app image's command): migrations under the lock
first, then gunicorn with the platform's configuration serving DJANGO_APP_MODULE; a failed
migration ends the container with its status and starts no server."""

import pytest

from django_fargate import start


def test_gunicorn_serves_the_named_application_with_the_platforms_configuration():
    assert start.gunicorn_command({"DJANGO_APP_MODULE": "config.wsgi:application"}) == [
        "gunicorn",
        "-c",
        "python:django_fargate.gunicorn_conf",
        "config.wsgi:application",
    ]


def test_an_application_module_without_its_name_is_refused_with_an_example():
    with pytest.raises(SystemExit, match=r"e\.g\. config\.wsgi:application"):
        start.gunicorn_command({"DJANGO_APP_MODULE": "config.wsgi"})


def test_migrations_run_under_the_lock_before_gunicorn(monkeypatch):
    calls = []

    class Done:
        returncode = 0

    monkeypatch.setattr(
        start.subprocess, "run", lambda command, check: calls.append(command) or Done
    )
    monkeypatch.setattr(start.os, "execvp", lambda program, argv: calls.append(argv))
    start.main({"DJANGO_APP_MODULE": "config.wsgi:application"})
    assert calls[0][1:] == ["manage.py", "migrate_locked", "--noinput"]
    assert calls[1][0] == "gunicorn"


def test_a_failed_migration_is_the_containers_exit_status_and_no_server_starts(monkeypatch):
    class Failed:
        returncode = 3

    monkeypatch.setattr(start.subprocess, "run", lambda command, check: Failed)
    monkeypatch.setattr(start.os, "execvp", lambda *args: pytest.fail("gunicorn started"))
    assert start.main({"DJANGO_APP_MODULE": "config.wsgi:application"}) == 3
