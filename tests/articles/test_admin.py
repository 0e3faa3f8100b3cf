"""The newsroom in the admin: writers write, editors publish, and the rules hold at every door."""

import html
import importlib
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from newsroom.roles import EDITOR, ROLE_PERMISSIONS, WRITER, role_permissions
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def writer():
    return UserFactory(writer=True)


@pytest.fixture
def editor():
    return UserFactory(editor=True)


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
        # No author: an empty byline row (a draft may be saved without one).
        "bylines-0-author": author.pk if author else "",
        "bylines-0-order": "0" if author else "",
        # The corrections inline (on a published story's form only; ignored otherwise).
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
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


def page_text(page: str) -> str:
    """The words of an admin page's main content, as a reader sees them."""
    content = page.split('id="content"', 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_roles_exist_with_their_permissions():
    writer = set(Group.objects.get(name=WRITER).permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article"} <= writer
    assert "publish_article" not in writer
    assert {"publish_article", "delete_article", "change_section", "add_author"} <= editor


def test_both_roles_may_set_the_byline():
    byline = {f"{action}_byline" for action in ("add", "change", "delete", "view")}

    assert byline <= role_permissions(WRITER, app_label="articles")
    assert byline <= role_permissions(EDITOR, app_label="articles")


def test_migrations_grant_what_roles_py_lists():
    roles_0003 = migration("0003_roles").ROLES
    bylines_0004 = migration("0004_byline_permissions_for_roles")
    renamed = migration("0007_articleauthor_renamed_byline")
    editors_0017 = migration("0017_editors_desk_roles_and_addresses")

    def after_rename(codenames):
        for old, new in renamed.RENAMED_MODELS:
            codenames = {renamed.codename_renamed(codename, old, new) for codename in codenames}
        return codenames

    granted = {
        name: after_rename(
            set(codenames)
            | (set(bylines_0004.BYLINE_PERMISSIONS) if name in bylines_0004.ROLES else set())
        )
        | set(editors_0017.GRANTS.get(name, []))
        for name, codenames in roles_0003.items()
    }

    assert granted == {
        name: role_permissions(name, app_label="articles") for name in ROLE_PERMISSIONS
    }


def test_byline_rename_migration_keeps_the_roles_byline_permissions():
    renamed = migration("0007_articleauthor_renamed_byline")
    writer_group = Group.objects.get(name=WRITER)
    renamed.backwards(global_apps, None)  # the database as it was before the rename
    assert writer_group.permissions.filter(codename="add_articleauthor").exists()

    renamed.forwards(global_apps, None)
    ContentType.objects.clear_cache()

    assert set(
        writer_group.permissions.filter(codename__endswith="_byline").values_list(
            "codename", flat=True
        )
    ) == {"add_byline", "change_byline", "delete_byline", "view_byline"}
    assert not Permission.objects.filter(codename__endswith="_articleauthor").exists()


def migration(name: str):
    return importlib.import_module(f"articles.migrations.{name}")


def migrated_apps(name: str):
    """The models as of migration `name`, as its functions receive them (not the
    project's app registry, which they may change)."""
    return MigrationLoader(connection).project_state(("articles", name)).apps


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_adding_a_story_in_the_admin_saves_its_byline(client, role):
    author = AuthorFactory(name="Mira Holt")
    login(client, UserFactory(staff=True, groups=[role]))

    client.post(ADD_URL, form_data(section=SectionFactory(), author=author))

    assert Article.objects.get().byline_authors == [author]


def test_editor_cannot_publish_a_story_without_an_author(client, editor):
    login(client, editor)
    data = form_data(
        section=SectionFactory(),
        author=AuthorFactory(),
        status="published",
        **{"bylines-TOTAL_FORMS": "0"},
    )

    response = client.post(ADD_URL, data)

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "A published story needs at least one author" in response.content.decode()
    assert not Article.objects.exists()


def test_editor_cannot_take_the_last_author_off_a_live_story(client, editor):
    story = ArticleFactory()
    login(client, editor)

    client.post(change_url(story), edit_data(story, **{"bylines-0-DELETE": "on"}))

    assert story.bylines.count() == 1


def test_a_draft_may_wait_for_its_author(client, writer):
    login(client, writer)
    data = form_data(
        section=SectionFactory(), author=AuthorFactory(), **{"bylines-TOTAL_FORMS": "0"}
    )

    response = client.post(ADD_URL, data)

    assert response.status_code == HTTPStatus.FOUND
    assert Article.objects.get().status == Article.Status.DRAFT


def test_publish_now_skips_a_story_without_an_author_and_says_so(client, editor):
    story = ArticleFactory(draft=True, authors=[], headline="Nobody wrote this")
    login(client, editor)

    response = client.post(
        LIST_URL, {"action": "publish_now", "_selected_action": [story.pk]}, follow=True
    )

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert (
        "Not published: “Nobody wrote this”: A published story needs at least one author"
        in messages_of(response)[-1]
    )


def test_new_byline_rows_without_a_number_follow_the_others_in_form_order(client, editor):
    story = ArticleFactory(draft=True)
    first = story.bylines.get().author
    second, third = AuthorFactory(), AuthorFactory()
    login(client, editor)
    data = edit_data(
        story,
        **{
            "bylines-TOTAL_FORMS": "3",
            "bylines-1-author": second.pk,
            "bylines-1-order": "",
            "bylines-2-author": third.pk,
            "bylines-2-order": "",
        },
    )

    client.post(change_url(story), data)

    assert list(story.bylines.values_list("author", "order")) == [
        (first.pk, 0),
        (second.pk, 1),
        (third.pk, 2),
    ]


def test_byline_order_numbers_are_followed_and_stored_as_0_1_2(client, editor):
    story = ArticleFactory(draft=True)
    first = story.bylines.get().author
    lead = AuthorFactory()
    login(client, editor)
    data = edit_data(
        story,
        **{
            "bylines-0-order": "5",
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": lead.pk,
            "bylines-1-order": "1",
        },
    )

    client.post(change_url(story), data)

    assert [a.pk for a in Article.objects.with_bylines().get().byline_authors] == [
        lead.pk,
        first.pk,
    ]
    assert sorted(Byline.objects.values_list("order", flat=True)) == [0, 1]


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


def history_url(story):
    return reverse("admin:articles_article_history", args=[story.pk])


def version_url(story, record):
    return reverse("admin:articles_article_simple_history", args=[story.pk, record.pk])


def test_writer_can_preview_own_draft(client, writer):
    story = ArticleFactory(draft=True, created_by=writer)
    login(client, writer)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == HTTPStatus.OK


def test_writer_cannot_preview_someone_elses_draft(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)
    login(client, writer)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_writer_can_read_the_history_of_own_story(client, writer):
    story = ArticleFactory(draft=True, created_by=writer)

    response = login(client, writer).get(history_url(story))

    assert response.status_code == HTTPStatus.OK


def test_writer_cannot_read_the_history_of_someone_elses_story(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)

    response = login(client, writer).get(history_url(story))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_writer_cannot_open_a_version_of_someone_elses_story(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=editor)

    response = login(client, writer).get(version_url(story, story.history.earliest()))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_editor_can_read_the_history_of_a_deleted_story(client, editor):
    story = ArticleFactory(draft=True, headline="Pulled story")
    url = history_url(story)
    story.delete()

    response = login(client, editor).get(url)

    assert "Pulled story" in response.content.decode()


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
    assert client.get(story.get_absolute_url()).status_code == HTTPStatus.GONE


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


def test_editor_changes_a_live_story_slug_and_the_old_address_redirects(client, editor):
    story = ArticleFactory(slug="first-take")
    old_address = story.get_absolute_url()
    login(client, editor)

    client.post(change_url(story), edit_data(story, slug="better-take"))

    story.refresh_from_db()
    assert story.slug == "better-take"
    client.logout()
    response = client.get(old_address)
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == story.get_absolute_url()


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

    page = client.get(history_url(story)).content.decode()

    assert "Before" in page
    assert "After" in page


def test_history_records_a_change_of_tags(client, editor):
    story = ArticleFactory(draft=True)
    housing = TagFactory(name="Housing")
    login(client, editor)

    client.post(change_url(story), edit_data(story, tags=[housing.pk]))

    latest = story.history.latest()
    change = latest.diff_against(latest.prev_record).changes[0]
    assert change.field == "tags"
    assert [row["tag"] for row in change.new] == [housing.pk]


def test_history_records_a_change_of_byline(client, editor):
    story = ArticleFactory(draft=True)
    second = AuthorFactory()
    login(client, editor)
    data = edit_data(story, **{"bylines-TOTAL_FORMS": "2", "bylines-1-author": second.pk})

    client.post(change_url(story), data)

    latest = story.history.latest()
    assert latest.diff_against(latest.prev_record).changed_fields == ["authors"]


def test_one_save_in_the_admin_is_one_history_record(client, editor):
    story = ArticleFactory(draft=True, tags=[TagFactory()])
    records = story.history.count()
    login(client, editor)

    client.post(
        change_url(story), edit_data(story, headline="New", tags=[TagFactory().pk, TagFactory().pk])
    )

    assert story.history.count() == records + 1


def test_history_migration_completes_each_latest_record_with_tags_and_byline():
    story = ArticleFactory(draft=True, tags=[TagFactory()])
    latest = story.history.latest()
    latest.tags.all().delete()
    latest.authors.all().delete()

    migration("0006_history_of_tags_and_bylines").latest_records_complete(
        migrated_apps("0006_history_of_tags_and_bylines"), None
    )

    assert (latest.tags.count(), latest.authors.count()) == (1, 1)


def test_reverting_writes_one_history_record_with_tags_and_byline(client, editor):
    story = ArticleFactory(draft=True, headline="First", tags=[TagFactory()])
    first_version = story.history.earliest()
    story.headline = "Second"
    story.save()
    records = story.history.count()
    login(client, editor)
    data = edit_data(story, headline="First", tags=[TagFactory().pk])

    client.post(version_url(story, first_version), data)

    latest = story.history.latest()
    assert story.history.count() == records + 1
    assert (latest.headline, latest.tags.count(), latest.authors.count()) == ("First", 1, 1)


def test_history_page_lists_tag_changes_by_name(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    tags = [TagFactory(name="Harbour").pk, TagFactory(name="Ferries").pk]
    client.post(change_url(story), edit_data(story, tags=tags))

    page = client.get(history_url(story)).content.decode()

    assert "Tags: (none) → Ferries, Harbour" in page_text(page)


def test_history_page_queries_do_not_grow_with_versions(
    client, editor, django_assert_max_num_queries
):
    story = ArticleFactory(draft=True, tags=[TagFactory()])
    for number in range(30):
        story.headline = f"Version {number}"
        story.tags.add(TagFactory())  # a record with tags of its own
    login(client, editor)

    with django_assert_max_num_queries(15):
        client.get(history_url(story))


def test_history_page_names_a_since_deleted_tag(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    gone = TagFactory(name="Gone")
    client.post(change_url(story), edit_data(story, tags=[gone.pk]))
    client.post(change_url(story), edit_data(story, tags=[]))
    gone.delete()

    page = client.get(history_url(story)).content.decode()

    assert "Tags: Deleted tag (pk=" in page_text(page)


def test_revert_page_says_tags_and_authors_are_not_reverted(client, editor):
    story = ArticleFactory(draft=True)

    page = login(client, editor).get(version_url(story, story.history.earliest()))

    assert "Tags and authors are not reverted" in page.content.decode()


def test_history_page_speaks_the_editors_language(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    client.post(change_url(story), edit_data(story, status="in_review"))

    page = client.get(history_url(story)).content.decode()

    text = page_text(page)
    assert "Object Status Publication time Date/time" in text
    assert "Status: Draft → In review" in text
    assert "in_review" not in page
    assert "published_at" not in page


def test_history_page_shows_no_empty_change_reason(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    client.post(change_url(story), edit_data(story, headline="Changed"))

    page = client.get(history_url(story)).content.decode()

    assert "Change reason" not in page
    assert "None" not in page_text(page)


def test_history_names_the_editor_without_a_link_they_could_not_open(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    client.post(change_url(story), edit_data(story, headline="Changed"))

    page = client.get(history_url(story)).content.decode()

    assert editor.email in page
    assert reverse("admin:accounts_user_change", args=[editor.pk]) not in page


def test_history_links_the_account_for_those_who_manage_accounts(client, editor):
    story = ArticleFactory(draft=True)
    login(client, editor)
    client.post(change_url(story), edit_data(story, headline="Changed"))
    admin = UserFactory(superuser=True)

    page = login(client, admin).get(history_url(story)).content.decode()

    assert f'<a href="{reverse("admin:accounts_user_change", args=[editor.pk])}">' in page


def test_change_form_names_the_creator_without_a_link_for_editors(client, writer, editor):
    story = ArticleFactory(draft=True, created_by=writer)

    page = login(client, editor).get(change_url(story)).content.decode()

    assert writer.email in page
    assert reverse("admin:accounts_user_change", args=[writer.pk]) not in page


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


@pytest.mark.parametrize(("model_name", "field_name"), [("article", "tags"), ("byline", "author")])
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


@pytest.mark.parametrize(
    ("action", "stories", "message"),
    [
        ("publish_now", {"draft": True}, "Published 1 story."),
        ("unpublish", {}, "Unpublished 1 story."),
        ("send_to_review", {"draft": True}, "Sent 1 story to review."),
    ],
)
def test_bulk_actions_count_in_proper_english(client, editor, action, stories, message):
    story = ArticleFactory(**stories)
    login(client, editor)

    response = client.post(
        LIST_URL, {"action": action, "_selected_action": [story.pk]}, follow=True
    )

    assert messages_of(response) == [message]


def test_bulk_actions_count_several_stories_in_the_plural(client, editor):
    stories = ArticleFactory.create_batch(2, draft=True)
    login(client, editor)

    response = client.post(
        LIST_URL,
        {"action": "publish_now", "_selected_action": [story.pk for story in stories]},
        follow=True,
    )

    assert messages_of(response) == ["Published 2 stories."]


def test_views_help_speaks_to_editors(client, editor):
    page = login(client, editor).get(change_url(ArticleFactory())).content.decode()

    assert "How many readers have opened the story." in page
    assert "view_counts_flush" not in page
