from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        # Renditions, the section navigation and page-cache purges after a change.
        from articles import receivers  # noqa: F401

    def seed_demo(self) -> str:
        """Sections, tags, authors, stories with pictures, and the roles (idempotent)."""
        from articles.demo import seed_demo_content

        return seed_demo_content()
