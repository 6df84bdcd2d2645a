"""The scoped admin base every app's admin inherits (STYLE.md "What that means here" 2).

``get_queryset`` is the front door: list, change, delete and history pages, actions and
autocomplete results all pass through it. The side doors Django leaves open are closed
here too: foreign-key and many-to-many choices (validated against the whole related
table unless scoped), related-field list filters (which list every related row), the
django-simple-history history page (which falls back to a deleted or hidden object's last
version) and autocomplete narrowed to what the source field would accept.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from governance.admin.history import FieldHistoryMixin
from governance.admin.lists import UnitChoicesFilter
from governance.admin.lookups import DeclaredLookupsMixin
from governance.admin.related import ScopedAdminForm
from governance.admin.relations import SafeRelationsMixin
from governance.roles import Capability
from governance.scoping import DEPARTMENTS, departments_near, units_for
from governance.transactions import CONFLICT


class ScopedChoicesMixin(SafeRelationsMixin):
    """Scopes every foreign-key and many-to-many choice to what the user may act in.

    ``choice_capabilities`` maps a field name to the capability its choices need (default:
    ``scope_capability``). Fields pointing at models that are the same for everybody
    (catalogues, the calendar) are listed in ``shared_choice_fields``; any other unscoped
    relation is a configuration error, so a new foreign key cannot slip through.
    """

    scope_capability = Capability.SEE_RECORDS
    choice_capabilities: dict[str, str] = {}
    shared_choice_fields: tuple[str, ...] = ()

    def scope_choices(self, db_field, request, queryset):
        if db_field.name in self.shared_choice_fields:
            return queryset
        if not hasattr(queryset, "for_user"):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{db_field.name} points at an unscoped model; "
                "scope it or list it in shared_choice_fields."
            )
        capability = self.choice_capabilities.get(db_field.name, self.scope_capability)
        return queryset.for_user(request.user, capability)

    def _base_choices(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self.scope_choices(db_field, request, self._base_choices(db_field, request, kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self.scope_choices(db_field, request, self._base_choices(db_field, request, kwargs))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(FieldHistoryMixin, DeclaredLookupsMixin, ScopedChoicesMixin, SimpleHistoryAdmin):
    """Admin for a model whose manager is a ``ScopedQuerySet``."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user, self.scope_capability)

    # The record's foreign keys its change page shows, read with it in one query (issue 12: each
    # was a query of its own, then another for its link, ``governance.admin.related``).
    change_select_related: tuple[str, ...] = ()

    def get_object(self, request, object_id, from_field=None):
        """Read once per page view: a change page's panels (its steps, its timeline) and Django's
        own view each ask for the record (the case page read its case three times, issue 12).
        Only while reading: a POST changes the record between two asks."""
        if request.method not in ("GET", "HEAD"):
            return self._read_object(request, object_id, from_field)
        read = request.__dict__.setdefault("_admin_objects", {})
        key = (self.model._meta.label, str(object_id), from_field)
        if key not in read:
            read[key] = self._read_object(request, object_id, from_field)
        return read[key]

    def _read_object(self, request, object_id, from_field):
        """Django's ``get_object`` with ``change_select_related``: None when out of scope or absent."""
        queryset = self.get_queryset(request).select_related(*self.change_select_related)
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A service may refuse at save time what the form accepted a moment earlier (another
        user acted in between). The save's transaction is rolled back; the user gets the rule's
        message and the page again, never a server error. So does a unique constraint that two
        people's saves of the same record met at the same instant: the form checked it for both
        before either had saved."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
        except IntegrityError:
            self.message_user(request, CONFLICT, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Read-only related records link only where the user may go (``governance.admin.related``)."""
        if "adminform" in context:
            context["adminform"] = ScopedAdminForm.from_admin_form(context["adminform"], request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_list_filter(self, request):
        """A plain related-field filter lists every related row; list only those in the scoped rows."""
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if not isinstance(entry, str) or "__" in entry:
            return entry
        field = self.model._meta.get_field(entry)
        if entry in self.unit_filters:
            return (entry, UnitChoicesFilter)
        if isinstance(field, (models.ForeignKey, models.ManyToManyField)):
            return (entry, admin.RelatedOnlyFieldListFilter)
        return entry

    # For a big table: unit filters whose choices come from the unit table, by field: the levels
    # of the user's own units to offer, or DEPARTMENTS for the departments of the user's counties.
    unit_filters: dict[str, tuple[str, ...]] = {}

    def filter_units(self, request, field_name: str):
        levels = self.unit_filters[field_name]
        if levels == DEPARTMENTS:
            return departments_near(request.user, self.scope_capability)
        return units_for(request.user, self.scope_capability).filter(level__in=levels).order_by("path")

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = self._autocomplete_source(request)
        if source is not None:
            source_admin, source_field = source
            queryset = source_admin.scope_choices(source_field, request, queryset)
        return queryset, may_have_duplicates

    def _autocomplete_source(self, request):
        """For an autocomplete request, the admin and field it fills, so results match what
        that field's form would accept."""
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name != "autocomplete":
            return None
        from django.apps import apps

        try:
            source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            source_field = source_model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, ValueError):
            return None
        source_admin = self.admin_site._registry.get(source_model)
        if not isinstance(source_admin, ScopedChoicesMixin):
            return None
        return source_admin, source_field

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline(ScopedChoicesMixin):
    """Mix into inlines: rows come through the parent's scoped page; their choices are scoped here."""
