"""
How a story's changes read on its history page: field labels rather than
names, "In review" rather than "in_review", times in the newsroom's time zone,
and the byline in byline order; and what changed, in a constant number of
queries however many versions the page lists.
"""

import dataclasses
import itertools
from datetime import datetime

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from articles.admin_forms import is_well_formed_id
from articles.models import Article, can_publish
from newsroom.csp import editor_csp_override

EMPTY = "(none)"

#: The story's relations that its history records (Article.history's m2m_fields),
#: with the related field of each recorded row, and what else a row holds.
RELATIONS = {"tags": ("tag", ()), "authors": ("author", ("order",))}


def story_deltas(records: list) -> dict:
    """{record: the ModelDelta from the record before it}, for consecutive
    `records` (newest first, as the history page lists them).

    simple-history's own `diff_against()` queries both versions' tags and
    byline for every pair; here each relation is read once for the whole page.
    """
    if len(records) < 2:
        return {}
    rows = {record.pk: {name: [] for name in RELATIONS} for record in records}
    for name, (related, extra) in RELATIONS.items():
        recorded = getattr(type(records[0]), name).model.objects
        for row in recorded.filter(history__in=records).select_related(related):
            value = getattr(row, related) or DeletedObject(
                row._meta.get_field(related).related_model, getattr(row, f"{related}_id")
            )
            rows[row.history_id][name].append(
                {related: value, **{field: getattr(row, field) for field in extra}}
            )

    def comparable(record, name):
        related, extra = RELATIONS[name]
        return sorted(
            (getattr(row[related], "pk", None), *(row[field] for field in extra))
            for row in rows[record.pk][name]
        )

    deltas = {}
    for newer, older in itertools.pairwise(records):
        delta = newer.diff_against(older, excluded_fields=list(RELATIONS))
        relation_changes = [
            ModelChange(name, rows[older.pk][name], rows[newer.pk][name])
            for name in RELATIONS
            if comparable(older, name) != comparable(newer, name)
        ]
        deltas[newer] = dataclasses.replace(
            delta,
            changes=[*delta.changes, *relation_changes],
            changed_fields=[*delta.changed_fields, *(c.field for c in relation_changes)],
        )
    return deltas


class StoryHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if change.field == "authors":
            # Rows of the byline (author, order), shown as the byline reads.
            return [row["author"] for row in sorted(value, key=lambda row: row["order"])]
        if field.many_to_many:
            return sorted(super().prepare_delta_change_value(change, value), key=str)
        if value is None or value == "":
            return EMPTY
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, list) and isinstance(new, list):
            # "Harbour, Transport" rather than "[Harbour, Transport]".
            old, new = (", ".join(map(str, items)) or EMPTY for items in (old, new))
        return super().stringify_delta_change_values(change, old, new)


class StoryHistoryMixin:
    """For a ModelAdmin of Article on SimpleHistoryAdmin: the story's history.

    One save in the admin is one history record, holding the tags and byline
    too. A writer sees the history of their own stories only, like the stories
    themselves: simple-history would fall back to any story's records when
    `get_queryset()` hides it. The revert form checks the story as it is now.
    """

    history_list_display = ["history_status", "published_at"]
    # Copies without the inline style attribute that our CSP would block, with
    # labels for readers rather than field names, and a word on what a revert keeps.
    object_history_list_template = "admin/articles/article/object_history_list.html"
    object_history_form_template = "admin/articles/article/object_history_form.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The story's history record is written; the tags (next) would each
        # add a record of their own. log_addition()/log_change() put tags and
        # byline into this save's record instead, once both are saved.
        obj.skip_history_when_saving = True

    def log_addition(self, request, obj, message):
        self.history_relations_record(obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        # Called last by both the change form and the history's revert form.
        self.history_relations_record(obj)
        return super().log_change(request, obj, message)

    @staticmethod
    def history_relations_record(obj):
        if hasattr(obj, "skip_history_when_saving"):
            del obj.skip_history_when_saving
            obj.history_relations_record()

    def story_for_history_or_404(self, request, object_id):
        object_id = unquote(object_id)
        if not is_well_formed_id(Article._meta.pk, object_id):
            raise Http404
        story = self.get_object(request, object_id)
        if story is None and not can_publish(request.user):
            raise Http404
        return story

    def history_view(self, request, object_id, extra_context=None):
        self.story_for_history_or_404(request, object_id)
        context = {
            "history_columns": [
                (name, capfirst(label_for_field(name, self.model, self)))
                for name in self.get_history_list_display(request)
            ],
            "can_open_users": self.can_open_users(request.user),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    @method_decorator(editor_csp_override)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not is_well_formed_id(Article.history.model._meta.pk, unquote(version_id)):
            raise Http404
        # The revert form checks permission against the old version; check the
        # story as it is now, so a writer cannot revert a story since published.
        current = self.story_for_history_or_404(request, object_id)
        if current is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description="status")
    def history_status(self, record):
        return record.get_status_display()

    def get_historical_record_context_helper(self, request, historical_record):
        return StoryHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # As simple-history's, with the tags and byline read once per page.
        for record, delta in story_deltas(list(historical_records)).items():
            helper = self.get_historical_record_context_helper(request, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)
