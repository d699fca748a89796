"""Several web tasks on one database (`database: rds`, minTasks > 1): they start together and
each keeps its own cache, and what one serves never contradicts a change made through another."""

from __future__ import annotations

import psycopg
import pytest

from service.tests.app_servers import app_server, fresh_database, migrate, start_migrations
from tools.local.client import SiteClient

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def database(postgresql_server):
    with fresh_database(postgresql_server.host, postgresql_server.port) as url:
        yield url


def test_tasks_that_start_together_apply_the_migrations_once(database):
    starters = [start_migrations(database) for _ in range(4)]
    outputs = []
    for starter in starters:
        output, _ = starter.communicate(timeout=300)
        assert starter.returncode == 0, output
        outputs.append(output)

    applying = [output for output in outputs if "Applying " in output]
    assert len(applying) == 1, outputs
    assert sum("No migrations to apply." in output for output in outputs) == 3
    with psycopg.connect(database) as connection:
        total, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT (app, name)) FROM django_migrations"
        ).fetchone()
    assert total == distinct > 0


def tweet_directly(database: str, username: str, text: str) -> None:
    """A row written past the application: no signal counts it as a change."""
    with psycopg.connect(database) as connection:
        connection.execute(
            "INSERT INTO tweets_tweet (author_id, text, image, created_at) "
            "SELECT id, %s, '', now() FROM auth_user WHERE username = %s",
            [text, username],
        )


def test_a_change_through_one_server_is_seen_at_once_through_the_other(database):
    migrate(database)
    with app_server(database) as first_url, app_server(database) as second_url:
        first = SiteClient(first_url, https=False)
        first.sign_up("alice", "alice@example.com", PASSWORD)
        second = SiteClient(second_url, https=False)
        second.session.cookies.update(first.session.cookies)  # one session, in the database
        assert first.post_tweet("posted through the first").status_code in (302, 303)

        assert "posted through the first" in second.get("/explore/").text
        # Rendered without a one-off message ("Posted"), so this one is cached.
        assert "posted through the first" in second.get("/explore/").text
        # The second server now serves its cached page: a row that bypasses the application
        # does not show, which proves the page below comes from its cache.
        tweet_directly(database, "alice", "written past the application")
        assert "written past the application" not in second.get("/explore/").text

        assert first.post_tweet("posted through the first again").status_code in (302, 303)
        page = second.get("/explore/").text
        assert "posted through the first again" in page
        assert "written past the application" in page


def test_a_mention_links_on_the_other_server_once_the_user_signs_up(database):
    """A card is cached per process; a mentioned user's signup through one server gives the
    card a new key and its timelines a new version, so the other server links the mention."""
    migrate(database)
    with app_server(database) as first_url, app_server(database) as second_url:
        first = SiteClient(first_url, https=False)
        first.sign_up("alice", "alice@example.com", PASSWORD)
        second = SiteClient(second_url, https=False)
        second.session.cookies.update(first.session.cookies)
        assert first.post_tweet("waiting for @carol").status_code in (302, 303)
        second.get("/explore/")  # the card, cached in the second server
        page = second.get("/explore/").text
        assert "waiting for @carol" in page
        assert 'href="/u/carol/"' not in page

        SiteClient(first_url, https=False).sign_up("carol", "carol@example.com", PASSWORD)

        page = second.get("/explore/").text
        assert '<a class="mention" href="/u/carol/">@carol</a>' in page
