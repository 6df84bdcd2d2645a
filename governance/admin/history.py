"""Each record's history page shows what changed, field by field, who changed it and why.

simple-history diffs only the fields a form may edit, and the workflow fields (state, dues,
ratings, who approved) are not editable in any form: they change only through the step services.
So a case's history page showed "changed" rows with nothing in them (issue 11). Here every tracked
field is compared, and values read as people read them: a state by its label, a person by name.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from governance.admin.related import display_name


def _value(record, field):
    if isinstance(field, models.ForeignKey):
        try:
            return getattr(record, field.name)
        except ObjectDoesNotExist:
            return None
    return getattr(record, field.attname)


def field_delta(newer, older) -> ModelDelta:
    """Every tracked field whose value differs between two historical records of one object."""
    changes = []
    for field in newer.tracked_fields:
        if getattr(newer, field.attname) != getattr(older, field.attname):
            changes.append(ModelChange(field.name, _value(older, field), _value(newer, field)))
    return ModelDelta(changes, [change.field for change in changes], older, newer)


class ReadableChangeHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.ForeignKey):
            return display_name(value)
        if isinstance(field, models.DateTimeField):
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        return super().prepare_delta_change_value(change, value)


class FieldHistoryMixin:
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangeHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        newer = None
        for record in historical_records:  # newest first
            if newer is not None:
                helper = self.get_historical_record_context_helper(request, newer)
                newer.history_delta_changes = helper.context_for_delta_changes(field_delta(newer, record))
            newer = record
