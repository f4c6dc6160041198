"""Upserting people in bulk by external id: what an HR system's sync sends (`POST /api/v1/people/bulk/`), and
the single create and update of the people API, which run the same rules on one row.

A batch is applied **row by row, atomically per row**: every valid row is written and every invalid row is
reported with its field messages and not written at all; a row that depends on an invalid one (its manager
is a new person whose row failed) fails too, saying why. The rows that are written commit together, in
one transaction: if the database refuses anything, nothing of the batch is written. A row carries the
fields it sets: a field left out keeps its stored value (or its default for a new person); `null`
clears a team, a manager or a role. Managers and teams are referenced by external id; a manager may be
another row of the same batch, in any order. The batch is checked as a whole against what is stored:

- the same external id twice in a batch: every such row is refused;
- an email used by another person (stored, or another row): refused;
- a manager that is neither stored nor in the batch, or who has left (when the row changes its manager):
  refused;
- a reporting cycle (A reports to B, B to A), through stored people or rows of the batch: the rows that
  would close it are refused, each naming the cycle;
- a row identical to what is stored is `unchanged` and not written (its `updated_at` stays, no event).

A person becoming terminated gets an end date (today unless given), loses their login, and their open
coaching work goes to their manager's line (the `person_terminated` signal); a terminated person becoming
active again gets their login back. Queries per batch are a fixed number, plus a few per terminated
person; `dry_run` runs every check and reports what would change, writing nothing.

Other apps add fields to a person (`managers` adds `role`, by code): `enablement.org.extensions`.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person, Team
from enablement.org import rules
from enablement.org.events import person_events_emit
from enablement.org.extensions import person_extensions, with_extensions
from enablement.org.rules import Employment, StatusChange
from enablement.org.services import normalized_email, people_status_follow_up, reporting_lines_lock
from enablement.org.tree import ancestor_links

# The fields a row may set, besides extensions: stored as they are sent.
PLAIN_FIELDS = ("first_name", "last_name", "title", "employment_status", "start_date", "end_date")
REQUIRED_TO_CREATE = ("first_name", "last_name", "email")
TERMINATED = Person.EmploymentStatus.TERMINATED


@dataclass
class SyncRow:
    """One row of a batch: its position, what the row serializer accepted, and its field errors."""

    index: int
    data: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def external_id(self) -> str | None:
        return self.data.get("external_id")

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


@dataclass
class RowResult:
    index: int
    external_id: str | None
    status: str  # created, updated, unchanged or error
    id: int | None = None
    changed_fields: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class BulkOutcome:
    dry_run: bool
    results: list[RowResult]

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(result.status for result in self.results)
        return {status: counts.get(status, 0) for status in ("created", "updated", "unchanged", "error")}


@dataclass
class _Node:
    """A person as the batch would leave them: for following manager chains and checking leavers."""

    manager: str | None
    terminated: bool


@dataclass
class _Plan:
    rows: list[SyncRow]
    stored: dict[str, Person]  # by external id: the batch's people and the managers it names
    teams: dict[str, Team]
    graph: dict[str, _Node]
    results: list[RowResult] = field(default_factory=list)
    changes: dict[int, dict[str, Any]] = field(default_factory=dict)  # row index -> field -> new value
    # row index -> the employment as stored (None: a new person) and as the row leaves it
    employment: dict[int, tuple[Employment | None, Employment]] = field(default_factory=dict)


def people_bulk_upsert(*, rows: Sequence[SyncRow], by: AbstractBaseUser | None, dry_run: bool = False) -> BulkOutcome:
    """Checks and applies `rows` (see the module docstring) and returns a result per row, in row order."""
    with transaction.atomic():
        plan = _plan(rows, for_update=not dry_run)
        outcome = BulkOutcome(dry_run=dry_run, results=plan.results)
        if not dry_run:
            _apply(plan, by)
    return outcome


# Planning: every read happens here, in a fixed number of queries.


def _plan(rows: Sequence[SyncRow], for_update: bool) -> _Plan:
    """Every check, reading what is stored; `for_update` locks the people read and the reporting lines
    until the batch commits, so what was checked is what gets written."""
    _refuse_duplicates(rows)
    valid = [row for row in rows if not row.errors]
    external_ids = {row.external_id for row in valid}
    manager_ids = {row.data["manager"] for row in valid if row.data.get("manager")}
    emails = {normalized_email(row.data["email"]) for row in valid if row.data.get("email")}
    if for_update and any("manager" in row.data for row in valid):
        reporting_lines_lock()
    people = Person.objects.select_for_update(of=("self",)) if for_update else Person.objects.all()
    people = with_extensions(
        people.alias(email_key=Lower("email")).filter(  # what the unique index holds, so the lookup can use it
            Q(external_id__in=external_ids | manager_ids) | Q(email_key__in=emails)
        )
    )
    stored_by_id = {person.external_id: person for person in people}
    holders = {normalized_email(person.email): person for person in stored_by_id.values()}
    team_ids = {row.data["team"] for row in valid if row.data.get("team")}
    teams = {team.external_id: team for team in Team.objects.filter(external_id__in=team_ids)}
    plan = _Plan(rows=list(rows), stored=stored_by_id, teams=teams, graph=_stored_graph(stored_by_id.values()))
    _check_references(plan, valid, holders)
    _check_reporting_lines(plan)
    for row in plan.rows:
        plan.results.append(_result(plan, row))
    return plan


def _refuse_duplicates(rows: Sequence[SyncRow]) -> None:
    positions: dict[str, list[int]] = defaultdict(list)
    emails: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.external_id:
            positions[row.external_id].append(row.index)
        if row.data.get("email"):
            emails[normalized_email(row.data["email"])].append(row.index)
    for row in rows:
        if row.external_id and len(positions[row.external_id]) > 1:
            others = ", ".join(str(index) for index in positions[row.external_id] if index != row.index)
            row.refuse(
                "external_id",
                _("%(id)s appears more than once in this batch (also at index %(others)s); send it once.")
                % {"id": row.external_id, "others": others},
            )
        email = normalized_email(row.data["email"]) if row.data.get("email") else None
        if email and len(emails[email]) > 1 and len(positions.get(row.external_id, [])) <= 1:
            others = ", ".join(str(index) for index in emails[email] if index != row.index)
            row.refuse(
                "email",
                _("%(email)s is also the email of the row at index %(others)s; emails are unique.")
                % {"email": email, "others": others},
            )


def _stored_graph(people: Iterable[Person]) -> dict[str, _Node]:
    """Every stored person above the given ones (and themselves), by external id, with their stored
    manager: two queries, whatever the depth."""
    links = ancestor_links(Person, "manager", [person.pk for person in people])
    if not links:
        return {}
    facts = Person.objects.filter(pk__in=links).values_list("pk", "external_id", "employment_status")
    external = {pk: (external_id, status) for pk, external_id, status in facts}
    return {
        external_id: _Node(
            manager=external[links[pk]][0] if links[pk] in external else None, terminated=status == TERMINATED
        )
        for pk, (external_id, status) in external.items()
    }


def _check_references(plan: _Plan, valid: list[SyncRow], holders: dict[str, Person]) -> None:
    """Per-row checks against what is stored: required fields, email owners, teams, extensions, and the
    employment rules (`rules.employment_after`), whose outcome the plan keeps for writing."""
    known = {
        extension.name: extension.known({row.data[extension.name] for row in valid if row.data.get(extension.name)})
        for extension in person_extensions()
    }
    today = timezone.localdate()
    for row in valid:
        stored = plan.stored.get(row.external_id)
        data = row.data
        if stored is None:
            for name in REQUIRED_TO_CREATE:
                if not data.get(name):
                    row.refuse(name, _("This field is required to create a person."))
        if data.get("email"):
            holder = holders.get(normalized_email(data["email"]))
            if holder is not None and holder.external_id != row.external_id:
                row.refuse(
                    "email",
                    _("%(email)s is the email of %(name)s (external id %(id)s).")
                    % {"email": holder.email, "name": holder.full_name, "id": holder.external_id},
                )
        if data.get("team") and data["team"] not in plan.teams:
            row.refuse("team", _("No team has external id %(id)s.") % {"id": data["team"]})
        for extension in person_extensions():
            value = data.get(extension.name)
            if value and value not in known[extension.name]:
                row.refuse(extension.name, extension.unknown_message % {"value": value})
        before = Employment.of(stored) if stored is not None else None
        try:
            plan.employment[row.index] = (before, rules.employment_after(before=before, sent=data, today=today))
        except ValidationError as error:
            _refuse_all(row, error)
    _check_extensions(plan, valid, today)


def _refuse_all(row: SyncRow, error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        for message in messages:
            row.refuse(name, message)


def _check_extensions(plan: _Plan, valid: list[SyncRow], today) -> None:
    """Each extension's own rules for the stored people whose rows send its field (`PersonExtension.check`:
    a role cannot change before the current one starts), one batch per extension."""
    for extension in person_extensions():
        sending = [
            row for row in valid if not row.errors and extension.name in row.data and row.external_id in plan.stored
        ]
        if not sending:
            continue
        refused = extension.check([(plan.stored[row.external_id], row.data[extension.name]) for row in sending], today)
        for row in sending:
            message = refused.get(plan.stored[row.external_id].pk)
            if message:
                row.refuse(extension.name, message)


def _check_reporting_lines(plan: _Plan) -> None:
    """Managers must exist (stored, or a valid row of the batch); a newly named one must pass
    `rules.manager_error` (not oneself, not a leaver) and must not close a cycle (`rules.reporting_cycles`).
    Refusing a row can break others (a row naming it as manager, a cycle it was part of), so the checks
    repeat until nothing more is refused; each round is linear in the batch."""
    lines = _ReportingLines(plan)
    while lines.refuse_unknown_managers() | lines.refuse_by_manager_rule() | lines.refuse_cycles():
        pass


class _ReportingLines:
    """The org as the batch would leave it: a row's values while it is valid, the stored ones otherwise."""

    def __init__(self, plan: _Plan):
        self.plan = plan
        self.rows = {row.external_id: row for row in plan.rows if isinstance(row.external_id, str)}

    def _valid_row(self, external_id: str) -> SyncRow | None:
        row = self.rows.get(external_id)
        return row if row is not None and not row.errors else None

    def node(self, external_id: str) -> _Node | None:
        row, stored = self._valid_row(external_id), self.plan.graph.get(external_id)
        if row is None:
            return stored
        person = self.plan.stored.get(external_id)
        status = row.data.get("employment_status", person.employment_status if person else None)
        manager = row.data.get("manager", stored.manager if stored else None)
        return _Node(manager=manager, terminated=status == TERMINATED)

    def _rows_naming_a_new_manager(self) -> list[SyncRow]:
        """Valid rows that set a manager other than the stored one."""
        return [
            row
            for row in self.plan.rows
            if not row.errors
            and row.data.get("manager") is not None
            and (
                row.external_id not in self.plan.stored
                or _stored_manager(self.plan, row.external_id) != row.data["manager"]
            )
        ]

    def refuse_unknown_managers(self) -> bool:
        """A manager must be stored or a valid row; a refused new row takes the rows below it along."""
        naming: dict[str, list[SyncRow]] = defaultdict(list)
        for row in self.plan.rows:
            if not row.errors and row.data.get("manager") is not None:
                naming[row.data["manager"]].append(row)
        refused_new = [key for key, row in self.rows.items() if row.errors and key not in self.plan.stored]
        refused_any = False
        for manager, rows in naming.items():
            if manager not in self.rows and manager not in self.plan.graph:
                for row in rows:
                    row.refuse(
                        "manager", _("No person has external id %(id)s, stored or in this batch.") % {"id": manager}
                    )
                    refused_any = True
                    if row.external_id not in self.plan.stored:
                        refused_new.append(row.external_id)
        while refused_new:
            manager = refused_new.pop()
            for row in naming.get(manager, []):
                if not row.errors:
                    row.refuse(
                        "manager",
                        _("%(id)s is not written: its row has errors, so it cannot be the manager here.")
                        % {"id": manager},
                    )
                    refused_any = True
                    if row.external_id not in self.plan.stored:
                        refused_new.append(row.external_id)
        return refused_any

    def refuse_by_manager_rule(self) -> bool:
        refused_any = False
        for row in self._rows_naming_a_new_manager():
            manager = row.data["manager"]
            node = self.node(manager)
            error = rules.manager_error(
                person=row.external_id,
                manager=manager,
                manager_label=manager,
                manager_has_left=node is not None and node.terminated,
            )
            if error:
                row.refuse("manager", error)
                refused_any = True
        return refused_any

    def refuse_cycles(self) -> bool:
        """The rows that would close a cycle, through stored people or other rows, each naming it."""
        changed = [row.external_id for row in self._rows_naming_a_new_manager()]
        cycles = rules.reporting_cycles(changed, self.manager_of)
        for member, chain in cycles.items():
            self.rows[member].refuse("manager", rules.cycle_message(chain))
        return bool(cycles)

    def manager_of(self, external_id: str) -> str | None:
        node = self.node(external_id)
        return node.manager if node is not None else None


