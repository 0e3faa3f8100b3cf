"""`{% load most_read %}{% most_read %}`: the "Most read" list (articles/most_read.py)."""

from django import template

from articles.most_read import most_read_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def most_read(context):
    """The cached "Most read" fragment (one query when it is rendered afresh, none
    after); the page is tagged and capped with it (see `most_read_fragment`)."""
    return most_read_fragment(context.get("request"))
