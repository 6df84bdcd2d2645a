"""Relation fields that refuse a bad key instead of crashing on it (issue 11: no 500 on any input).

Django turns what a form posts for a relation into a query: the autocomplete widget, redrawing a
form with errors, asks for ``id__in`` of the posted values, and a multiple choice checks its values
with ``__in`` too. A posted "9999-12-31" or "测试" raised ValueError there, and a number beyond the
key column raised OverflowError (SQLite) or DataError (PostgreSQL): a 500 for a typo or a probe.
Django guards the single-value lookups against out-of-range numbers, not ``__in``. Here bad keys
never reach the query: the widget leaves them out, the field reports them as invalid choices.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection


def _key_field(relation):
    """The field on the related model that a relation's posted values name (its pk, or to_field)."""
    remote_opts = relation.remote_field.model._meta
    return remote_opts.get_field(getattr(relation.remote_field, "field_name", None) or remote_opts.pk.name)


def is_valid_key(key_field, value) -> bool:
    try:
        key = key_field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        low, high = connection.ops.integer_field_range(key_field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return key is not None


class SafeAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        key_field = _key_field(self.field)
        return super().optgroups(name, [item for item in value if is_valid_key(key_field, item)], attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        key_field = self.queryset.model._meta.get_field(self.to_field_name or self.queryset.model._meta.pk.name)
        for item in value if isinstance(value, list | tuple | set | frozenset) else [value]:
            if not is_valid_key(key_field, item):
                message = self.error_messages["invalid_pk_value"]
                raise ValidationError(message, code="invalid_pk_value", params={"pk": item})
        return super()._check_values(value)


class SafeRelationsMixin:
    """For a ModelAdmin: autocompletes and multiple choices that refuse bad keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
