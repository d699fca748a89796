"""The people part of /search/, the follower and following lists and a card's mentions read
an index, not every profile, every follow of a user or every user, on the 50,000-tweet data
set of test_social_queries (5,000 people following alice and followed by bob). Read from the
plans Postgres chooses for the very statements the pages send (EXPLAIN, after ANALYZE).
https://www.postgresql.org/docs/18/using-explain.html"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from service.tests.test_social_queries import grow_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_thousand(alice, bob):
    grow_to(alice, bob, 50_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def statement_of(client, path: str, containing: str) -> str:
    """The SQL `path` sends that contains `containing`, its parameters in place."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    sent = [q["sql"] for q in captured.captured_queries if containing in q["sql"]]
    assert len(sent) == 1, f"{path} sent {len(sent)} queries containing {containing}"
    return sent[0]


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


FOLLOW_LISTS = {
    "/u/alice/followers/": "follow_followee_newest",
    "/u/alice/followers/?page=3": "follow_followee_newest",
    "/u/bob/following/": "follow_follower_newest",
}


def test_a_follow_list_page_is_the_first_rows_of_its_index(fifty_thousand, alice_client):
    for path, index in FOLLOW_LISTS.items():
        plan = plan_of(statement_of(alice_client, path, 'ORDER BY "accounts_follow"'))
        assert f"Index Scan using {index}" in plan, plan
        # No sort of the 5,000 follows: the index gives them newest first.
        assert "Sort" not in plan, plan


def test_people_are_found_by_display_name_through_its_index(fifty_thousand, alice_client):
    # "Fan0001": ten of the 5,000 display names ("Fan00010" ...), typed in another case.
    sql = statement_of(alice_client, "/search/?q=fAN0001", " LIKE ")
    plan = plan_of(sql)
    assert "profile_display_name_prefix" in plan, plan
    assert "Seq Scan" not in plan, plan
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert len(cursor.fetchall()) == 10


def test_a_cards_mentions_are_found_through_the_lower_case_username_index(
    fifty_thousand, alice_client
):
    # Explore's page of cards: each card's mentions resolved in its row (tweets.pages).
    plan = plan_of(statement_of(alice_client, "/explore/", "mentions"))
    assert "auth_user_username_lower_unique" in plan, plan
