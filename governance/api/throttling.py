"""Per-client rate limits (DRF throttling keyed by the client): the client's own rate or
``API_RATE_LIMIT``. Counts live in the cache named by ``API_THROTTLE_CACHE``: Redis when
``API_THROTTLE_REDIS_URL`` is set (one count for every process), else the process's own memory,
so N processes let through N times the rate (docs/api.md)."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from governance.api.models import ApiClient


class ApiClientThrottle(SimpleRateThrottle):
    scope = "api_client"

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True  # refused by authentication before anything is done
        self.rate = client.rate_limit or settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"api-throttle:{request.auth.pk}"
