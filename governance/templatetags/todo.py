from django import template

from governance.dashboard import panels_for
from governance.todo import todo_for

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_items(context):
    return todo_for(context["request"])


@register.simple_tag(takes_context=True)
def dashboard_panels(context):
    return panels_for(context["request"])
