"""A tweet's text renders escaped, with its mentions, hashtags and links linked
(tweets.templatetags.tweet_text), and only as links that lead somewhere."""

import pytest
from django.template import Context, Template

from tweets.models import Tweet
from tweets.templatetags.tweet_text import linked_html

pytestmark = pytest.mark.django_db


def test_plain_text_is_escaped_and_keeps_its_line_breaks():
    assert linked_html('<script>alert("x")</script>\nbye', set()) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>bye"
    )


def test_a_link_is_an_anchor_with_nofollow_noopener():
    html = linked_html("see https://example.com/a?b=1&c=2.", set())
    assert html == (
        'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener">'
        "https://example.com/a?b=1&amp;c=2</a>."
    )


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/x"]
)
def test_other_schemes_stay_text(text):
    assert "<a" not in linked_html(text, set())


def test_a_hashtag_links_to_its_page_in_lower_case():
    assert linked_html("go #Django", set()) == (
        'go <a class="hashtag" href="/tags/django/">#Django</a>'
    )


def test_a_mention_links_to_the_profile_only_when_the_user_exists():
    html = linked_html("hi @alice and @nobody", {"alice"})
    assert html == 'hi <a class="mention" href="/u/alice/">@alice</a> and @nobody'


def test_the_card_template_uses_the_filter(alice):
    tweet = Tweet(author=alice, text="@alice <b> #tag")
    tweet.known_mentions = ["alice"]
    html = Template("{% load tweet_text %}{{ tweet|tweet_text }}").render(Context({"tweet": tweet}))
    assert html == (
        '<a class="mention" href="/u/alice/">@alice</a> &lt;b&gt; '
        '<a class="hashtag" href="/tags/tag/">#tag</a>'
    )


def test_a_card_links_a_mention_of_a_user_who_exists_and_no_other(alice_client, alice, bob):
    Tweet.objects.create(author=bob, text="hello @alice and @ghost")
    for path in ("/explore/", "/u/bob/", f"/tweets/{Tweet.objects.get().pk}/"):
        page = alice_client.get(path).content.decode()
        assert '<a class="mention" href="/u/alice/">@alice</a>' in page, path
        assert "and @ghost" in page, path
        assert "/u/ghost/" not in page, path
