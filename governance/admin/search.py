"""Searching a big list by text on PostgreSQL (issue 12).

The trigram indexes find a Chinese phrase among a million titles in milliseconds, but PostgreSQL
cannot estimate how often a phrase occurs and, guessing "often", reads the whole table for the
count (400 ms at a million cases). A searched list is therefore read with sequential scans
discouraged for its own transaction: every big table it reads has the index the search needs.
"""

from django.db import connection, transaction

from governance.admin.lists import CappedCountMixin


class IndexedSearchMixin(CappedCountMixin):
    def changelist_view(self, request, extra_context=None):
        if connection.vendor != "postgresql" or not request.GET.get("q", "").strip():
            return super().changelist_view(request, extra_context)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()  # the list's queries run while it renders: inside this transaction
            return response
