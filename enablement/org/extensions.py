"""Fields other apps keep about a person and show and sync with them (`managers` adds `role`, by code):
registered from their `AppConfig.ready()`, so `enablement` never imports them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Expression, QuerySet

from enablement.models import Person


@dataclass(frozen=True)
class PersonExtension:
    """A field another app keeps about a person, synced with the person (`managers`: `role`).

    `stored` annotates a Person queryset with the current value; `known` says which of some sent values
    exist; `check` runs the app's own rules on the values sent for stored people (the rules its
    single-row service applies), answering {person id: why} for those it refuses; `apply` writes the
    changes of a batch. `check` and `apply` take the date the changes take effect; each runs a fixed
    number of queries for the batch."""

    name: str
    stored: Callable[[], Expression]
    known: Callable[[set], set]
    unknown_message: str  # with %(value)s
    apply: Callable[[list[tuple[Person, Any]], datetime.date, AbstractBaseUser | None], None]
    make_serializer_field: Callable[..., Any]  # (**kwargs) -> a DRF field, for rows and output
    description: str = ""
    check: Callable[[list[tuple[Person, Any]], datetime.date], dict[int, str]] = lambda changes, on: {}


_extensions: dict[str, PersonExtension] = {}


def register_extension(extension: PersonExtension) -> None:
    _extensions[extension.name] = extension


def person_extensions() -> list[PersonExtension]:
    return list(_extensions.values())


def with_extensions(people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` annotated with each extension's stored value, as `ext_<name>`."""
    return people.annotate(**{f"ext_{extension.name}": extension.stored() for extension in _extensions.values()})
