"""The org-wide pulse decision and counts (`coaching.pulse.decisions`), kept between requests in Django's cache
under a key made of everything they are computed from, so that an entry can only be read while it is still
exactly what a fresh computation would give. No expiry stands in for invalidation: whatever changes, the key
changes with it, and the old entry is never asked for again.

What the decision, and every count behind a figure, is a function of:

- the window's start (today less PULSE_POOL_DAYS) and T, the threshold;
- the question bank: each question's id and scale;
- the pulses closed in the window: each one's id, when it was created and released, how many answered, and its
  series' id, kind and subject. A pulse's answers are written once, in the transaction that closes it
  (`services.pulse_close`: the pulse is claimed, then its answers written, then committed together), and never
  changed or deleted after (`PROTECT`, no other writer), so its release stands for its answers;
- the org tree above the team series' subjects (`enablement.org.tree.ancestor_links`), which the roll-ups and
  the remainder rule follow.

All of it is read on every request: three small queries (a few hundred rows on a 5,000-person org). The answers,
the largest read, only on a miss. An entry is stored only when complete (every series' values read) and only
when the answers read belong to the pulses the key was made from: a pulse closing between the two reads leaves
the cache alone.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from coaching.models import Pulse, PulseQuestion, PulseSeries
from enablement.models import Person
from enablement.org.tree import ancestor_links

KEY_PREFIX = "pulse-org:1:"
KEEP_SECONDS = 24 * 60 * 60  # the key changes with the date anyway; the cache's own bound on stale keys


@dataclass(frozen=True)
class OrgKey:
    key: str
    pulse_ids: frozenset[int]
    links: dict[int, int | None]  # {person id: their manager's id} from the team subjects up

    def get(self) -> tuple | None:
        """The kept state: this process's copy of the latest key (read-only to its readers) while the cache still
        holds it (so clearing the cache clears both), else the cache's."""
        if self.key in _in_process and cache.has_key(self.key):
            return _in_process[self.key]
        state = cache.get(self.key)
        if state is not None:
            _remember(self.key, state)
        return state

    def keep(self, state: tuple, *, pulses_read: set[int]) -> bool:
        """Stores the decision's state when its answers came from the key's pulses only; False otherwise."""
        if not pulses_read <= self.pulse_ids:
            return False
        cache.set(self.key, state, KEEP_SECONDS)
        return True


# The state last read from the cache, unpickled once per process rather than once per request (600 KB at 5,000
# people: 10 to 15 ms). Keyed like the cache, so it is exactly as fresh; one entry, as the key changes only with
# the data.
_in_process: dict[str, tuple] = {}


def _remember(key: str, state: tuple) -> None:
    _in_process.clear()
    _in_process[key] = state


def org_key(*, since, threshold: int, questions: dict[int, PulseQuestion]) -> OrgKey:
    """The key of the org's decision as the database stands now, and the tree the decision is built on."""
    pulses = list(
        Pulse.objects.filter(state=Pulse.State.CLOSED, closes_on__gte=since)
        .order_by("pk")
        .values_list(
            "pk", "created_at", "released_at", "respondent_count", "series_id", "series__kind", "series__subject_id"
        )
    )
    team_subjects = sorted({subject for *_pulse, kind, subject in pulses if kind == PulseSeries.Kind.TEAM})
    links = ancestor_links(Person, "manager", team_subjects)
    made_of = (
        since.isoformat(),
        threshold,
        sorted((pk, question.scale) for pk, question in questions.items()),
        pulses,
        sorted(links.items()),
    )
    digest = hashlib.sha256(repr(made_of).encode()).hexdigest()
    return OrgKey(KEY_PREFIX + digest, frozenset(row[0] for row in pulses), links)
