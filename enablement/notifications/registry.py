"""The kinds of reminder the platform sends. Each app registers its own from `AppConfig.ready()`:

    register_kind(ReminderKind(
        name="coaching.task_due_soon",
        label=_("Coaching task due soon"),
        sweep=coaching_tasks_due_soon,        # now -> drafts, from a fixed number of queries
        still_open=coaching_tasks_still_open,  # target ids -> the ids still worth reminding about
        sweep_every_minutes=15,
    ))

`enablement` runs one beat schedule per kind, creates the reminders the sweep proposes (the unique
key drops repeats), and delivers them; it never imports the apps.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, QuerySet


@dataclass(frozen=True)
class ReminderDraft:
    """One reminder a sweep proposes. `occasion` makes it unique with (kind, target, recipient)."""

    target: type[Model]
    target_id: int
    recipient_id: int
    occasion: str
    subject: str
    message: str
    url: str


@dataclass(frozen=True)
class ReminderKind:
    name: str
    label: str
    sweep: Callable[[datetime.datetime], Iterable[ReminderDraft]]
    still_open: Callable[[set[int]], set[int]]
    sweep_every_minutes: int = 15


def not_yet_reminded(queryset: QuerySet, kind_name: str) -> QuerySet:
    """Leaves out objects that already have a reminder of this kind, so a sweep's query loads only new
    work however long old reminders stay unanswered. For kinds with one occasion per object and recipient."""
    from enablement.models import Reminder

    target_type = ContentType.objects.get_for_model(queryset.model)
    reminded = Reminder.objects.filter(kind=kind_name, target_type=target_type, target_id=OuterRef("pk"))
    return queryset.exclude(Exists(reminded))


_kinds: dict[str, ReminderKind] = {}


def register_kind(kind: ReminderKind) -> None:
    _kinds.setdefault(kind.name, kind)


def get_kind(name: str) -> ReminderKind:
    return _kinds[name]


def all_kinds() -> list[ReminderKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)