def _stored_manager(plan: _Plan, external_id: str) -> str | None:
    node = plan.graph.get(external_id)
    return node.manager if node else None


def _result(plan: _Plan, row: SyncRow) -> RowResult:
    stored = plan.stored.get(row.external_id)
    if row.errors:
        return RowResult(row.index, row.external_id, "error", id=stored.pk if stored else None, errors=row.errors)
    changes = _changes(plan, row, stored)
    plan.changes[row.index] = changes
    if stored is None:
        return RowResult(row.index, row.external_id, "created", changed_fields=list(changes))
    status = "updated" if changes else "unchanged"
    return RowResult(row.index, row.external_id, status, id=stored.pk, changed_fields=list(changes))


def _changes(plan: _Plan, row: SyncRow, stored: Person | None) -> dict[str, Any]:
    """What the row would change, as {field: new value}: model values (a team, a manager's external id)."""
    data = row.data
    wanted: dict[str, Any] = {name: data[name] for name in PLAIN_FIELDS if name in data}
    if "email" in data:
        wanted["email"] = normalized_email(data["email"])
    if "team" in data:
        wanted["team"] = plan.teams[data["team"]] if data["team"] else None
    if "manager" in data:
        wanted["manager"] = data["manager"]
    for extension in person_extensions():
        if extension.name in data:
            wanted[extension.name] = data[extension.name]
    before, after = plan.employment[row.index]
    if after.end_date != (before.end_date if before else None):
        wanted["end_date"] = after.end_date
    if stored is None:
        return wanted
    current = {
        **{name: getattr(stored, name) for name in (*PLAIN_FIELDS, "email")},
        "team": stored.team_id,
        "manager": _stored_manager(plan, stored.external_id),
        **{extension.name: getattr(stored, f"ext_{extension.name}") for extension in person_extensions()},
    }
    return {
        name: value
        for name, value in wanted.items()
        if current[name] != (value.pk if isinstance(value, Team) else value)
    }


