"""
The story list's bulk actions. Each calls the workflow service for every
selected story (articles/services.py holds the rules), each story in its own
atomic block, and tells the editor what was done and, story by story, what was
refused and why. A story that loses a race for its slug (another request
published the same slug on the same day between the service's check and its
save) is refused like any other, never a 500, and the others keep their change
(newsroom/races.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import ngettext

from articles.models import Article
from articles.services import article_publish, article_send_to_review, article_unpublish
from newsroom.races import atomic_or_race_lost


class StoryWorkflowActionsMixin:
    """For a ModelAdmin of Article: Publish now, Unpublish, Send to review."""

    actions = ["publish_now", "unpublish", "send_to_review"]

    def apply_and_report(
        self, request, stories, service, *, done: tuple[str, str], refused_as: str
    ):
        """Call `service(article=, user=)` on each story, then tell the editor how
        many were done (`done`: the singular and plural message, with %(count)d)
        and, story by story, why any was refused."""
        count, refused = 0, []
        for story in stories:
            try:
                race_lost = atomic_or_race_lost(
                    lambda story=story: service(article=story, user=request.user)
                )
            except (PermissionDenied, ValidationError) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            else:
                if race_lost is None:
                    count += 1
                    continue
                reasons = [race_lost]
            refused.append(f"“{story}”: {' '.join(reasons)}")
        self.message_user(request, ngettext(*done, count) % {"count": count}, messages.SUCCESS)
        if refused:
            self.message_user(request, f"{refused_as}: " + " ".join(refused), messages.ERROR)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self.apply_and_report(
            request,
            [story for story in queryset if not story.is_live],
            article_publish,
            done=("Published %(count)d story.", "Published %(count)d stories."),
            refused_as="Not published",
        )

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self.apply_and_report(
            request,
            queryset.filter(status=Article.Status.PUBLISHED),
            article_unpublish,
            done=("Unpublished %(count)d story.", "Unpublished %(count)d stories."),
            refused_as="Not unpublished",
        )

    @admin.action(description="Send to review", permissions=["change"])
    def send_to_review(self, request, queryset):
        # Stories the person may not change are left out silently, as before:
        # a writer's list holds only their own anyway.
        self.apply_and_report(
            request,
            [
                story
                for story in queryset.filter(status=Article.Status.DRAFT)
                if self.has_change_permission(request, story)
            ],
            article_send_to_review,
            done=("Sent %(count)d story to review.", "Sent %(count)d stories to review."),
            refused_as="Not sent to review",
        )
