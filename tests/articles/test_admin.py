"""The newsroom in the admin: writers write, editors publish, and the rules hold at every door."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def writer():
    return UserFactory(groups=["Writer"])


@pytest.fixture
def editor():
    return UserFactory(groups=["Editor"])


def login(client, user):
    client.force_login(user)
    return client


def form_data(*, section, author, **fields):
    data = {
        "headline": "Harbour ferry returns after winter",
        "slug": "harbour-ferry-returns",
        "standfirst": "The crossing to the islands runs again from Monday.",
        "body": "<p>The ferry is back.</p>",
        "section": section.pk,
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "seo_title": "",
        "seo_description": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-order": "0",
    }
    data.update(fields)
    return data


def edit_data(article, **fields):
    byline = article.bylines.get()
    data = form_data(
        section=article.section,
        author=byline.author,
        headline=article.headline,
        slug=article.slug,
        standfirst=article.standfirst,
        body=article.body,
        status=article.status,
        **{
            "bylines-INITIAL_FORMS": "1",
            "bylines-0-id": byline.pk,
            "bylines-0-article": article.pk,
        },
    )
    data.update(fields)
    return data


def test_roles_exist_with_their_permissions():
    writer = set(Group.objects.get(name="Writer").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article"} <= writer
    assert "publish_article" not in writer
    assert {"publish_article", "delete_article", "change_section", "add_author"} <= editor


# --- Writers ----------------------------------------------------------------------


def test_writer_can_write_a_draft(client, writer):
    login(client, writer)
    response = client.post(ADD_URL, form_data(section=SectionFactory(), author=AuthorFactory()))

    assert response.status_code == HTTPStatus.FOUND
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT
    assert story.created_by == writer


def test_writer_cannot_publish_through_the_form(client, writer):
    login(client, writer)
    data = form_data(
        section=SectionFactory(),
        author=AuthorFactory(),
        status="published",
        published_at_0="2026-01-01",
        published_at_1="10:00:00",
    )

    response = client.post(ADD_URL, data)

    assert response.status_code == HTTPStatus.OK  # the form again, with an error
    assert not Article.objects.exists()


def test_writer_is_not_offered_the_published_status(client, writer):
    page = login(client, writer).get(ADD_URL).content.decode()

    assert 'value="in_review"' in page
    assert 'value="published"' not in page


def test_writer_cannot_publish_with_the_bulk_action(client, writer):
    story = ArticleFactory(draft=True, created_by=writer)
    login(client, writer)

    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_writer_is_not_shown_the_publish_actions(client, writer):
    ArticleFactory(draft=True, created_by=writer)

    page = login(client, writer).get(LIST_URL).content.decode()

    assert 'value="send_to_review"' in page
    assert 'value="publish_now"' not in page


def test_writer_can_send_own_draft_to_review(client, writer):
    story = ArticleFactory(draft=True, created_by=writer)
    login(client, writer)

    client.post(LIST_URL, {"action": "send_to_review", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_writer_cannot_edit_someone_elses_story(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=editor, headline="Editor's draft")
    login(client, writer)

    client.post(change_url(story), edit_data(story, headline="Hijacked"))

    story.refresh_from_db()
    assert story.headline == "Editor's draft"


def test_writer_does_not_see_others_stories(client, writer, editor):
    ArticleFactory(draft=True, created_by=editor, headline="Someone else's scoop")

    page = login(client, writer).get(LIST_URL).content.decode()

    assert "Someone else&#x27;s scoop" not in page


def test_writer_cannot_change_own_story_once_published(client, writer):
    story = ArticleFactory(created_by=writer, headline="Live now")
    login(client, writer)

    client.post(change_url(story), edit_data(story, headline="Rewritten", status="draft"))

    story.refresh_from_db()
    assert story.headline == "Live now"
    assert story.is_live


def test_writer_cannot_send_others_drafts_to_review(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)
    login(client, writer)

    client.post(LIST_URL, {"action": "send_to_review", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_writer_cannot_revert_a_published_story_from_its_history(client, writer):
    story = ArticleFactory(draft=True, created_by=writer, headline="First draft")
    old_version = story.history.earliest()
    story.status, story.headline = Article.Status.PUBLISHED, "Published version"
    story.save()
    login(client, writer)

    url = reverse("admin:articles_article_simple_history", args=[story.pk, old_version.pk])
    response = client.post(url, edit_data(story, headline="First draft", status="draft"))

    story.refresh_from_db()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert story.headline == "Published version"


# --- Editors ------------------------------------------------------------------------


def test_editor_can_schedule_a_story(client, editor):
    login(client, editor)
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = form_data(
        section=SectionFactory(),
        author=AuthorFactory(),
        status="published",
        published_at_0=tomorrow.strftime("%Y-%m-%d"),
        published_at_1=tomorrow.strftime("%H:%M:%S"),
    )

    client.post(ADD_URL, data)

    story = Article.objects.get()
    assert story.is_scheduled
    assert not Article.objects.published().exists()


def test_editor_publishing_without_a_time_publishes_now(client, editor):
    login(client, editor)

    client.post(
        ADD_URL, form_data(section=SectionFactory(), author=AuthorFactory(), status="published")
    )

    assert Article.objects.get().is_live


def test_editor_can_publish_a_draft_with_the_bulk_action(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)

    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.is_live


def test_publish_now_brings_a_scheduled_story_forward(client, editor):
    story = ArticleFactory(scheduled=True)
    login(client, editor)

    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.is_live


def test_republishing_keeps_the_original_address(client, editor):
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    address = story.get_absolute_url()
    login(client, editor)

    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [story.pk]})
    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})

    story.refresh_from_db()
    assert story.is_live
    assert story.get_absolute_url() == address


def test_unpublish_takes_a_story_off_the_site(client, editor):
    story = ArticleFactory()
    login(client, editor)

    client.post(LIST_URL, {"action": "unpublish", "_selected_action": [story.pk]})

    assert client.logout() is None
    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_publish_now_refuses_a_slug_clash_without_an_error_page(client, editor):
    live = ArticleFactory(slug="storm", published_at=timezone.now())
    draft = ArticleFactory(draft=True, slug="storm")
    login(client, editor)

    response = client.post(
        LIST_URL, {"action": "publish_now", "_selected_action": [draft.pk]}, follow=True
    )

    draft.refresh_from_db()
    assert response.status_code == HTTPStatus.OK
    assert draft.status == Article.Status.DRAFT
    assert live.is_live


def test_live_story_slug_is_read_only(client, editor):
    story = ArticleFactory(slug="fixed-forever")
    login(client, editor)

    client.post(change_url(story), edit_data(story, slug="changed"))

    story.refresh_from_db()
    assert story.slug == "fixed-forever"


def test_editor_can_edit_anyones_story(client, writer, editor):
    story = ArticleFactory(in_review=True, created_by=writer)
    login(client, editor)

    response = client.post(change_url(story), edit_data(story, headline="Edited by the desk"))

    story.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert story.headline == "Edited by the desk"


def test_history_records_who_changed_what(client, editor):
    story = ArticleFactory(draft=True, headline="Before")
    login(client, editor)

    client.post(change_url(story), edit_data(story, headline="After"))

    latest = story.history.latest()
    assert latest.history_user == editor
    assert latest.diff_against(latest.prev_record).changed_fields == ["headline"]


def test_history_page_shows_the_changes(client, editor):
    story = ArticleFactory(draft=True, headline="Before")
    login(client, editor)
    client.post(change_url(story), edit_data(story, headline="After"))

    page = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()

    assert "Before" in page
    assert "After" in page


# --- The change form ------------------------------------------------------------------


def test_change_list_shows_authors_status_and_views(client, editor):
    ArticleFactory(scheduled=True, authors=[AuthorFactory(name="Mira Holt")])

    page = login(client, editor).get(LIST_URL).content.decode()

    assert "Mira Holt" in page
    assert "Scheduled" in page


def test_change_list_queries_do_not_grow_with_stories(
    client, editor, django_assert_max_num_queries
):
    ArticleFactory.create_batch(30)
    login(client, editor)

    with django_assert_max_num_queries(14):
        client.get(LIST_URL)


def test_change_form_links_to_preview(client, editor):
    story = ArticleFactory(draft=True)

    page = login(client, editor).get(change_url(story)).content.decode()

    assert reverse("articles:preview", args=[story.pk]) in page


def test_view_on_site_only_for_live_stories(client, editor):
    draft, live = ArticleFactory(draft=True), ArticleFactory()
    login(client, editor)

    assert "View on site" not in client.get(change_url(draft)).content.decode()
    assert "View on site" in client.get(change_url(live)).content.decode()


def test_change_form_allows_the_editor_scripts_by_nonce_only(client, editor):
    response = login(client, editor).get(change_url(ArticleFactory()))

    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
    assert "unsafe-inline" not in policy


def test_rest_of_the_site_keeps_the_strict_policy(client, editor):
    response = login(client, editor).get("/")

    assert "nonce-" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("model_name", "field_name"), [("article", "tags"), ("articleauthor", "author")]
)
def test_writer_can_use_the_tag_and_author_autocompletes(client, writer, model_name, field_name):
    TagFactory(name="Harbour")
    AuthorFactory(name="Harbour Desk")
    login(client, writer)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
            "term": "harb",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert len(response.json()["results"]) == 1


def test_editor_creates_schedules_previews_and_publishes_in_the_admin(client, editor):
    login(client, editor)
    next_week = timezone.localtime() + timedelta(days=7)
    client.post(
        ADD_URL,
        form_data(
            section=SectionFactory(),
            author=AuthorFactory(),
            status="published",
            published_at_0=next_week.strftime("%Y-%m-%d"),
            published_at_1=next_week.strftime("%H:%M:%S"),
        ),
    )
    story = Article.objects.get()
    assert story.is_scheduled

    preview = client.get(reverse("articles:preview", args=[story.pk]))
    assert preview.status_code == HTTPStatus.OK

    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]})
    client.logout()

    assert client.get(Article.objects.get().get_absolute_url()).status_code == HTTPStatus.OK
