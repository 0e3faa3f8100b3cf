"""The admin story list's date drill-down, without DISTINCT over every story (admin_list.py)."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.utils import formats
from django.utils.text import capfirst

from articles.admin_list import DATE_FIELD, months_with_stories, years_with_stories

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def story_date_hierarchy(cl) -> dict:
    """The context of Django's admin/date_hierarchy.html for the story list.

    A month or a day is bounded by the calendar, so Django's own tag serves
    those levels; the year level and the top level ask one EXISTS per period.
    """
    year = cl.params.get(f"{DATE_FIELD}__year")
    if cl.params.get(f"{DATE_FIELD}__month") or cl.params.get(f"{DATE_FIELD}__day"):
        return date_hierarchy(cl)
    field_name = cl.model._meta.get_field(DATE_FIELD).verbose_name

    def link(filters):
        return cl.get_query_string(filters, [f"{DATE_FIELD}__"])

    years = [int(year)] if year else years_with_stories(cl.queryset)
    if len(years) == 1:
        months = months_with_stories(cl.queryset, years[0])
        return {
            "show": True,
            "back": {"link": link({}), "title": "All dates"} if year else None,
            "choices": [
                {
                    "link": link(
                        {f"{DATE_FIELD}__year": years[0], f"{DATE_FIELD}__month": month.month}
                    ),
                    "title": capfirst(formats.date_format(month, "YEAR_MONTH_FORMAT")),
                }
                for month in months
            ],
            "field_name": field_name,
        }
    return {
        "show": bool(years),
        "back": None,
        "choices": [
            {"link": link({f"{DATE_FIELD}__year": str(each)}), "title": str(each)} for each in years
        ],
        "field_name": field_name,
    }
