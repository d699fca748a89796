"""The pages that find tweets by what they contain: a hashtag's tweets and search."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tweets import search, tokens
from tweets.models import Tweet
from tweets.pages import page_number, paginate
from tweets.timelines import NEWEST_FIRST


@require_safe
def hashtag(request: HttpRequest, tag: str) -> HttpResponse:
    """The tweets tagged #tag, newest first, paginated as the timelines (MAX_PAGE_NUMBER): two
    queries over the GIN index tweet_hashtags and the page's ids, however many tweets."""
    tag = tag.lower()
    if tokens.hashtags(f"#{tag}") != [tag]:
        raise Http404("not a hashtag")
    timeline = Tweet.objects.filter(hashtags__contains=[tag]).order_by(*NEWEST_FIRST)
    page = paginate(request, timeline)
    return render(request, "tweets/hashtag.html", {"tag": tag, "page": page})


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: people (first page only) and tweets matching `q` (tweets.search)."""
    q = " ".join(request.GET.get("q", "").split())
    context: dict = {"q": q, "max_length": search.MAX_QUERY_LENGTH}
    if len(q) > search.MAX_QUERY_LENGTH:
        context["error"] = f"Search for at most {search.MAX_QUERY_LENGTH} characters."
        return render(request, "tweets/search.html", context, status=400)
    if q:
        number = page_number(request)
        context["page"] = search.tweets_page(request.user, q, number)
        context["people"] = search.people(q) if number == 1 else []
    return render(request, "tweets/search.html", context)
