from django import template

from staffing import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def township_staffing(context, unit):
    """The unit's quota, headcount and gap as the current user may see them (None otherwise)."""
    if unit is None or not unit.is_township_level:
        return None
    return selectors.township_staffing_list(user=context["request"].user).filter(pk=unit.pk).first()
