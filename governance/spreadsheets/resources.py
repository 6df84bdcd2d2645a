"""The base of every spreadsheet resource: its columns, how a row becomes a record, how
records are written in bulk, and what an export holds.

django-import-export's ``ModelResource`` runs one query per row and per foreign key, and
its import is scoped only by who can reach the page (docs/imports.md). A ``SheetResource``
instead looks up everything a file refers to in one query per column (``prepare``), judges
each row in memory (``build``, jurisdiction included) and writes all rows in bulk (``write``).
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from governance.roles import Capability
from governance.scoping import sees_everything, units_for
from governance.spreadsheets import normalise

CELL_REQUIRED = _("This column must be filled in.")
OUT_OF_SCOPE = _("“%(unit)s” is outside your jurisdiction; you may only import records of your own units.")
RECORD_OUT_OF_SCOPE = _(
    "The existing record %(key)s belongs to a unit outside your jurisdiction and cannot be changed."
)
UNIT_UNKNOWN = _("No unit has the code or full name “%(value)s”; add the unit first (imports never create one).")
UNIT_AMBIGUOUS = _("Several units are called “%(value)s”: %(units)s. Write the unit code instead.")
DUPLICATE_IN_FILE = _("The same %(key)s already appears in row %(row)s of this file.")
# Issue 11.6: a message names nothing outside the user's jurisdiction. Where a record's existence
# is itself the secret (a cadre to second, an assessment to grade), one outside it gets the same
# message as none at all, and the refusal is written to ImportRefusal.
CADRE_NOT_IN_JURISDICTION = _(
    "No cadre within your jurisdiction has the ID number %(number)s: import the cadre first, or ask the county "
    "organisation department if the cadre is recorded elsewhere."
)
# A cadre's ID number is unique across the city, so a new record cannot hide one kept elsewhere:
# the row says so, and names nothing of it.
CADRE_ELSEWHERE = _(
    "This ID number belongs to a cadre outside your jurisdiction; ask the county organisation department."
)
CADRE_NAME_MISMATCH = _("The ID number %(number)s belongs to “%(name)s”, not to “%(given)s”.")
CYCLE_UNKNOWN = _("No assessment cycle of your jurisdiction is called “%(value)s”.")
CYCLE_AMBIGUOUS = _("Several assessment cycles are called “%(value)s”; rename one of them first.")
ASSESSMENT_UNKNOWN = _(
    "The cycle “%(cycle)s” has no assessment within your jurisdiction of the cadre with ID number %(number)s "
    "(assessments are generated when the cycle is run; imports only fill in their grades)."
)
ASSESSMENT_AMBIGUOUS = _(
    "The cadre with ID number %(number)s has several assessments in the cycle “%(cycle)s”; grade them in the form."
)

NO_COLUMN = "—"


class Outcome:
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"

    LABELS: ClassVar[dict[str, Any]] = {
        NEW: _("new"),
        UPDATED: _("updated"),
        UNCHANGED: _("unchanged"),
        ERROR: _("error"),
    }


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header clerks see, exactly
    field: str  # the English field name, accepted as a header too; the key of ``Row.values``
    parse: Callable[[Any], Any] = normalise.text
    required: bool = True
    rule: Any = ""  # what may be written, for the template's explanations sheet
    example: Any = ""
    aliases: tuple[str, ...] = ()  # older headers still read (e.g. 手机号 for 联系电话)

    @property
    def choices(self) -> list[str] | None:
        """The words of a choice column (its template drop-down), or None for free input."""
        if isinstance(self.parse, normalise.Vocabulary):
            return self.parse.choices()
        if self.parse is normalise.yes_no:
            return ["是", "否"]
        return None


@dataclass
class Row:
    number: int
    cells: list
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    outcome: str = ""
    instance: models.Model | None = None
    # Fields whose cell could not be read (or is required and empty): already reported, so the
    # row's other checks skip them rather than repeat the error in other words.
    failed: set[str] = field(default_factory=set)
    label: str = ""  # the record's name, shown beside the row number

    def add_error(self, header: str, message) -> None:
        error = (header, str(message))
        if error not in self.errors:
            self.errors.append(error)


class SheetResource:
    """Subclasses set the class attributes and implement ``prepare``, ``build``, ``write``,
    ``export_queryset`` and ``export_values``."""

    key: ClassVar[str]  # permission codenames are import_<key> / export_<key> on ImportJob
    model: ClassVar[type[models.Model]]
    sheet_name: ClassVar[str]  # the Chinese name of the sheet and of downloaded files
    columns: ClassVar[tuple[Column, ...]]
    natural_key: ClassVar[tuple[str, ...]]  # fields of Row.values naming one record
    compared_fields: ClassVar[tuple[str, ...]]  # model attnames compared to tell updated from unchanged
    # The capability whose units bound what an import may write (None: a shared catalogue,
    # bounded only by the import permission).
    capability: ClassVar[str | None] = Capability.SEE_RECORDS
    label_field: ClassVar[str | None] = "name"  # the column naming the record in the preview

    def __init__(self, user):
        self.user = user
        self._allowed_unit_ids: set[int] | None = None
        # (row number, RefusalReason, the ID number as written): rows refused for naming a record
        # outside the user's jurisdiction, written to ImportRefusal by the import's service.
        self.refusals: list[tuple[int, str, str]] = []

    # --- jurisdiction (governance.scoping, asked once per file) ---

    def allowed_unit_ids(self) -> set[int] | None:
        """Units this import may write for; None means every unit."""
        if self.capability is None or sees_everything(self.user):
            return None
        if self._allowed_unit_ids is None:
            self._allowed_unit_ids = set(units_for(self.user, self.capability).values_list("pk", flat=True))
        return self._allowed_unit_ids

    def in_scope(self, unit_id: int | None) -> bool:
        allowed = self.allowed_unit_ids()
        return allowed is None or unit_id in allowed

    def refuse_outside(self, row: "Row", reason: str, subject: str) -> None:
        """Note for the audit that ``row`` named a record outside the user's jurisdiction."""
        self.refusals.append((row.number, reason, subject))

    # --- the import steps, per file ---

    def prepare(self, rows: list[Row]) -> None:
        """Look up, in bulk, every record and unit the rows refer to."""
        raise NotImplementedError

    def build(self, row: Row) -> None:
        """Set ``row.instance`` and ``row.outcome``, or raise one ValidationError keyed by field
        holding every error of the row. Called for every row: a value whose cell failed is None
        (its field is in ``row.failed``) and the other fields are still judged."""
        raise NotImplementedError

    def template_examples(self) -> dict[str, Any]:
        """Example values for the template's sample row, by field, where the columns' own
        examples would not fit this user (a unit of their own jurisdiction, say)."""
        return {}

    def example_unit(self, *conditions, capability: str | None = None, **lookups):
        """The first unit (by path) of the user's jurisdiction matching the conditions, or None."""
        from governance.models import Unit

        if self.capability is None or sees_everything(self.user):
            units = Unit.objects.all()
        else:
            units = units_for(self.user, capability or self.capability)
        return units.filter(*conditions, **lookups).order_by("path").first()

    @staticmethod
    def unit_reference(unit) -> str:
        """How a sheet names the unit: its full name if no other unit bears it, else its code."""
        from governance.models import Unit

        return unit.name if not Unit.objects.filter(name=unit.name).exclude(pk=unit.pk).exists() else unit.code

    def row_label(self, row: Row) -> str:
        """The record's name for the preview: its name column as written, else the record found."""
        value = row.values.get(self.label_field) if self.label_field else None
        if value:
            return str(value)
        return str(row.instance) if row.instance is not None and row.instance.pk else ""

    def write(self, created: list, updated: list) -> None:
        """Write every row; runs inside the import's transaction."""
        raise NotImplementedError

    # --- export ---

    def export_queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def export_values(self, obj) -> list:
        raise NotImplementedError

    def export_rows(self, queryset: models.QuerySet) -> Iterator[list]:
        for obj in queryset.iterator(chunk_size=2000):
            yield self.export_values(obj)

    # --- helpers for subclasses ---

    def key_of(self, row: Row) -> tuple:
        return tuple(row.values.get(name) for name in self.natural_key)

    def header_of(self, field_name: str) -> str:
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return NO_COLUMN

    @staticmethod
    def changed(instance: models.Model, before: dict, fields: Iterable[str]) -> bool:
        return any(getattr(instance, name) != before[name] for name in fields)

    def snapshot(self, instance: models.Model) -> dict:
        return {name: getattr(instance, name) for name in self.compared_fields}

    def clean_instance(
        self,
        instance: models.Model,
        exclude: Iterable[str] = (),
        errors: dict | None = None,
        judged_by_clean: Iterable[str] = (),
    ) -> None:
        """Field and model rules (the model's own ``clean``), as ``full_clean`` judges them but
        without a query per row: foreign keys were resolved by the resource (a ForeignKey's own
        validation would fetch the related row again), uniqueness is judged in bulk by natural
        key, and constraints by the database when the rows are written.

        ``errors`` (field → errors) found by the resource are raised together with these. Fields
        in ``exclude`` are not checked, and what the model's ``clean`` says about them is dropped:
        their cell already failed, or the resource already said what is wrong with them.
        ``judged_by_clean``: fields whose own checks are left to the model's ``clean`` (which
        parses them more strictly than the column's length could say)."""
        exclude = {*exclude, *(name for name in errors or {} if name != NON_FIELD_ERRORS)}
        errors = {name: ValidationError(found).error_list for name, found in (errors or {}).items()}
        errors.update(check_fields(instance, {*exclude, *judged_by_clean}))
        try:
            instance.clean()
        except ValidationError as error:
            for name, found in error.update_error_dict({}).items():
                if name not in exclude:
                    errors.setdefault(name, []).extend(found)
        if errors:
            raise ValidationError(errors)


