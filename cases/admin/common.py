"""What the case screens share: turning a service's refusal into a Chinese message (never a 500)
and the warning for deadlines counted without official calendar data."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from cases.deadlines import guessed_message


def refusal_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def form_errors_add(form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields where it has them, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def guessed_warn(request, years) -> None:
    if years:
        messages.warning(request, guessed_message(years))


def redirect_back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)
