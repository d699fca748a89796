"""The templates as Django reads them: a `{# #}` comment ends on its own line (Django's
single-line comment syntax; a longer one is `{% comment %}`), else its text prints on the page.
https://docs.djangoproject.com/en/5.2/ref/templates/language/#comments"""

import re

import pytest

from stack.paths import REPO_ROOT

TEMPLATES = sorted((REPO_ROOT / "service" / "templates").rglob("*.html"))
UNCLOSED_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.M)


def test_there_are_templates_to_read():
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_every_comment_closes_on_the_line_it_opens(template):
    text = template.read_text()
    unclosed = [text.count("\n", 0, found.start()) + 1 for found in UNCLOSED_COMMENT.finditer(text)]
    assert unclosed == [], f"{template}: use {{% comment %}} for lines {unclosed}"


@pytest.mark.django_db
def test_a_page_of_tweets_shows_no_template_syntax(alice_client, alice):
    from tweets.models import Tweet

    Tweet.objects.create(author=alice, text="hello")
    html = alice_client.get("/").content.decode()
    assert 'class="tweet"' in html
    assert not re.search(r"\{#|#\}|\{%|%\}", html)