# Writing: a fixed number of queries for the batch, plus the termination side effects per leaver.


def _apply(plan: _Plan, by: AbstractBaseUser | None) -> None:
    now, today = timezone.now(), timezone.localdate()
    extensions = {extension.name: extension for extension in person_extensions()}
    created, updated, extension_changes = [], [], defaultdict(list)
    for result in plan.results:
        if result.status not in ("created", "updated"):
            continue
        changes = plan.changes[result.index]
        person = plan.stored.get(result.external_id) or Person(external_id=result.external_id)
        for name, value in changes.items():
            if name in extensions:
                extension_changes[name].append((person, value))
            elif name != "manager":
                setattr(person, name, value)
        (created if result.status == "created" else updated).append((result, person))
    ids = {external_id: person.pk for external_id, person in plan.stored.items()}
    _insert_managers_first(plan, created, ids)
    for result, person in updated:
        if "manager" in plan.changes[result.index]:
            manager = plan.changes[result.index]["manager"]
            person.manager_id = ids[manager] if manager else None
    changed_names = {name for result, _person in updated for name in plan.changes[result.index]} - extensions.keys()
    for _result, person in updated:
        person.updated_at = now
    if updated:
        Person.objects.bulk_update(
            [person for _result, person in updated], [*sorted(changed_names), "updated_at"], batch_size=500
        )
    for name, changes in extension_changes.items():
        extensions[name].apply(changes, today, by)
    leavers = _status_follow_up(plan, [*created, *updated])
    _stamp_at_commit([person for _result, person in [*created, *updated]])
    person_events_emit(
        created=[person for _result, person in created],
        updated=[(person, result.changed_fields) for result, person in updated],
        terminated=[person for person in leavers if person.external_id in plan.stored],  # new leavers: created
    )


