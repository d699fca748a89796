"""Search over tweets (Postgres full-text search) and people (a username or display name prefix).

Tweets: `to_tsvector('english', text) @@ websearch_to_tsquery('english', q)`, the expression of
the GIN index tweet_text_search (tweets.models), so Postgres finds the matches in the index;
ranked by ts_rank, newest first among equals. websearch syntax: words, "a phrase", -excluded,
`or`. Built-in functions and configuration only: no extension, nothing the application's
database role lacks on RDS or on the Postgres of the efs mode.
The cost is bounded three ways: a query longer than MAX_QUERY_LENGTH is refused (400), only
SEARCH_MAX_PAGE pages of TWEETS_PER_PAGE are served (404 beyond, before any query), and people
are at most PEOPLE_SHOWN.
https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/search/
https://www.postgresql.org/docs/15/textsearch-controls.html#TEXTSEARCH-PARSING-QUERIES
https://www.postgresql.org/docs/15/textsearch-tables.html#TEXTSEARCH-TABLES-INDEX
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F
from django.http import Http404

from accounts.models import Profile
from tweets.models import SEARCH_CONFIG, Tweet, text_search_vector
from tweets.pages import TimelinePage, checked_page, decorated
from tweets.timelines import NEWEST_FIRST

MAX_QUERY_LENGTH = 100
SEARCH_MAX_PAGE = 10
PEOPLE_SHOWN = 10


def tweet_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def matching_tweet_ids(q: str):
    """The ids of the tweets matching `q`, best first (a queryset: slice it)."""
    query = tweet_query(q)
    return (
        Tweet.objects.annotate(document=text_search_vector())
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", *NEWEST_FIRST)
        .values_list("pk", flat=True)
    )


def tweets_page(viewer: AbstractBaseUser, q: str, number: int) -> TimelinePage:
    """Page `number` of the tweets matching `q`, as their cards show them to `viewer`: two
    queries (the ids, then the cards)."""
    if number > SEARCH_MAX_PAGE:
        raise Http404(f"search results are served to page {SEARCH_MAX_PAGE}")
    size = settings.TWEETS_PER_PAGE
    start = (number - 1) * size
    ids = list(matching_tweet_ids(q)[start : start + size + 1])
    shown, has_next = checked_page(number, ids, size)
    found = {tweet.pk: tweet for tweet in decorated(viewer, shown)}
    tweets = [found[pk] for pk in shown if pk in found]
    return TimelinePage(number, tweets, has_next and number < SEARCH_MAX_PAGE)


def people(q: str) -> list:
    """Up to PEOPLE_SHOWN users whose username starts with `q` (without a leading @, as typed:
    usernames are case-sensitive, and `LIKE 'q%'` uses the username's pattern index) or whose
    display name starts with it in any case (the index profile_display_name_prefix); one
    query. The two matches are a UNION of ids rather than an OR across the join, which
    Postgres could answer only by reading every user or every profile."""
    prefix = q.removeprefix("@").strip()
    if not prefix:
        return []
    users = get_user_model().objects
    by_username = users.filter(username__startswith=prefix).values("pk")
    by_display_name = Profile.objects.filter(display_name__istartswith=prefix).values("user")
    matched = users.select_related("profile").filter(pk__in=by_username.union(by_display_name))
    return list(matched.order_by("username")[:PEOPLE_SHOWN])
