"""Running a step against the database's own refusals: a deadlock the database broke is retried
once, and what still fails (a deadlock again, a unique constraint another user's step got to
first) comes back as a message, never as a server error (issue 11).

The services lock what they change (e.g. ``cases.transitions.case_lock``) so these are rare; this
is the net under them, for the screens and importers that call services."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection
from django.utils.translation import gettext_lazy as _

CONFLICT = _(
    "Someone else changed this record at the same moment, so nothing was saved. "
    "Look at the record again and repeat the step if it is still needed."
)
# PostgreSQL's SQLSTATEs for a broken deadlock and a serialization failure.
_RETRYABLE = {"40P01", "40001"}


def _retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in _RETRYABLE


def run_step(call: Callable[[], object]):
    """``call()`` (a service), once more after a broken deadlock when no outer transaction holds
    it; a constraint or deadlock failure left over becomes ``ValidationError(CONFLICT)``."""
    for attempt in (1, 2):
        try:
            return call()
        except OperationalError as error:
            if not _retryable(error):
                raise
            if attempt == 2 or connection.in_atomic_block:
                raise ValidationError(CONFLICT, code="conflict") from error
        except IntegrityError as error:
            raise ValidationError(CONFLICT, code="conflict") from error
    raise AssertionError("unreachable")
