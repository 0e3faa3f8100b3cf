from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from articles.models import Section
        from articles.navigation import section_nav_forget

        post_save.connect(section_nav_forget, sender=Section, dispatch_uid="section_nav_save")
        post_delete.connect(section_nav_forget, sender=Section, dispatch_uid="section_nav_delete")

    def seed_demo(self) -> str:
        """Sections, tags, authors, stories with pictures, and the roles (idempotent)."""
        from articles.demo import seed_demo_content

        return seed_demo_content()
