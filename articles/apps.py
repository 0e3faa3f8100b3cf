from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from articles import models
        from articles.most_read import most_read_story_changed
        from articles.navigation import section_nav_forget

        post_save.connect(
            section_nav_forget, sender=models.Section, dispatch_uid="section_nav_save"
        )
        post_delete.connect(
            section_nav_forget, sender=models.Section, dispatch_uid="section_nav_delete"
        )

        # The page cache (newsroom.pagecache): a story's own save purges its
        # tags when the story is or was published (Article.save()).
        for model in (models.Section, models.Tag, models.Author):
            for signal in (post_save, post_delete):
                signal.connect(
                    models.page_cache_purge_named,
                    sender=model,
                    dispatch_uid=f"page_cache_{model.__name__}_{signal is post_save}",
                )
        post_delete.connect(
            models.article_deleted, sender=models.Article, dispatch_uid="page_cache_article"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                models.byline_changed,
                sender=models.Byline,
                dispatch_uid=f"page_cache_byline_{signal is post_save}",
            )
        m2m_changed.connect(
            models.article_tags_changed,
            sender=models.Article.tags.through,
            dispatch_uid="page_cache_article_tags",
        )
        # "Most read" is a cached fragment: a story in it that changes drops it.
        for signal in (post_save, post_delete):
            signal.connect(
                most_read_story_changed,
                sender=models.Article,
                dispatch_uid=f"most_read_{signal is post_save}",
            )

    def seed_demo(self) -> str:
        """Sections, tags, authors, stories with pictures, and the roles (idempotent)."""
        from articles.demo import seed_demo_content

        return seed_demo_content()
