"""Reads of the list pages and dashboards from a read replica, when one is configured (issue 12).

``DATABASE_REPLICA_URL`` adds the ``replica`` database. A GET of an admin list, the home page or
the scorecards marks the request as read-only (``ReplicaMiddleware``), and the router then sends
its reads there; everything else, writes included, stays on the primary. A replica trails the
primary by its replication lag: a record changed a moment ago may show its old state in a list
for that moment (its own page, read from the primary, is current). ``DATABASE_REPLICA_READS=0``
sends every read back to the primary (a replica lagging or down) without removing it.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading = ContextVar("replica_reading", default=False)
READ_ONLY_PAGES = ("index", "cases_caseassignment_scorecards")


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and settings.DATABASE_REPLICA_READS and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Marks a read-only page's request; the mark ends with the request (the handler renders a
    template response inside ``get_response``, so the page's reads fall within it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = getattr(request.resolver_match, "url_name", "") or ""
        if request.method == "GET" and (name.endswith("_changelist") or name in READ_ONLY_PAGES):
            request._replica_token = _reading.set(True)
        return None
