"""Serializer pieces the resources share: records named by their codes, both ways."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import Unit
from governance.scoping import units_for

UNIT_NOT_YOURS = _("No unit has the code “{value}” among the units this client acts for.")
ITEM_UNKNOWN = _("No catalogue item has the code “{value}”.")


class CodeNameSerializer(serializers.Serializer):
    """A unit or catalogue item as the caller names it: its code, and its name for people."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


CODE_MAX_LENGTH = 40


class CodeLookupMixin:
    """Only text that could be a code is looked up: a NUL character (which PostgreSQL refuses in
    a query) or a page of text is "no such code" without asking the database."""

    def to_internal_value(self, data):
        if isinstance(data, str) and ("\x00" in data or len(data) > CODE_MAX_LENGTH):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data[:CODE_MAX_LENGTH].replace("\x00", ""))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(CodeLookupMixin, serializers.SlugRelatedField):
    """A unit by its code, among the units the client holds ``capability`` in: another county's
    township is as unknown as a code that does not exist."""

    default_error_messages = {"does_not_exist": UNIT_NOT_YOURS, "invalid": _("Give the unit's code as text.")}

    def __init__(self, *, capability: str, **kwargs):
        self.capability = capability
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return units_for(self.context["request"].user, self.capability)


@extend_schema_field(OpenApiTypes.STR)
class ItemCodeField(CodeLookupMixin, serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": ITEM_UNKNOWN, "invalid": _("Give the item's code as text.")}

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)


def unit_ref(unit: Unit | None) -> dict | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The label of a model's choice field in the request's language (what ``get_<field>_display``
    gives), read from the field's choices: DRF's ``source="get_…_display"`` inspects the method's
    signature on every row, a third of a list page's time."""

    def __init__(self, field_name: str, **kwargs):
        self.choice_field = field_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.choice_field)
        labels = dict(instance._meta.get_field(self.choice_field).flatchoices)
        return str(labels.get(value, value))
