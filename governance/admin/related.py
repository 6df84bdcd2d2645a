"""How a record's page shows the records it points at (issue 9, "error pages people can use").

Django's read-only field links every foreign key to the target's change page, whether or not the
user may open it: a township clerk's assessment page linked the sending department (a unit
outside the township's scope, "…不存在。可能已经被删除了？") and the 吹哨人 linked the user admin
(a 403). Here a related record is a link only when the user may open it, and people are shown by
their names, as the timelines show them.
"""

from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html


def display_name(obj) -> str:
    """A person by name (the user's full name, else the login name); anything else as itself."""
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def person_column(model, field: str):
    """A list column showing the person in ``field`` by name, headed like the field."""

    def column(model_admin, obj):
        person = getattr(obj, field)
        return display_name(person) if person is not None else "-"

    column.short_description = model._meta.get_field(field).verbose_name
    column.admin_order_field = field
    column.__name__ = f"{field}_name"
    return column


def related_link(request, obj, admin_site) -> str:
    """``obj`` as a link to its change page if this user may open that page, else as plain text."""
    target_admin = admin_site._registry.get(type(obj))
    if target_admin is None or not target_admin.has_view_or_change_permission(request, obj):
        return display_name(obj)
    if not _holds(target_admin, request, obj):
        return display_name(obj)
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk], current_app=admin_site.name)
    except NoReverseMatch:
        return display_name(obj)
    return format_html('<a href="{}">{}</a>', url, display_name(obj))


def _holds(target_admin, request, obj) -> bool:
    """Whether the target's own list holds ``obj``: an admin that can tell from the row without a
    query says so in ``holds_row`` (units from the grants' paths, the catalogues: always); any
    other is asked through its scoped queryset."""
    holds_row = getattr(target_admin, "holds_row", None)
    if holds_row is not None:
        return holds_row(request, obj)
    return target_admin.get_queryset(request).filter(pk=obj.pk).exists()


class ScopedReadonlyField(helpers.AdminReadonlyField):
    def __init__(self, form, field, is_first, model_admin=None, *, request):
        self.request = request
        super().__init__(form, field, is_first, model_admin=model_admin)

    def get_admin_url(self, remote_field, remote_obj):
        return related_link(self.request, remote_obj, self.model_admin.admin_site)


class ScopedFieldline(helpers.Fieldline):
    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def __iter__(self):
        for index, field in enumerate(self.fields):
            if field in self.readonly_fields:
                yield ScopedReadonlyField(
                    self.form, field, is_first=(index == 0), model_admin=self.model_admin, request=self.request
                )
            else:
                yield helpers.AdminField(self.form, field, is_first=(index == 0))


class ScopedFieldset(helpers.Fieldset):
    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def __iter__(self):
        for field in self.fields:
            yield ScopedFieldline(
                self.form, field, self.readonly_fields, model_admin=self.model_admin, request=self.request
            )


class ScopedAdminForm(helpers.AdminForm):
    """The change page's form whose read-only related fields link only where the user may go."""

    @classmethod
    def from_admin_form(cls, admin_form: helpers.AdminForm, request) -> "ScopedAdminForm":
        scoped = cls.__new__(cls)
        scoped.__dict__.update(admin_form.__dict__)
        scoped.request = request
        return scoped

    def __iter__(self):
        for name, options in self.fieldsets:
            yield ScopedFieldset(
                self.form,
                name,
                readonly_fields=self.readonly_fields,
                model_admin=self.model_admin,
                request=self.request,
                **options,
            )
