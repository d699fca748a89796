"""One page of a timeline, found without counting the timeline and decorated only for its tweets.

A home timeline holds thousands of tweets (about 15,000 for a user following a hundred people in
`make bench`'s data set) and grows with every post. Django's Paginator counts them all for
"Page X of Y" (a COUNT over the whole timeline on every page built, about 7-10 ms there), and an
OFFSET page of the decorated timeline computes the like and reply counts of every tweet it skips
before it keeps fifty. Here a page costs two queries whose work does not grow with the timeline:
1. the ids of the page's tweets plus one, newest first, from the plain timeline (the filter and
   the order only, served by the indexes `tweet_newest` and `tweet_author_newest`): the extra id
   says whether an older page exists;
2. what the cards show for those ids only (tweets.timelines.tweets_for, annotated), none when
   the page is empty.
The pager shows "Newer", "Page X" and "Older": no total, so nothing to count.
https://docs.djangoproject.com/en/5.2/topics/pagination/ (what Paginator counts),
https://www.postgresql.org/docs/15/queries-limit.html ("the rows skipped by an OFFSET clause
still have to be computed inside the server").
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest

from tweets.models import Tweet
from tweets.timelines import NEWEST_FIRST, tweets_for

# Deeper pages are read as the last one: keeps OFFSET far inside Postgres' bigint.
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class TimelinePage:
    """What the pager and the cards of one page need (the attributes of Django's Page the
    templates use, without `paginator`)."""

    number: int
    object_list: Sequence  # tweets (annotated) or rows (tweets.cards.ROW_FIELDS), newest first
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self) -> Iterator:
        return iter(self.object_list)


def page_number(request: HttpRequest) -> int:
    """The `page` query parameter as a page number: 1 when missing, not a number or below 1."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def page_ids(request: HttpRequest, timeline: QuerySet[Tweet]) -> tuple[int, list[int], bool]:
    """The requested page's number, its tweet ids newest first, and whether an older page
    exists. `timeline` is a plain timeline of tweets.timelines (a filter, no annotations): one
    query over the index, however long the timeline."""
    number = page_number(request)
    size = settings.TWEETS_PER_PAGE
    start = (number - 1) * size
    ids = list(
        timeline.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[start : start + size + 1]
    )
    return number, ids[:size], len(ids) > size


def decorated(viewer: AbstractBaseUser, ids: Sequence[int], *fields: str) -> list:
    """The tweets `ids` as their cards show them to `viewer`, newest first: annotated tweets,
    or rows of `fields` when given. No query when `ids` is empty."""
    if not ids:
        return []
    tweets = tweets_for(viewer).filter(pk__in=ids)
    return list(tweets.values_list(*fields) if fields else tweets)


def paginate(request: HttpRequest, timeline: QuerySet[Tweet]) -> TimelinePage:
    """The requested page of `timeline` (plain), its tweets annotated for request.user."""
    number, ids, has_next = page_ids(request, timeline)
    return TimelinePage(number, decorated(request.user, ids), has_next)
