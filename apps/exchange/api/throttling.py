"""Per-client rate limit: a fixed one-minute window counted in the default cache."""

import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from .permissions import client_of


class ClientRateThrottle(BaseThrottle):
    """Allow each client `rate_limit_per_minute` requests per clock minute.

    add() + incr() are atomic in Redis and memcached, so web workers sharing the cache share
    the count; the in-process default cache counts per process.
    """

    def allow_request(self, request, view) -> bool:
        client = client_of(request)
        if client is None:
            return True
        now = time.time()
        window = int(now // 60)
        key = f"exchange:rate:{client.pk}:{window}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, timeout=120)
            count = 1
        self.remaining = 60 - (now % 60)
        return count <= client.rate_limit_per_minute

    def wait(self) -> float:
        return self.remaining