def _stamp_at_commit(people: list[Person]) -> None:
    """Stamps the written people as the batch's last write, so `updated_at` is no earlier than the commit
    by more than a moment however long the batch took (leavers' hand-overs run per person): incremental
    sync (`enablement.api.sync`) relies on rows appearing within its settle window of their stamp."""
    if people:
        now = timezone.now()
        Person.objects.filter(pk__in=[person.pk for person in people]).update(updated_at=now)
        for person in people:
            person.updated_at = now


def _insert_managers_first(plan: _Plan, created: list[tuple[RowResult, Person]], ids: dict[str, int]) -> None:
    """Inserts the new people a level at a time: first those whose manager is stored (or who have none),
    then those reporting to them, and so on, so every insert knows its managers' ids. One INSERT per level
    of new managers in the batch (cycles were refused, so the levels end). Fills `ids` and the results."""
    waiting = list(created)
    while waiting:
        ready, waiting_next = [], []
        for result, person in waiting:
            manager = plan.changes[result.index].get("manager")
            if manager is None or manager in ids:
                person.manager_id = ids[manager] if manager else None
                ready.append((result, person))
            else:
                waiting_next.append((result, person))
        if not ready:
            raise RuntimeError("New people whose managers are never inserted: the reporting-line check missed a case.")
        Person.objects.bulk_create([person for _result, person in ready])
        for result, person in ready:
            ids[person.external_id] = result.id = person.pk
        waiting = waiting_next


def _status_follow_up(plan: _Plan, written: list[tuple[RowResult, Person]]) -> list[Person]:
    """What follows the rows' changes of employment status (`rules.status_change`), for the whole batch at
    once (`people_status_follow_up`). Returns the leavers."""
    changes = {
        result.index: rules.status_change(
            before=plan.employment[result.index][0], after=plan.employment[result.index][1]
        )
        for result, _person in written
    }
    leavers = [person for result, person in written if changes[result.index] is StatusChange.LEAVES]
    returners = [person for result, person in written if changes[result.index] is StatusChange.RETURNS]
    people_status_follow_up(leavers=leavers, returners=returners)
    return leavers