def check_fields(instance: models.Model, exclude: Iterable[str] = ()) -> dict:
    """``Model.clean_fields`` with a fast path for text and date fields, whose values come from the
    normalisers (already parsed; choices already mapped): blank, length and choice are checked
    here with Django's own messages; every other field goes through its full ``clean``."""
    errors: dict[str, list] = {}
    for check in _field_checks(type(instance), frozenset(exclude)):
        value = getattr(instance, check.attname)
        try:
            if check.simple:
                check.judge(value)
            else:
                setattr(instance, check.attname, check.model_field.clean(value, instance))
        except ValidationError as error:
            errors[check.model_field.name] = error.error_list
    return errors


@dataclass(frozen=True)
class _FieldCheck:
    """What ``check_fields`` asks of one field, looked up once per model rather than per row."""

    model_field: models.Field
    attname: str
    simple: bool
    choices: frozenset | None
    validators: tuple  # the field's own validators beyond length (e.g. a plausible date)

    @classmethod
    def of(cls, field: models.Field) -> "_FieldCheck":
        simple = isinstance(field, models.CharField | models.TextField | models.DateField)
        choices = frozenset(value for value, _label in field.flatchoices) if field.choices else None
        validators = tuple(
            validator
            for validator in field.validators
            if not isinstance(validator, MaxLengthValidator | ProhibitNullCharactersValidator)
        )
        return cls(model_field=field, attname=field.attname, simple=simple, choices=choices, validators=validators)

    def judge(self, value) -> None:
        field = self.model_field
        if value is None or value == "":
            if not field.blank:
                raise ValidationError(field.error_messages["blank"], code="blank")
            if value is None and not field.null:
                raise ValidationError(field.error_messages["null"], code="null")
            return
        if field.max_length is not None and len(value) > field.max_length:
            raise ValidationError(
                MaxLengthValidator.message,
                code="max_length",
                params={"limit_value": field.max_length, "show_value": len(value), "value": value},
            )
        if self.choices is not None and value not in self.choices:
            raise ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        for validator in self.validators:
            validator(value)


