"""The navigation bar: a registry of items, each shown only to users the policy lets use it, arranged in a
few groups (dropdowns that open without JavaScript: `<details>`), so a leader's dozen pages fit on one line.

Apps add their own items from `AppConfig.ready()` with `register(NavItem(...))`, so `enablement`
never imports them. Where each item goes is decided here, in `PLACEMENT` (the menu's layout in one place);
an item it does not name stands on its own. A group with one item for a user shows as that item alone.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str


CHARTERS = NavGroup("charters", _("Charters"))
PEOPLE = NavGroup("people", _("People & coaching"))
HIRING = NavGroup("hiring", _("Hiring"))
ADMIN = NavGroup("admin", _("Admin"))
GROUPS = (CHARTERS, PEOPLE, HIRING, ADMIN)
# url name -> group; within a group, items keep their registration order.
PLACEMENT = {
    "managers:role-list": CHARTERS,
    "managers:competency-list": CHARTERS,
    "managers:my-charter": CHARTERS,
    "coaching:my-impact": CHARTERS,
    "managers:support-list": CHARTERS,
    "coaching:impact": PEOPLE,
    "coaching:heatmap": PEOPLE,
    "coaching:team": PEOPLE,
    "coaching:my-development": PEOPLE,
    "coaching:pulse-home": PEOPLE,
    "coaching:recognition-feed": PEOPLE,
    "enablement:person-list": PEOPLE,
    "managers:hiring-home": HIRING,
    "enablement:api-client-list": ADMIN,
    "webhooks:endpoint-list": ADMIN,
}


def items_for(request: HttpRequest) -> list[dict]:
    """The items the signed-in user may use, in registration order: label, url, active, group key."""
    user = request.user
    if not user.is_authenticated:
        return []
    current = request.path
    entries = []
    for item in _items:
        if item.is_visible(user):
            url = reverse(item.url_name)
            group = PLACEMENT.get(item.url_name)
            entries.append(
                {"label": item.label, "url": url, "active": current.startswith(url), "group": group and group.key}
            )
    return entries


# Up to this many pages fit on one line at 1440 px and stand on their own; more are grouped.
MAX_FLAT = 9


def _entry(label, items: list[dict]) -> dict:
    return {"label": label, "items": items, "active": any(item["active"] for item in items)}


def menu_for(request: HttpRequest, items: list[dict]) -> list[dict]:
    """The menu bar as entries {label, items, active}: an entry of one item is a link, of several a dropdown.
    A user with up to MAX_FLAT pages gets them all as links (a seller's three pages need no dropdown); more
    are grouped (GROUPS order, after the items placed in none), and a group of one is that item alone."""
    items = list(items)
    if request.user.is_staff:  # the Django admin, with the platform's admin pages
        items.append({"label": _("Admin"), "url": reverse("admin:index"), "active": False, "group": ADMIN.key})
    if len(items) <= MAX_FLAT:
        return [_entry(item["label"], [item]) for item in items]
    menu = [_entry(item["label"], [item]) for item in items if not item["group"]]
    for group in GROUPS:
        members = [item for item in items if item["group"] == group.key]
        if members:
            menu.append(_entry(members[0]["label"] if len(members) == 1 else group.label, members))
    return menu


def navigation(request: HttpRequest) -> dict:
    """Template context processor: `nav_items` (flat) and `nav_menu` (grouped) for the signed-in user."""
    items = items_for(request)
    return {"nav_items": items, "nav_menu": menu_for(request, items)}


@dataclass(frozen=True)
class HomeDestination:
    """A page that, when `applies(user)`, matters more to the user than their usual home (say, a charter
    waiting for their acknowledgement). Registered by apps; the first that applies wins."""

    url_name: str
    applies: Callable[..., bool]


_home_destinations: list[HomeDestination] = []
_usual_homes: list[HomeDestination] = []
_fallback_homes: list[HomeDestination] = []


def register_home(destination: HomeDestination, *, urgent: bool = True, fallback: bool = False) -> None:
    """`urgent`: something waiting for the user, before anything else. Otherwise the page a user who `applies`
    starts from when nothing waits: before the platform's own defaults (a sales leader's Manager impact), or,
    as a `fallback`, after them, for people the platform has no page of its own for (a seller's development)."""
    destinations = _fallback_homes if fallback else _home_destinations if urgent else _usual_homes
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


def fallback_home_for(user) -> str | None:
    return _first_that_applies(_fallback_homes, user)


_team_page: list[str] = []


def register_team_page(url_name: str) -> None:
    """The app page that is a manager's "My team" (coaching's: the people they lead and coach, with their
    development); `enablement:my-team` sends people there, so there is one team page."""
    _team_page[:] = [url_name]


def team_page_url() -> str | None:
    return reverse(_team_page[0]) if _team_page else None


@dataclass(frozen=True)
class PersonLink:
    """A link an app adds to a person's page (say, their development), shown when `is_visible(user, person)`."""

    label: str
    url_name: str
    is_visible: Callable[..., bool]


_person_links: list[PersonLink] = []


def register_person_link(link: PersonLink) -> None:
    if link not in _person_links:
        _person_links.append(link)


def person_links_for(user, person) -> list[dict]:
    return [
        {"label": link.label, "url": reverse(link.url_name, args=[person.pk])}
        for link in _person_links
        if link.is_visible(user, person)
    ]
