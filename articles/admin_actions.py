"""
The story list's bulk actions. Each calls the workflow service for every
selected story (articles/services.py holds the rules) and tells the editor
what was done and, story by story, what was refused and why.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import ngettext

from articles.models import Article
from articles.services import article_publish, article_send_to_review, article_unpublish


class StoryWorkflowActionsMixin:
    """For a ModelAdmin of Article: Publish now, Unpublish, Send to review."""

    actions = ["publish_now", "unpublish", "send_to_review"]

    def apply_to_each(self, request, stories, service) -> tuple[int, list[str]]:
        """Call `service(article=, user=)` on each story; (how many changed, refusals)."""
        done, refused = 0, []
        for story in stories:
            try:
                service(article=story, user=request.user)
            except (PermissionDenied, ValidationError) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                refused.append(f"“{story}”: {' '.join(reasons)}")
            else:
                done += 1
        return done, refused

    def report(self, request, done_message: str, refused: list[str], heading: str) -> None:
        self.message_user(request, done_message, messages.SUCCESS)
        if refused:
            self.message_user(request, f"{heading}: " + " ".join(refused), messages.ERROR)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        stories = [story for story in queryset if not story.is_live]
        count, refused = self.apply_to_each(request, stories, article_publish)
        self.report(
            request,
            ngettext("Published %(count)d story.", "Published %(count)d stories.", count)
            % {"count": count},
            refused,
            "Not published",
        )

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        stories = queryset.filter(status=Article.Status.PUBLISHED)
        count, refused = self.apply_to_each(request, stories, article_unpublish)
        self.report(
            request,
            ngettext("Unpublished %(count)d story.", "Unpublished %(count)d stories.", count)
            % {"count": count},
            refused,
            "Not unpublished",
        )

    @admin.action(description="Send to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        # Stories the person may not change are left out silently, as before:
        # a writer's list holds only their own anyway.
        stories = [
            story
            for story in queryset.filter(status=Article.Status.DRAFT)
            if self.has_change_permission(request, story)
        ]
        count, refused = self.apply_to_each(request, stories, article_send_to_review)
        self.report(
            request,
            ngettext("Sent %(count)d story to review.", "Sent %(count)d stories to review.", count)
            % {"count": count},
            refused,
            "Not sent to review",
        )
