"""Request rates for the API, per caller: an API client by its token's prefix, a signed-in person by their
account, anyone else by their address (`REST_FRAMEWORK["NUM_PROXIES"]` says which X-Forwarded-For entry to
trust). Two windows, each with its own rate in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`: `burst` (per
minute, against a runaway loop) and `sustained` (per hour, against a client that never stops). Over either,
a 429 with `Retry-After`: the seconds until its window ends.

A fixed window counted with one atomic `incr` in the default cache (DRF's own throttles keep a list of every
request's time in one cache entry, rewritten on each request: at thousands an hour, a large value rewritten
racily). The cache is Redis when `CACHE_URL` or `REDIS_URL` is set, shared by every web process; without
it, each process's own memory, so with N processes a caller gets up to N times the rate: only for the
embedded one-machine default. A fixed window lets a caller send up to twice the rate across a boundary.
"""

import time

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from enablement.models import ApiClient

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


def parse_rate(rate: str) -> tuple[int, int]:
    """`"600/min"` as (600, 60): DRF's rate syntax, requests per s(econd), m(inute), h(our) or d(ay)."""
    number, period = rate.split("/")
    return int(number), PERIODS[period[0]]


class CallerRateThrottle(BaseThrottle):
    """At most `scope`'s rate of requests per caller per window (see the module docstring)."""

    scope: str
    timer = time.time

    def caller(self, request: Request) -> str:
        if isinstance(request.auth, ApiClient):
            return f"client:{request.auth.prefix}"
        if request.user is not None and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def allow_request(self, request: Request, view) -> bool:
        # Read at each request rather than at import, so a changed setting (or a test's override) applies.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if not rate:
            return True
        limit, seconds = parse_rate(rate)
        now = self.timer()
        window = int(now // seconds)
        key = f"throttle:{self.scope}:{self.caller(request)}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the entry expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            count = 1
        self._wait = (window + 1) * seconds - now
        return count <= limit

    def wait(self) -> float:
        return self._wait


class BurstRateThrottle(CallerRateThrottle):
    scope = "burst"


class SustainedRateThrottle(CallerRateThrottle):
    scope = "sustained"
