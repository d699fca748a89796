"""The demo on a managed Postgres: the application role the platform's db-init makes
(django_fargate.rds_app_role; its own tests: tests/components/images/django_fargate/
test_rds_app_role.py) applies every migration of the demo and searches through its indexes."""

from tests.components.images.django_fargate.test_rds_app_role import (
    PASSWORD,
    connect_as,
    managed,
    rds_like,
    run_init,
)

__all__ = ["managed", "rds_like"]  # the fixtures


def test_the_application_role_applies_every_migration_and_searches_through_the_index(
    rds_like, managed
):
    """The search and hashtag indexes use built-in functions and operator classes only: no
    extension, nothing the plain role lacks (the efs mode runs the same migrations as its own
    plain role, service/tests/e2e)."""
    from service.tests.app_servers import migrate

    admin, database = managed
    app_user = f"{database}_web"
    assert run_init(rds_like, admin, database, app_user).returncode == 0
    url = f"postgres://{app_user}:{PASSWORD}@{rds_like.host}:{rds_like.port}/{database}"

    migrate(url)

    with connect_as(rds_like, app_user, PASSWORD, database) as app:
        indexes = {
            name
            for (name,) in app.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'tweets_tweet'"
            )
        }
        assert {"tweet_hashtags", "tweet_mentions", "tweet_text_search"} <= indexes
        app.execute("SET enable_seqscan = off")
        plan = app.execute(
            "EXPLAIN SELECT id FROM tweets_tweet WHERE to_tsvector('english'::regconfig, "
            "COALESCE(text, '')) @@ websearch_to_tsquery('english'::regconfig, 'word')"
        ).fetchall()
        assert "tweet_text_search" in str(plan)
