"""`{% load most_read %}{% most_read %}`: the "Most read" list (articles/most_read.py)."""

from django import template

from articles.most_read import most_read_fragment

register = template.Library()


@register.simple_tag
def most_read():
    """The cached "Most read" fragment (one query when it is rendered afresh, none after)."""
    return most_read_fragment()
