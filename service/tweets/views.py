from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe

from core.renditions import delete_with_renditions, store_renditions
from core.responses import redirect_back, refuse
from tweets import threads, timeline_cache
from tweets.forms import TweetForm
from tweets.models import Like, Tweet
from tweets.pages import paginate
from tweets.timeline_cache import timeline_page
from tweets.timelines import explore_sql, explore_tweets, home_sql, home_tweets, tweets_for

MAX_REPLIES_SHOWN = 100


def _home(request: HttpRequest, form: TweetForm, status: int = 200) -> HttpResponse:
    page = paginate(request, home_tweets(request.user))
    return render(request, "tweets/home.html", {"form": form, "page": page}, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return timeline_page(
        request,
        owner_id=request.user.pk,
        template="tweets/home.html",
        tweets=lambda: home_tweets(request.user),
        sql=home_sql(request.user.pk),
        context=lambda: {"form": TweetForm()},
    )


@require_safe
def explore(request: HttpRequest) -> HttpResponse:
    return timeline_page(
        request,
        owner_id=timeline_cache.EXPLORE,
        template="tweets/explore.html",
        tweets=explore_tweets,
        sql=explore_sql(),
    )


def _thread(
    request: HttpRequest, tweet_id: int, form: TweetForm | None = None, status: int = 200
) -> HttpResponse:
    """A tweet, its replies and the reply form: empty, or the one that failed with its errors."""
    viewer_tweets = tweets_for(request.user)
    tweet = get_object_or_404(viewer_tweets, pk=tweet_id)
    # The thread: the parent chain above (bounded, threads.MAX_ANCESTORS), the first
    # MAX_REPLIES_SHOWN replies below, oldest first; a constant number of queries.
    above = threads.ancestors(request.user, tweet)
    replies = viewer_tweets.filter(reply_to=tweet).order_by("created_at", "id")
    if form is None:
        form = TweetForm(initial={"reply_to": tweet.pk})
    else:
        # The form's hidden field keeps the tweet answered, and its button says Reply.
        form.initial["reply_to"] = tweet.pk
    context = {
        "tweet": tweet,
        "ancestors": above,
        "earlier": above[0].reply_to_id if above else None,
        "replies": replies[:MAX_REPLIES_SHOWN],
        "form": form,
    }
    return render(request, "tweets/detail.html", context, status=status)


@require_safe
def tweet_detail(request: HttpRequest, tweet_id: int) -> HttpResponse:
    return _thread(request, tweet_id)


@require_POST
def create_tweet(request: HttpRequest) -> HttpResponse:
    form = TweetForm(request.POST, request.FILES)
    if not form.is_valid():
        # A reply that fails stays on its thread with the error, where the person was writing.
        replied = form.cleaned_data.get("reply_to")
        if replied is not None:
            return _thread(request, replied.pk, form, status=400)
        return _home(request, form, status=400)
    tweet = form.save(commit=False)
    tweet.author = request.user
    # The tweet and the version bump of the timelines that show it (tweets.signals) commit
    # together: a failure in between must not leave a stored tweet behind an error response.
    with transaction.atomic():
        tweet.save()
        # Before the tweet commits, so no page shows it without its rendition.
        store_renditions(tweet.image, form.cleaned_data.get("image"))
    if tweet.reply_to_id:
        return redirect_back(request, default=tweet.reply_to.get_absolute_url())
    return redirect_back(request)


@require_POST
def delete_tweet(request: HttpRequest, tweet_id: int) -> HttpResponse:
    tweet = get_object_or_404(Tweet, pk=tweet_id)
    if tweet.author_id != request.user.pk:
        return refuse(request, "You can only delete your own tweets.", status=403)
    image = tweet.image
    tweet.delete()
    if image:
        # The object in the bucket goes only once the row is really gone.
        transaction.on_commit(lambda: delete_with_renditions(image.storage, image.name))
    return redirect_back(request)


@require_POST
def like_tweet(request: HttpRequest, tweet_id: int) -> HttpResponse:
    tweet = get_object_or_404(Tweet, pk=tweet_id)
    _, created = Like.objects.get_or_create(user=request.user, tweet=tweet)
    if not created:
        return refuse(request, "You already like this tweet.", status=409)
    return redirect_back(request)


@require_POST
def unlike_tweet(request: HttpRequest, tweet_id: int) -> HttpResponse:
    tweet = get_object_or_404(Tweet, pk=tweet_id)
    deleted, _ = Like.objects.filter(user=request.user, tweet=tweet).delete()
    if not deleted:
        return refuse(
            request, "You do not like this tweet yet, so there is nothing to undo.", status=409
        )
    return redirect_back(request)
