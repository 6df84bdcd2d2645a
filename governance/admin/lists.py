"""Lists that stay fast however big their table (issue 12: a million cases).

- ``CappedPaginator`` counts up to a cap ("1,000+") instead of an exact COUNT(*) over the whole
  scope on every page load; the exact number is one click away (``?_exact=1``).
- ``UnitChoicesFilter`` lists its choices from the unit table (the user's own units, or their
  counties' departments) instead of a DISTINCT over every row of the list.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import cached_property

EXACT_COUNT_VAR = "_exact"
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    capped = True

    @cached_property
    def count(self) -> int:
        """At most ``COUNT_CAP + 1``: one over the cap says "more than the cap" (a LIMIT in the count,
        without the list's order: the database may stop at the 1,001st row it meets)."""
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def over_cap(self) -> bool:
        return self.count > COUNT_CAP


class DeclaredOrderChangeList(ChangeList):
    """Sorts only by the columns the list offers (``sortable_by``): Django applies any ``?o=``
    column with an ordering, so ``?o=7`` sorted a million assignments by a flag no index serves
    (5 s), and a masked column's order told what its mask hides (issue 11)."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


class CappedChangeList(DeclaredOrderChangeList):
    def get_filters_params(self, params=None):
        params = super().get_filters_params(params)
        params.pop(EXACT_COUNT_VAR, None)
        return params


class CappedCountMixin:
    """For a ModelAdmin of a big table."""

    show_full_result_count = False  # no second count of the unfiltered scope
    # Fifty rows a page, not Django's hundred: rendering the rows is most of a list's server time
    # once its queries are indexed (about 0.4 ms a row at a million cases; bench/README.md), and a
    # clerk works the first screenful, then filters or searches.
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return CappedChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if request.GET.get(EXACT_COUNT_VAR):
            return Paginator(queryset, per_page, orphans, allow_empty_first_page)
        return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page)


class UnitChoicesFilter(admin.RelatedFieldListFilter):
    """A unit filter whose choices the admin names (``ScopedModelAdmin.filter_units``)."""

    def field_choices(self, field, request, model_admin):
        return [(unit.pk, str(unit)) for unit in model_admin.filter_units(request, field.name)]
