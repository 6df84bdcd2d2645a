"""Each user's queue on the admin home page (DESIGN.md M11: to-do lists built from the same data).

Apps register providers in their ``AppConfig.ready``; a provider takes the request and returns
the ``TodoItem``s that user should see (counts already scoped to the user). The admin index
template shows them above the app list, so supervisors, clerks, departments and the
governance centre each land on what awaits them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    urgent: bool = False  # shown as a warning (overdue, over quota)


TodoProvider = Callable[[HttpRequest], Iterable[TodoItem]]

_providers: list[TodoProvider] = []


def register(provider: TodoProvider) -> TodoProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todo_for(request: HttpRequest) -> list[TodoItem]:
    """The user's queue; where two roles lead to the same list (a clerk who also coordinates sees
    "overdue" twice), the list appears once, under its first name."""
    if not request.user.is_authenticated:
        return []
    items, urls = [], set()
    for provider in _providers:
        for item in provider(request):
            if item.url not in urls:
                urls.add(item.url)
                items.append(item)
    return items
