from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def test_published_includes_only_live_stories():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(in_review=True)
    ArticleFactory(scheduled=True)

    assert list(Article.objects.published()) == [live]


def test_scheduled_story_goes_live_at_its_time_without_any_job(travel_to):
    story = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert not Article.objects.published().exists()

    travel_to(timezone.now() + timedelta(hours=2))

    assert list(Article.objects.published()) == [story]


def test_publishing_without_a_time_publishes_now():
    story = ArticleFactory(draft=True)
    story.status = Article.Status.PUBLISHED
    story.save()

    assert story.published_at is not None
    assert story.is_live


def test_absolute_url_is_date_and_slug():
    story = ArticleFactory(slug="bridge-reopens", published_at=datetime(2026, 2, 2, 9, tzinfo=UTC))

    assert story.get_absolute_url() == "/2026/02/02/bridge-reopens/"


def test_slug_is_unique_on_its_publication_day():
    when = datetime(2026, 2, 2, 9, tzinfo=UTC)
    ArticleFactory(slug="budget", published_at=when)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="budget", published_at=when + timedelta(hours=5))


def test_same_slug_on_another_day_is_allowed():
    when = datetime(2026, 2, 2, 9, tzinfo=UTC)
    ArticleFactory(slug="budget", published_at=when)
    ArticleFactory(slug="budget", published_at=when + timedelta(days=1))

    assert Article.objects.filter(slug="budget").count() == 2


def test_slug_clash_is_a_validation_error_before_the_database_sees_it():
    when = datetime(2026, 2, 2, 9, tzinfo=UTC)
    ArticleFactory(slug="budget", published_at=when)
    clash = Article(slug="budget", published_at=when, section=SectionFactory(), status="published")

    with pytest.raises(ValidationError, match="Another story published that day"):
        clash.validate_constraints()


def test_published_story_must_have_a_time_in_the_database():
    story = ArticleFactory(draft=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED)


def test_lead_image_requires_alt_text():
    story = ArticleFactory.build(
        lead_image=image_file(), lead_image_alt="", section=SectionFactory()
    )

    with pytest.raises(ValidationError) as error:
        story.full_clean()

    assert "lead_image_alt" in error.value.message_dict


def test_reading_time_counts_body_words():
    story = ArticleFactory(body="<p>" + "word " * 451 + "</p>")

    assert story.word_count == 451
    assert story.reading_time == 3


def test_reading_time_is_at_least_a_minute():
    assert ArticleFactory(body="").reading_time == 1


def test_body_text_is_the_body_without_markup():
    story = ArticleFactory(body="<h2>Floods</h2><p>Rain &amp; wind.</p><ul><li>One</li></ul>")

    assert story.body_text == "Floods Rain & wind. One"


def test_saving_makes_webp_renditions_no_wider_than_the_original(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(lead_image=image_file(1200, 600), lead_image_alt="A bridge at dusk")
    story.refresh_from_db()

    sizes = story.lead_image_renditions["shapes"]["lead"]
    assert [size["width"] for size in sizes] == [480, 960, 1067]
    assert [size["height"] for size in sizes] == [270, 540, 600]
    assert all(size["name"].endswith(".webp") for size in sizes)
    assert story.lead_image.storage.exists(sizes[0]["name"])


def test_renditions_are_made_after_the_commit_not_inside_the_transaction(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = ArticleFactory(lead_image=image_file(800, 400), lead_image_alt="A bridge")
        assert story.lead_picture is None

    for callback in callbacks:
        callback()
    story.refresh_from_db()
    assert [size["width"] for size in story.lead_image_renditions["shapes"]["lead"]] == [480, 711]


def test_srcset_lists_every_rendition_with_its_width(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(lead_image=image_file(1000, 500), lead_image_alt="A bridge")

    assert story.lead_picture.srcset.count("w, ") == 1
    assert story.lead_picture.srcset.endswith(" 889w")


def test_replacing_the_image_remakes_the_renditions(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(lead_image=image_file(800, 400), lead_image_alt="Old")
    story.lead_image = image_file(600, 600, name="new.png")
    with django_capture_on_commit_callbacks(execute=True):
        story.save()

    shapes = story.lead_image_renditions["shapes"]
    assert [size["width"] for size in shapes["lead"]] == [480, 600]
    assert [size["width"] for size in shapes["card"]] == [240, 480, 600]


def test_byline_authors_keep_their_order():
    first, second = AuthorFactory(name="Ada"), AuthorFactory(name="Bo")
    story = ArticleFactory(authors=[])
    Byline.objects.create(article=story, author=second, order=2)
    Byline.objects.create(article=story, author=first, order=1)

    story = Article.objects.with_bylines().get(pk=story.pk)

    assert [author.name for author in story.byline_authors] == ["Ada", "Bo"]


def test_related_stories_share_section_or_tag_and_are_live():
    tag = TagFactory()
    story = ArticleFactory(tags=[tag])
    same_section = ArticleFactory(section=story.section)
    same_tag = ArticleFactory(tags=[tag])
    ArticleFactory()  # unrelated
    ArticleFactory(section=story.section, draft=True)
    ArticleFactory(section=story.section, scheduled=True)

    assert set(story.related()) == {same_section, same_tag}


def test_was_updated_only_after_a_real_edit_after_publication(travel_to):
    story = ArticleFactory(published_at=timezone.now())
    assert not story.was_updated

    travel_to(timezone.now() + timedelta(hours=1))
    story.save()

    assert story.was_updated


def test_backdated_story_is_not_shown_as_updated():
    story = ArticleFactory(published_at=timezone.now() - timedelta(days=30))

    assert not story.was_updated


def test_get_absolute_url_of_section_tag_and_author():
    assert SectionFactory(slug="city").get_absolute_url() == "/section/city/"
    assert TagFactory(slug="housing").get_absolute_url() == "/tag/housing/"
    assert AuthorFactory(slug="ada-lee").get_absolute_url() == "/author/ada-lee/"
