"""
How a story's changes read on its history page: field labels rather than
names, "In review" rather than "in_review", times in the newsroom's time zone,
and the byline in byline order; and what changed, in a constant number of
queries however many versions the page lists.
"""

import dataclasses
import itertools
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

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
