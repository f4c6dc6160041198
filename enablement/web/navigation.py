"""The navigation bar: a registry of items, each shown only to users the policy lets use it.

Apps add their own items from `AppConfig.ready()` with `register(NavItem(...))`, so `enablement`
never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    is_visible: Callable[..., bool]
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if any(existing.url_name == item.url_name for existing in _items):
        return
    _items.append(item)
    _items.sort(key=lambda existing: existing.order)


def items_for(request: HttpRequest) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.path
    entries = []
    for item in _items:
        if item.is_visible(user):
            url = reverse(item.url_name)
            entries.append({"label": item.label, "url": url, "active": current.startswith(url)})
    return entries


def navigation(request: HttpRequest) -> dict:
    """Template context processor: `nav_items` for the signed-in user."""
    return {"nav_items": items_for(request)}


@dataclass(frozen=True)
class HomeDestination:
    """A page that, when `applies(user)`, matters more to the user than their usual home (say, a charter
    waiting for their acknowledgement). Registered by apps; the first that applies wins."""

    url_name: str
    applies: Callable[..., bool]


_home_destinations: list[HomeDestination] = []
_usual_homes: list[HomeDestination] = []


def register_home(destination: HomeDestination, *, urgent: bool = True) -> None:
    """`urgent`: something waiting for the user, before anything else; otherwise the page a user who `applies`
    starts from when nothing waits (a sales leader's Manager impact), before the platform's own defaults."""
    destinations = _home_destinations if urgent else _usual_homes
    if destination not in destinations:
        destinations.append(destination)


def _first_that_applies(destinations: list[HomeDestination], user) -> str | None:
    for destination in destinations:
        if destination.applies(user):
            return reverse(destination.url_name)
    return None


def urgent_home_for(user) -> str | None:
    return _first_that_applies(_home_destinations, user)


def usual_home_for(user) -> str | None:
    return _first_that_applies(_usual_homes, user)
