"""
What follows a change to stories, sections, tags, authors and bylines: the
lead image's renditions, the section navigation, and the page-cache purges
(newsroom.pagecache: `purge()` sends them after the commit).

Signals, not `save()`/`delete()`, because the admin's bulk delete and the
related managers never call those. Renditions and purges run after the commit,
so no reader re-caches the old page before the change is visible to them, and
a rolled-back edit purges nothing. Connected by importing this module in
`ArticlesConfig.ready()`.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles.context_processors import banner_forget
from articles.models import (
    Article,
    ArticleAddress,
    Author,
    Banner,
    Byline,
    Correction,
    FrontPage,
    FrontPageStory,
    Section,
    Tag,
    correction_cache_tags,
)
from articles.most_read import most_read_story_changed
from articles.navigation import section_nav_forget
from articles.search import search_names_refresh
from articles.services import (
    article_renditions_refresh,
    author_renditions_refresh,
    pictures_unused_delete,
)
from newsroom.pagecache import purge


@receiver(post_save, sender=Article, dispatch_uid="articles_article_saved")
def article_saved(instance: Article, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's own renditions, no readers yet
        return
    # Renditions first: a purge that ran before them would let a reader cache
    # the page without its pictures.
    transaction.on_commit(partial(article_renditions_refresh, article=instance))
    published = Article.Status.PUBLISHED
    loaded_status = None if created else getattr(instance, "_status_loaded", published)
    if published in (instance.status, loaded_status):
        # The tags and byline saved with it count too: purge() waits for the commit.
        loaded = None if created else getattr(instance, "_listing_loaded", None)
        purge(instance.cache_tags_changed(loaded))
    instance._status_loaded = instance.status
    instance._listing_loaded = instance.listing_state


@receiver(post_delete, sender=Article, dispatch_uid="articles_article_pictures_deleted")
@receiver(post_delete, sender=Author, dispatch_uid="articles_author_pictures_deleted")
def pictures_of_deleted(sender, instance, **kwargs) -> None:
    """A deleted story's or author's picture files go too, after the commit."""
    field, renditions = (
        (instance.lead_image, instance.lead_image_renditions)
        if sender is Article
        else (instance.photo, instance.photo_renditions)
    )
    transaction.on_commit(
        partial(pictures_unused_delete, old=renditions, new={}, storage=field.storage)
    )


@receiver(post_delete, sender=Article, dispatch_uid="articles_article_deleted")
def article_deleted(instance: Article, **kwargs) -> None:
    # Its address answers 410 Gone from now on (the row's article is cleared).
    if address := instance.live_address():
        ArticleAddress.objects.update_or_create(
            published_on=address[0], slug=address[1], defaults={"article": None}
        )
    if instance.__dict__.get("status", Article.Status.PUBLISHED) == Article.Status.PUBLISHED:
        purge(
            [f"story-{instance.pk}", "lists", "home", "feeds", "sitemaps"]
            + ([f"section-{instance.section_id}"] if instance.section_id else [])
        )


def _article_is_published(article_id, cached: Article | None) -> bool:
    if cached is not None:
        return cached.page_cache_concerned()
    return Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).exists()


@receiver(post_save, sender=Byline, dispatch_uid="articles_byline_saved")
@receiver(post_delete, sender=Byline, dispatch_uid="articles_byline_deleted")
def byline_changed(instance: Byline, **kwargs) -> None:
    """A byline of a published story (the admin saves them after the story)."""
    if _article_is_published(instance.article_id, instance._state.fields_cache.get("article")):
        purge([f"story-{instance.article_id}", f"author-{instance.author_id}", "feeds"])


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="articles_article_tags")
def article_tags_changed(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    # After clear() the removed tags are unknown: every list (tag pages too).
    unknown = ["lists"] if action == "post_clear" else []
    if reverse:  # tag.articles.add(...): `instance` is the tag
        purge([f"tag-{instance.pk}", *(f"story-{pk}" for pk in pk_set or ()), *unknown])
    elif _article_is_published(instance.pk, instance):
        purge([f"story-{instance.pk}", *(f"tag-{pk}" for pk in pk_set or ()), *unknown])


@receiver(post_save, sender=Author, dispatch_uid="articles_author_photo_saved")
def author_photo_saved(instance: Author, raw: bool = False, **kwargs) -> None:
    """The photo's square crop, after the commit and before the purge below
    (on_commit callbacks run in the order they were added)."""
    if not raw:
        transaction.on_commit(partial(author_renditions_refresh, author=instance))


@receiver(post_save, sender=Section, dispatch_uid="articles_section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="articles_section_deleted")
@receiver(post_save, sender=Tag, dispatch_uid="articles_tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="articles_tag_deleted")
@receiver(post_save, sender=Author, dispatch_uid="articles_author_saved")
@receiver(post_delete, sender=Author, dispatch_uid="articles_author_deleted")
def named_thing_changed(sender, instance, **kwargs) -> None:
    """Sections, tags and authors: their names are on their pages and on every
    page that shows one of their stories; sections are in the header too."""
    prefix = {Section: "section", Tag: "tag", Author: "author"}[sender]
    tags = [f"{prefix}-{instance.pk}"]
    if sender is Section:
        section_nav_forget()  # the header's cached section list (articles/navigation.py)
        tags.append("site")  # and every cached page that shows it
    purge(tags)


# "Most read" is a cached fragment: a story in it that changes drops it.
post_save.connect(most_read_story_changed, sender=Article, dispatch_uid="most_read_True")
post_delete.connect(most_read_story_changed, sender=Article, dispatch_uid="most_read_False")


# --- The search index's names (Article.search_names) ---------------------------------
# These run inside the transaction that made the change, not after its commit:
# the names are derived data in the same database, and must commit (or roll
# back) with the byline, tag or rename they come from.


@receiver(post_save, sender=Article, dispatch_uid="search_names_article")
def search_names_story_saved(instance: Article, raw: bool = False, **kwargs) -> None:
    """A new story, or a story moved to another section."""
    if not raw:
        search_names_refresh(article_ids=[instance.pk])


@receiver(post_save, sender=Byline, dispatch_uid="search_names_byline_save")
@receiver(post_delete, sender=Byline, dispatch_uid="search_names_byline_delete")
def search_names_byline_changed(instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        search_names_refresh(article_ids=[instance.article_id])


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="search_names_tags")
def search_names_tags_changed(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """`story.tags.add(...)` (forward) or `tag.articles.add(...)` (reverse), clears too."""
    if not reverse:
        if action.startswith("post_"):
            search_names_refresh(article_ids=[instance.pk])
        return
    if action == "pre_clear":
        instance._search_names_articles = list(instance.articles.values_list("pk", flat=True))
    elif action == "post_clear":
        search_names_refresh(article_ids=getattr(instance, "_search_names_articles", []))
    elif action.startswith("post_"):
        search_names_refresh(article_ids=pk_set or [])


@receiver(pre_save, sender=Section, dispatch_uid="search_names_section_rename")
@receiver(pre_save, sender=Tag, dispatch_uid="search_names_tag_rename")
@receiver(pre_save, sender=Author, dispatch_uid="search_names_author_rename")
def search_names_note_rename(sender, instance, raw: bool = False, **kwargs) -> None:
    instance._search_names_renamed = (
        not raw
        and instance.pk is not None
        and sender.objects.filter(pk=instance.pk).exclude(name=instance.name).exists()
    )


@receiver(post_save, sender=Section, dispatch_uid="search_names_section_renamed")
@receiver(post_save, sender=Tag, dispatch_uid="search_names_tag_renamed")
@receiver(post_save, sender=Author, dispatch_uid="search_names_author_renamed")
def search_names_renamed(sender, instance, **kwargs) -> None:
    """Every story that names it. A rename is rare; a big section's takes a while."""
    if getattr(instance, "_search_names_renamed", False):
        search_names_refresh(
            article_ids=instance.articles.order_by("pk").values_list("pk", flat=True).iterator()
        )


