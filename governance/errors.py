"""Error pages people can use (issue 9): 403, 404, 500 and a failed CSRF check, in the site's
language and the admin's look, each saying what happened and linking back; and the login lockout
(429, issue 11).

Django's defaults are a bare "403 Forbidden" in English (no 403.html existed) and pages without the
admin's header. 403 and 404 pages get the admin's context (the header, the user's menu); the 500
page is rendered without the request, because whatever failed (the database, the session) must
not fail again while the page is drawn.
"""

from functools import partial

from django.conf import settings
from django.contrib import admin
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

FORBIDDEN = _("You may not open this page. If your work needs it, ask the city administrator for the role.")
BAD_REQUEST = _("The address carries a filter or value this page does not offer. Use the page's own filters.")
NOT_FOUND = _("This page or record does not exist, or it is outside the units you work for.")
LOCKED_OUT = ngettext_lazy(
    "Too many wrong passwords for this account from your address: it is locked for %(hours)d hour. "
    "Try again later, or ask the system administrator to unlock it.",
    "Too many wrong passwords for this account from your address: it is locked for %(hours)d hours. "
    "Try again later, or ask the system administrator to unlock it.",
    "hours",
)
PAGE_EXPIRED = _(
    "The page had expired or its form could not be confirmed as yours, so nothing was saved. "
    "Go back, reload the page and submit again."
)


def _list_url(request) -> str | None:
    """The admin list a failed page belongs to (/admin/<app>/<model>/…), if the user was in one."""
    parts = request.path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    candidate = "/" + "/".join(parts[:3]) + "/"
    try:
        match = resolve(candidate)
    except Resolver404:
        return None
    return candidate if (match.url_name or "").endswith("_changelist") else None


def _site_context(request) -> dict:
    # A request refused before authentication ran (a Host we do not serve: scanners probing by
    # address) has no user; the admin's context needs one, and failing here turned a 400 into a 500.
    if not hasattr(request, "user"):
        return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    return admin.site.each_context(request)


def _page(request, *, title, message, status_class):
    context = {
        **_site_context(request),
        "title": title,
        "message": message,
        "list_url": _list_url(request),
        "home_url": reverse("admin:index"),
    }
    return status_class(loader.render_to_string("error_page.html", context, request))


def bad_request(request, exception=None):
    return _page(request, title=_("Bad request (400)"), message=BAD_REQUEST, status_class=HttpResponseBadRequest)


def permission_denied(request, exception=None):
    return _page(request, title=_("No access (403)"), message=FORBIDDEN, status_class=HttpResponseForbidden)


def page_not_found(request, exception=None):
    return _page(request, title=_("Not found (404)"), message=NOT_FOUND, status_class=HttpResponseNotFound)


def csrf_failure(request, reason=""):
    return _page(request, title=_("Page expired (403)"), message=PAGE_EXPIRED, status_class=HttpResponseForbidden)


def server_error(request):
    context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title, "home_url": "/admin/"}
    return HttpResponseServerError(loader.render_to_string("500.html", context))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): its own was a line of English."""
    message = LOCKED_OUT % {"hours": settings.AXES_COOLOFF_TIME}
    status_class = partial(HttpResponse, status=429)
    return _page(request, title=_("Account locked (429)"), message=message, status_class=status_class)
