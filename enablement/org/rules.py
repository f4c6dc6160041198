"""The rules of a write to a person, each decided here once: what a valid end date is, what a change of
employment status sets off (the login, the leaver's open work and whom it is escalated to), and which
new reporting lines are refused.

Pure functions over plain values, no queries: `enablement.org.services` applies them to one person (the
pages, the admin, SCIM, the demo, hires), `enablement.org.people_sync` to a batch (the people API, one row
or a thousand), each reading what the rules need in its own way; neither re-states a rule. The same
table of cases runs through every path in `tests/enablement/test_person_rules.py`.
"""

import datetime
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enablement.models import Person

TERMINATED = Person.EmploymentStatus.TERMINATED

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Employment:
    """A person's employment status and dates, before or after a write."""

    status: str = Person.EmploymentStatus.ACTIVE
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None

    @classmethod
    def of(cls, person: Person) -> "Employment":
        return cls(person.employment_status, person.start_date, person.end_date)

    @property
    def terminated(self) -> bool:
        return self.status == TERMINATED


def _end_date_error(message: str) -> ValidationError:
    return ValidationError({"end_date": [message]})


def employment_after(*, before: Employment | None, sent: Mapping[str, Any], today: datetime.date) -> Employment:
    """The employment a write leaves: `before` (None for a new person) changed by what `sent` names of
    `employment_status`, `start_date` and `end_date` (other keys are ignored; a key left out keeps its
    value, except that the end date follows the status). Raises ValidationError on `end_date`:

    - only a terminated person has an end date; someone who stops being terminated loses theirs;
    - someone who becomes terminated without an end date leaves today; a terminated person sent with a
      null end date is refused (leave it out for today);
    - terminations are not scheduled: an end date after `today` is refused, since a termination ends the
      login and hands the open work on at once (HR sends it on or after the day);
    - the end date is not before the start date.

    A write that leaves the status and dates as they are stored is not judged: a record is never refused
    for what was stored before a rule existed.
    """
    status = sent.get("employment_status", before.status if before else Person.EmploymentStatus.ACTIVE)
    start_date = sent.get("start_date", before.start_date if before else None)
    if "end_date" in sent:
        end_date = sent["end_date"]
    elif status == TERMINATED:
        end_date = before.end_date if before is not None and before.terminated else today
    else:
        end_date = None
    after = Employment(status, start_date, end_date)
    if after == before:
        return after
    if not after.terminated and end_date is not None:
        raise _end_date_error(_("Only a terminated person has an end date."))
    if after.terminated and end_date is None:
        raise _end_date_error(_("A terminated person has an end date: send it, or leave it out for today."))
    if end_date is not None and end_date > today:
        raise _end_date_error(_("Send a termination on or after the end date: it ends the login at once."))
    if end_date is not None and start_date is not None and end_date < start_date:
        raise _end_date_error(
            _("The end date cannot be before the start date (%(start)s).") % {"start": start_date.isoformat()}
        )
    return after


class StatusChange(StrEnum):
    """What a write does to someone's employment, as far as anything else follows from it.

    A leaver's login is switched off and their open work is handed on and escalated to
    `leaver_escalation_target` (the `person_terminated` signal); a returner's login is switched on again.
    Other changes (on leave and back) leave the login as it is: an account an identity provider turned off
    stays off."""

    LEAVES = "leaves"
    RETURNS = "returns"


def status_change(*, before: Employment | None, after: Employment) -> StatusChange | None:
    """LEAVES for someone who becomes terminated (a person created as terminated too), RETURNS for someone
    who stops being terminated, None otherwise."""
    was_terminated = before is not None and before.terminated
    if after.terminated and not was_terminated:
        return StatusChange.LEAVES
    if was_terminated and not after.terminated:
        return StatusChange.RETURNS
    return None


def leaver_escalation_target(leaver: Person) -> Person | None:
    """Who is told about a leaver's open work: their manager's manager, or None without one. Whether that
    person is still employed is for the receivers of `person_terminated` to weigh (coaching then tells
    whoever took the work over). Reads `leaver.manager.manager`: load them first."""
    manager = leaver.manager
    return manager.manager if manager is not None else None


def manager_error(*, person: Key | None, manager: Key, manager_label: str, manager_has_left: bool) -> str | None:
    """Why `manager` cannot become the manager of `person` (keys of any kind; None: a new person), or
    None. Checked when a write names a manager other than the stored one: the reports of someone who has
    left stay editable until HR moves them."""
    if person is not None and person == manager:
        return _("A person cannot be their own manager.")
    if manager_has_left:
        return _("%(id)s has left the company, so cannot be a manager.") % {"id": manager_label}
    return None


def reporting_cycles(changed: Iterable[Key], manager_of: Callable[[Key], Key | None]) -> dict[Key, list[Key]]:
    """The reporting cycles a write would close: for each of `changed` (the people whose manager the write
    sets) that would be on a cycle, the cycle from them back to them (`[a, b, a]`): each is refused.
    `manager_of` says who someone reports to once the write is done (None: nobody).

    Each chain is followed up once: what is known to reach the top, or a cycle, is not walked again.
    A cycle that none of `changed` is on was there before the write, and is not the write's to refuse."""
    changed = list(dict.fromkeys(changed))
    members = set(changed)
    walked: set[Key] = set()
    cycles: dict[Key, list[Key]] = {}
    for start in changed:
        path: list[Key] = []
        position: dict[Key, int] = {}
        current: Key | None = start
        while current is not None and current not in walked:
            if current in position:
                cycle = path[position[current] :]
                for offset, member in enumerate(cycle):
                    if member in members:
                        cycles[member] = [*cycle[offset:], *cycle[:offset], member]
                break
            position[current] = len(path)
            path.append(current)
            current = manager_of(current)
        walked.update(path)
    return cycles


def cycle_message(chain: Sequence[str]) -> str:
    """The refusal of a reporting cycle, naming its people as the caller refers to them (the people API by
    external id, the pages, the admin and SCIM by name)."""
    return _("This would make a reporting cycle: %(chain)s.") % {"chain": " → ".join(chain)}
