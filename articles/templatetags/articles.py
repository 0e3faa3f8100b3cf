"""Template tags other templates may use: `{% load articles %}`."""

from django import template

from articles.navigation import section_nav

register = template.Library()


@register.inclusion_tag("articles/includes/section_nav.html", takes_context=True)
def section_nav_items(context):
    """`<li>` links to the sections, for the header's navigation list.

    The 500 page is rendered without a request (and perhaps without a database),
    so it gets no section links.
    """
    if context.get("request") is None:
        return {"sections": []}
    return {"sections": section_nav(), "request": context["request"]}
