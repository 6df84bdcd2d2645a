"""Cell values as clerks type them, turned into clean Python values.

Each normaliser takes one cell (a str from CSV; str, float, int, bool, date or datetime from
XLSX) and returns the clean value or raises ``ValidationError`` with a message naming the rule.
Empty cells come in as ``""`` or ``None`` and are handled by the caller (required or not).
"""

import contextlib
import datetime
import decimal
import math
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NOT_A_DATE = _("“%(value)s” is not a date; write it as 2022-02-11, 2022/2/11, 2022年2月11日 or 20220211.")
NOT_A_WHOLE_NUMBER = _("“%(value)s” is not a whole number.")
NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_YES_OR_NO = _("“%(value)s” is not 是 or 否.")
NOT_A_CHOICE = _("“%(value)s” is not one of: %(choices)s.")
NUMBER_STORED_AS_NUMBER = _(
    "Excel stored this number as a number and its last digits are lost; format the column as text and type it again."
)

_SPACES = re.compile(r"\s+")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME_SUFFIX = re.compile(r"[ T]0?0:00(:00(\.0+)?)?$")

YES = frozenset({"是", "yes", "y", "true", "1", "√", "✓"})
NO = frozenset({"否", "no", "n", "false", "0", "×", "✗"})


def text(value) -> str:
    """Free text: surrounding spaces (including the full-width space) trimmed; nothing else changed."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if _is_midnight(value) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def half_width(value) -> str:
    """Full-width digits, letters and punctuation folded to their ASCII forms (NFKC), trimmed."""
    cleaned = text(value)
    if cleaned.isascii():  # the common case, and NFKC would not change it
        return cleaned
    return unicodedata.normalize("NFKC", cleaned).strip()


def code(value) -> str:
    """A code or number typed by hand: half-width, no spaces, upper case (a trailing ``x`` becomes ``X``)."""
    return _SPACES.sub("", half_width(value)).upper()


def long_number(value) -> str:
    """An ID number or similar long digit string. Excel keeps 15 significant digits of a number
    cell, so an 18-digit number that arrives as a number has already lost digits: refuse it."""
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise ValidationError(NUMBER_STORED_AS_NUMBER, code="number_stored_as_number")
    return code(value)


def whole_number(value) -> int:
    if isinstance(value, bool):
        raise ValidationError(NOT_A_WHOLE_NUMBER, params={"value": value}, code="not_whole_number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValidationError(NOT_A_WHOLE_NUMBER, params={"value": value}, code="not_whole_number")
    cleaned = half_width(value).replace(",", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    # Python reads at most 4,300 digits (and no count in a sheet has more than a few).
    if not re.fullmatch(r"-?\d{1,4000}", cleaned):
        raise ValidationError(NOT_A_WHOLE_NUMBER, params={"value": text(value)}, code="not_whole_number")
    return int(cleaned)


def number(value) -> decimal.Decimal:
    """A decimal such as a score: 95, 95.5, "９５.５"."""
    if isinstance(value, bool):
        raise ValidationError(NOT_A_NUMBER, params={"value": value}, code="not_a_number")
    if isinstance(value, float) and not math.isfinite(value):  # a hand-made file can hold NaN or infinity
        raise ValidationError(NOT_A_NUMBER, params={"value": value}, code="not_a_number")
    if isinstance(value, int | float):
        return decimal.Decimal(repr(value)).normalize() if isinstance(value, float) else decimal.Decimal(value)
    cleaned = half_width(value).replace(",", "")
    try:
        result = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise ValidationError(NOT_A_NUMBER, params={"value": text(value)}, code="not_a_number") from None
    if not result.is_finite():
        raise ValidationError(NOT_A_NUMBER, params={"value": text(value)}, code="not_a_number")
    return result


def date(value) -> datetime.date:
    """An Excel date cell, or 2022-02-11, 2022/2/11, 2022.2.11, 2022年2月11日 or 20220211."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(value)
    cleaned = _TIME_SUFFIX.sub("", half_width(value)).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValidationError(NOT_A_DATE, params={"value": text(value)}, code="not_a_date")


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    cleaned = half_width(value).lower()
    if cleaned in YES:
        return True
    if cleaned in NO:
        return False
    raise ValidationError(NOT_YES_OR_NO, params={"value": text(value)}, code="not_yes_no")


class Vocabulary:
    """A choice field's values as a clerk writes them.

    ``words`` maps each stored value to the Chinese words that mean it; the first word is the
    one exports and templates write. The stored value itself and the English label are accepted
    too, so a sheet exported by another tool still reads.
    """

    def __init__(self, choices, words: dict[str, tuple[str, ...]]):
        missing = set(choices.values) - set(words)
        if missing:
            raise ValueError(f"no Chinese word for {sorted(missing)}")
        self.words = words
        self._lookup: dict[str, str] = {}
        for value, label in choices.choices:
            for key in (value, str(label)):
                self._lookup[key.lower()] = value
        for value, chinese_words in words.items():
            for word in chinese_words:
                self._lookup[word] = value

    def __call__(self, value) -> str:
        found = self._lookup.get(value) if isinstance(value, str) else None
        if found is not None:
            return found
        cleaned = half_width(value)
        found = self._lookup.get(cleaned) or self._lookup.get(cleaned.lower())
        if found is None:
            raise ValidationError(
                NOT_A_CHOICE, params={"value": text(value), "choices": self.allowed()}, code="not_a_choice"
            )
        return found

    def word(self, value: str) -> str:
        return self.words[value][0] if value else ""

    def choices(self) -> list[str]:
        """The word of each value, as exports, templates and drop-downs write it."""
        return [words[0] for words in self.words.values()]

    def allowed(self) -> str:
        return "、".join(self.choices())


def _is_midnight(value: datetime.datetime) -> bool:
    return value.time() == datetime.time(0, 0)