@functools.cache
def _field_checks(model: type[models.Model], exclude: frozenset) -> tuple[_FieldCheck, ...]:
    """The fields ``check_fields`` judges for a model."""
    return tuple(
        _FieldCheck.of(model_field)
        for model_field in model._meta.concrete_fields
        if not (
            model_field.name in exclude
            or model_field.is_relation
            or model_field.primary_key
            or not model_field.editable
        )
    )


def new_instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """``model(**values)`` by Django's positional path (the one ``Model.from_db`` takes), which
    is twice as fast: building the instances is a large share of a 100,000-row import.
    ``values`` is keyed by field name, a foreign key taking the related object, which is cached
    on the instance so the model's ``clean()`` reads it without a query. Fields not in
    ``values`` get their defaults."""
    args, related = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.name not in values:
            args.append(model_field.get_default())
            continue
        value = values[model_field.name]
        if model_field.is_relation and value is not None:  # a concrete relation: a foreign key or one-to-one
            related.append((model_field, value))
            value = value.pk
        args.append(value)
    instance = model(*args)
    for model_field, value in related:
        model_field.set_cached_value(instance, value)
    return instance


_IN_CHUNK = 20_000  # under SQLite's limit of variables in one statement


def rows_matching(queryset: models.QuerySet, field: str, values: list) -> Iterator:
    """Rows whose ``field`` is one of ``values``, for a whole file: on PostgreSQL one query with
    the values as a single array parameter; elsewhere in chunks of ``IN (…)``."""
    if not values:
        return
    if connection.vendor == "postgresql":
        yield from queryset.filter(**{f"{field}__in": RawSQL("SELECT unnest(%s::text[])", [list(values)])})
        return
    for start in range(0, len(values), _IN_CHUNK):
        yield from queryset.filter(**{f"{field}__in": values[start : start + _IN_CHUNK]})


class UnitLookup:
    """Resolves a unit written by code or by full name, for a whole column in one query."""

    def __init__(self, values: Iterable[str], extra: Iterable[models.Model] = ()):
        from governance.models import Unit

        wanted = {value for value in values if value}
        codes = {normalise.code(value) for value in wanted}
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list] = {}
        if wanted:
            for unit in Unit.objects.filter(models.Q(code__in=codes) | models.Q(name__in=wanted)).only(
                "pk", "code", "name", "level", "kind", "path", "parent_id"
            ):
                self._add(unit)
        for unit in extra:
            self._add(unit)

    def _add(self, unit) -> None:
        self.by_code[unit.code] = unit
        same_name = self.by_name.setdefault(unit.name, [])
        if all(other.code != unit.code for other in same_name):
            same_name.append(unit)

    def resolve(self, value: str):
        """The unit, or ValidationError naming the rule (unknown / ambiguous)."""
        unit = self.by_code.get(normalise.code(value))
        if unit is not None:
            return unit
        matches = self.by_name.get(value.strip(), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(UNIT_UNKNOWN, params={"value": value}, code="unit_unknown")
        listed = "、".join(f"{unit.name}（{unit.code}）" for unit in matches)
        raise ValidationError(UNIT_AMBIGUOUS, params={"value": value, "units": listed}, code="unit_ambiguous")
