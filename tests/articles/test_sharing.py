"""Share links on every story: plain addresses, working without JavaScript."""

from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from articles.sharing import mastodon_server_clean, share_links
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "https://news.example/2026/11/30/ferry-returns/"
TITLE = "Ferry returns & more"


def links() -> dict[str, str]:
    return {link["service"]: link["href"] for link in share_links(url=URL, title=TITLE, story_pk=7)}


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_email_link_has_the_headline_as_subject_and_the_address_as_body():
    href = links()["email"]

    assert href.startswith("mailto:?")
    assert query(href) == {"subject": [TITLE], "body": [URL]}
    assert "+" not in href  # RFC 6068: spaces are %20 in mailto URIs


def test_bluesky_link_composes_a_post_with_headline_and_address():
    href = links()["bluesky"]

    assert href.startswith("https://bsky.app/intent/compose?")
    assert query(href) == {"text": [f"{TITLE} {URL}"]}


def test_linkedin_and_whatsapp_links_carry_the_address():
    assert links()["linkedin"].startswith("https://www.linkedin.com/sharing/share-offsite/?")
    assert query(links()["linkedin"]) == {"url": [URL]}
    assert links()["whatsapp"].startswith("https://wa.me/?")
    assert query(links()["whatsapp"]) == {"text": [f"{TITLE} {URL}"]}


def test_mastodon_link_asks_our_own_page_for_the_server():
    assert links()["mastodon"] == reverse("articles:share_mastodon", kwargs={"pk": 7})


def test_story_page_shows_share_links_and_no_third_party_script(client):
    story = ArticleFactory(headline="Ferry returns")

    page = client.get(story.get_absolute_url()).content.decode()

    address = f"http://testserver{story.get_absolute_url()}"
    assert 'href="https://bsky.app/intent/compose?' in page
    assert 'href="mailto:?' in page
    assert f'href="{address}" data-share-copy' in page
    assert f'data-share-url="{address}"' in page
    scripts = [part.split('"')[0] for part in page.split('<script src="')[1:]]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "/static/articles/share.js" in scripts


def test_preview_has_no_share_links(client):
    from tests.factories import UserFactory

    story = ArticleFactory(draft=True)
    client.force_login(UserFactory(editor=True))

    page = client.get(reverse("articles:preview", kwargs={"pk": story.pk})).content.decode()

    assert "data-share-url" not in page


# --- Mastodon: which server? ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("  Mastodon.Social ", "mastodon.social"),
        ("https://fosstodon.org/", "fosstodon.org"),
        ("@ada@hachyderm.io", "hachyderm.io"),
        ("ada@mastodon.scot", "mastodon.scot"),
        ("mästodon.example", "xn--mstodon-5wa.example"),
    ],
)
def test_mastodon_server_accepts_hosts_and_handles(typed, host):
    assert mastodon_server_clean(typed) == host


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "localhost",
        "127.0.0.1",
        "10.0.0.1",
        "[::1]",
        "mastodon.social:8080",
        "mastodon.social/evil",
        "evil.example/share?x=",
        "javascript:alert(1)",
        "mastodon.social\\@evil.example",
        "-bad.example",
        "a" * 300 + ".example",
        "exa mple.com",
        "mastodon.social#frag",
        "user:pw@",
    ],
)
def test_mastodon_server_rejects_anything_but_a_host_name(typed):
    assert mastodon_server_clean(typed) is None


def test_mastodon_page_asks_for_the_server(client):
    story = ArticleFactory()

    response = client.get(reverse("articles:share_mastodon", kwargs={"pk": story.pk}))

    assert response.status_code == HTTPStatus.OK
    assert "Your Mastodon server" in response.content.decode()


def test_mastodon_page_redirects_to_the_servers_share_page(client):
    story = ArticleFactory(headline="Ferry returns")

    response = client.get(
        reverse("articles:share_mastodon", kwargs={"pk": story.pk}),
        {"server": "@ada@Mastodon.Social"},
    )

    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location.startswith("https://mastodon.social/share?")
    assert query(location) == {
        "text": [f"Ferry returns http://testserver{story.get_absolute_url()}"]
    }


def test_mastodon_page_refuses_a_bad_server_with_a_message(client):
    story = ArticleFactory()

    response = client.get(
        reverse("articles:share_mastodon", kwargs={"pk": story.pk}),
        {"server": "evil.example/phish?"},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "does not look like a Mastodon server" in response.content.decode()
    assert "Location" not in response


@pytest.mark.parametrize("kind", ["draft", "missing"])
def test_mastodon_page_is_404_for_a_story_readers_cannot_see(client, kind):
    pk = ArticleFactory(draft=True).pk if kind == "draft" else 999999

    response = client.get(reverse("articles:share_mastodon", kwargs={"pk": pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_print_stylesheet_is_loaded_for_print_only(client):
    page = client.get("/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
