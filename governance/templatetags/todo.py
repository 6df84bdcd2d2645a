from django import template

from governance.todo import todo_for

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_items(context):
    return todo_for(context["request"])