@receiver(pre_delete, sender=Tag, dispatch_uid="search_names_tag_delete")
def search_names_tag_deleting(instance: Tag, **kwargs) -> None:
    # Deleting a tag removes its rows from the through table without m2m_changed.
    instance._search_names_articles = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender=Tag, dispatch_uid="search_names_tag_deleted")
def search_names_tag_deleted(instance: Tag, **kwargs) -> None:
    search_names_refresh(article_ids=getattr(instance, "_search_names_articles", []))


# --- The editors' desk ---------------------------------------------------------------


@receiver(post_save, sender=Banner, dispatch_uid="articles_banner_saved")
@receiver(post_delete, sender=Banner, dispatch_uid="articles_banner_deleted")
@receiver(post_save, sender=FrontPage, dispatch_uid="articles_front_page_saved")
@receiver(post_save, sender=FrontPageStory, dispatch_uid="articles_front_page_story_saved")
@receiver(post_delete, sender=FrontPageStory, dispatch_uid="articles_front_page_story_deleted")
@receiver(post_save, sender=Correction, dispatch_uid="articles_correction_saved")
@receiver(post_delete, sender=Correction, dispatch_uid="articles_correction_deleted")
def editors_desk_changed(sender, instance, **kwargs) -> None:
    """Banners (on every page), the front page's lead and top stories, correction notes."""
    if sender is Banner:
        banner_forget()
        purge(["site", "banner"])
    elif sender in (FrontPage, FrontPageStory):
        purge(["home"])
    elif sender is Correction:
        purge(correction_cache_tags(instance.article_id))
