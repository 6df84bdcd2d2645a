"""Which filters a list's query string may carry: only those the list itself offers.

Django allows any lookup on a model's own fields, so ``?id_number__startswith=4101021984``
answered "1 result" or "0" and a village clerk recovered a citizen's ID number in 66 requests,
a phone in 35 (issue 11); ``__regex`` and ``__gte`` worked as well, on the user list a password
hash's prefix too. Here a lookup passes only when it is one of the list's declared filters (or its
date hierarchy) with a lookup type those filters use. Exports build the same changelist, so the
same rule holds for them; a refused lookup is a 400 (``governance.errors.bad_request``).
"""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP

# The lookup types Django's own list filters put in the query string: choices and booleans
# (exact, in, isnull), related rows (<field>__id__exact), dates (gte, lt).
FILTER_LOOKUP_TYPES = {"exact", "in", "isnull", "gte", "lt"}


def filter_path(lookup: str) -> str:
    """``township__id__exact`` → ``township``: the field a filter parameter filters on."""
    path, _, lookup_type = lookup.rpartition(LOOKUP_SEP)
    if lookup_type not in FILTER_LOOKUP_TYPES or not path:
        path = lookup
    for suffix in ("__id", "__pk"):
        path = path.removesuffix(suffix)
    return path


class DeclaredLookupsMixin:
    def get_changelist(self, request, **kwargs):
        from governance.admin.lists import DeclaredOrderChangeList

        return DeclaredOrderChangeList

    def lookup_allowed(self, lookup, value, request=None):
        if filter_path(lookup) not in self.declared_filter_paths(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def declared_filter_paths(self, request) -> set[str]:
        """The fields of the list's filters, and the parameters of its own (SimpleListFilter) ones."""
        paths = {self.date_hierarchy} if self.date_hierarchy else set()
        for entry in self.get_list_filter(request):
            field = entry[0] if isinstance(entry, (tuple, list)) else entry
            if isinstance(field, str):
                paths.add(field)
            elif isinstance(field, type) and issubclass(field, admin.SimpleListFilter):
                paths.add(field.parameter_name)
        return paths
