"""What a tweet's text links: @mentions, #hashtags and http(s) links, and nothing else."""

import pytest

from tweets.tokens import Token, hashtags, mentioned_usernames, tokenize


def _linked(text):
    return [(t.kind, t.value) for t in tokenize(text) if t.kind != "text"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        "hi @alice.",
        "@a@b",
        "see https://e.com/x?a=1.",
        "#tag!",
        "x &amp; y",
        "日本 #日本",
    ],
)
def test_the_tokens_put_back_together_are_the_text(text):
    assert "".join(t.text for t in tokenize(text)) == text


def test_a_mention_ends_before_sentence_punctuation():
    assert tokenize("thanks @alice.") == [
        Token("text", "thanks "),
        Token("mention", "@alice", "alice"),
        Token("text", "."),
    ]


@pytest.mark.parametrize("text", ["mail bob@example.com", "@alice@example.com", "a.@b", "@"])
def test_addresses_and_bare_signs_mention_no_one(text):
    assert mentioned_usernames(text) == []


def test_usernames_keep_the_characters_django_allows():
    assert mentioned_usernames("@b_c-d and @e.f+g") == ["b_c-d", "e.f+g"]


def test_each_username_is_mentioned_once_in_order():
    assert mentioned_usernames("@bob @alice @bob") == ["bob", "alice"]


def test_hashtags_are_lower_case_and_need_a_letter():
    assert hashtags("#Django #2024 #a1 #DJANGO") == ["django", "a1"]


def test_an_entity_or_a_fragment_is_no_hashtag():
    assert hashtags("it&#39;s") == []
    assert _linked("http://a.example/#tag") == [("url", "http://a.example/#tag")]


def test_an_overlong_hashtag_is_plain_text():
    assert hashtags("#" + "x" * 101) == []
    assert hashtags("#" + "x" * 100) == ["x" * 100]


def test_links_are_http_or_https_and_leave_punctuation_to_the_sentence():
    assert _linked("(see https://e.com/a?b=1).") == [("url", "https://e.com/a?b=1")]
    assert _linked("javascript:alert(1) data:text/html,x ftp://e.com") == []


def test_a_link_s_own_at_and_hash_are_part_of_it():
    assert _linked("https://e.com/@alice#top") == [("url", "https://e.com/@alice#top")]
