from django.contrib import admin

from governance.admin.scoped import ScopedInline, ScopedModelAdmin
from governance.models import LeadershipPost, PortfolioDepartment


class PortfolioDepartmentInline(ScopedInline, admin.TabularInline):
    model = PortfolioDepartment
    autocomplete_fields = ("department",)
    extra = 1


@admin.register(LeadershipPost)
class LeadershipPostAdmin(ScopedModelAdmin):
    list_display = ("county", "rank", "portfolio", "holder_name")
    list_filter = ("county", "rank", "portfolio")
    list_select_related = ("county",)
    search_fields = ("holder_name", "county__name")
    autocomplete_fields = ("county",)
    inlines = (PortfolioDepartmentInline,)
