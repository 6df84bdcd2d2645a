from django import template
from django.utils.http import urlencode

from governance.admin.lists import COUNT_CAP, EXACT_COUNT_VAR

register = template.Library()


@register.simple_tag
def result_count(cl) -> str:
    """A capped list's count as "1,000+" when it passed the cap (``governance.admin.lists``)."""
    if getattr(cl.paginator, "capped", False) and cl.paginator.over_cap:
        return f"{COUNT_CAP:,}+"
    return f"{cl.result_count:,}"


@register.simple_tag
def exact_count_url(cl) -> str:
    """The same list with the exact count, or "" when the count shown is exact already."""
    if not (getattr(cl.paginator, "capped", False) and cl.paginator.over_cap):
        return ""
    return "?" + urlencode({**cl.params, EXACT_COUNT_VAR: "1"})
