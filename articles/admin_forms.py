"""
The story form of the admin and its byline inline, and relation fields that
turn a malformed id into a form error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.html import body_is_empty
from articles.models import Article, Byline
from articles.services import byline_problems


def is_well_formed_id(model_field, value) -> bool:
    """Whether `value` could be a value of `model_field` (say, a primary key) at all.

    "abc" or a 30-digit number is not: the database refuses to look it up
    (ValueError, or OverflowError on SQLite) where Django expects no match.
    """
    try:
        model_field.run_validators(model_field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class WellFormedIdsMixin:
    """For ModelChoiceField and ModelMultipleChoiceField: malformed ids are invalid
    choices, and are left out when the form is shown again with its errors (the
    admin's autocomplete widget looks up every submitted id to show its label)."""

    def _id_field(self):
        opts = self.queryset.model._meta
        return opts.get_field(self.to_field_name) if self.to_field_name else opts.pk

    def _is_well_formed(self, value) -> bool:
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return True
        return is_well_formed_id(self._id_field(), value)

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        if isinstance(data, (list, tuple)):
            return [value for value in data if self._is_well_formed(value)]
        return data if self._is_well_formed(data) else None


class WellFormedModelChoiceField(WellFormedIdsMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if not self._is_well_formed(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class WellFormedModelMultipleChoiceField(WellFormedIdsMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not self._is_well_formed(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


#: Shown next to the body when a story without one is to be published.
EMPTY_BODY_MESSAGE = (
    "A story needs a body before it is published or scheduled; save it as a draft until then."
)


class ArticleAdminForm(forms.ModelForm):
    """The story form. Besides Save, editors get two clear actions (the submit
    buttons in change_form.html): "Publish now" (`_publish`: published, at once)
    and "Schedule" (`_schedule`: published at the chosen future time)."""

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "lead_image_focal_x",
            "lead_image_focal_y",
            "section",
            "tags",
            "status",
            "published_at",
            "seo_title",
            "seo_description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "published_at" in self.fields:
            self.fields[
                "published_at"
            ].help_text += (
                f" Times are in the site's time zone, {timezone.get_current_timezone_name()}."
            )

    def clean(self):
        cleaned = super().clean()
        self.publish_action_apply(cleaned)
        if cleaned.get("status") == Article.Status.PUBLISHED and body_is_empty(cleaned.get("body")):
            self.add_error("body", EMPTY_BODY_MESSAGE)
        # "Published" with no time means "now"; a time in the future schedules it.
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and "published_at" in self.fields
            and not cleaned.get("published_at")
        ):
            cleaned["published_at"] = timezone.now()
            self.instance.published_at = cleaned["published_at"]
        return cleaned

    def publish_action_apply(self, cleaned: dict) -> None:
        """Turn the "Publish now" or "Schedule" button into a status and a time."""
        if "status" not in self.fields:
            return
        now = timezone.now()
        if "_publish" in self.data:
            cleaned["status"] = Article.Status.PUBLISHED
            if "published_at" in self.fields and not (
                cleaned.get("published_at") and cleaned["published_at"] <= now
            ):
                cleaned["published_at"] = now
        elif "_schedule" in self.data:
            when = cleaned.get("published_at")
            if "published_at" not in self.fields or not when or when <= now:
                self.add_error(
                    "published_at" if "published_at" in self.fields else None,
                    "To schedule the story, give a publication time in the future "
                    f"(in {timezone.get_current_timezone_name()}).",
                )
                return
            cleaned["status"] = Article.Status.PUBLISHED


class BylineForm(forms.ModelForm):
    order = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=999,
        # The tabular inline labels its columns, not its inputs.
        widget=forms.NumberInput(
            attrs={"class": "vIntegerField byline-order", "aria-label": "Order on the byline"}
        ),
        help_text="Leave empty to name this author after the others.",
    )

    class Meta:
        model = Byline
        fields = ["author", "order"]


class BylineFormSet(forms.BaseInlineFormSet):
    """The byline: at least one author once a story is published, and named in a
    clear order. Rows are ranked by their order number, rows without one after
    the rest, ties by their place in the form; the story then stores 0, 1, 2..."""

    def kept_forms(self) -> list[forms.ModelForm]:
        """The rows that will be on the byline (valid, filled in, not deleted)."""
        return [
            form
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("author") is not None
            and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.status == Article.Status.PUBLISHED and (
            problems := byline_problems(
                authors=[form.cleaned_data["author"] for form in self.kept_forms()]
            )
        ):
            raise ValidationError(problems, code="no_author")

    def save(self, commit=True):
        kept = self.kept_forms()
        ranked = sorted(
            range(len(kept)),
            key=lambda i: (
                kept[i].cleaned_data.get("order") is None,
                kept[i].cleaned_data.get("order") or 0,
                i,
            ),
        )
        for position, index in enumerate(ranked):
            kept[index].instance.order = position
        saved = super().save(commit)
        if commit and kept:
            # Rows whose number changed only by the renumbering were not saved.
            Byline.objects.bulk_update([form.instance for form in kept], ["order"])
        return saved
