"""A list filter by township for records that reach their township through a path (a village
member through its village, an office's staff through the office): the overview links to these."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from governance.models import UnitLevel
from governance.scoping import units_for


def township_filter(path: str) -> type[admin.SimpleListFilter]:
    """A filter ``?township=<id>`` on ``<path>_id``, offering the townships the user sees."""

    class TownshipFilter(admin.SimpleListFilter):
        title = _("township")
        parameter_name = "township"

        def lookups(self, request, model_admin):
            townships = units_for(request.user).filter(level=UnitLevel.TOWNSHIP).order_by("path")
            return [(str(unit.pk), unit.name) for unit in townships]

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isdecimal():
                return queryset.filter(**{f"{path}_id": int(value)})
            return queryset

    return TownshipFilter
