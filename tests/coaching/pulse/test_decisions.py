"""`PulseResults` decides from counts and reads values only for what it shows (`coaching.pulse.decisions`).
These tests hold it to the straightforward whole-org computation, written out here: every answer of the
window read, each respondent's latest kept, a roll-up the union of its teams' windows, rules 1, 3 and 4
applied to that. On generated orgs with teams below the threshold, groups hidden by the remainder rule,
several pulses per window and pulses older than it, every decision, figure and tally must be the same,
whichever order a page asks in."""

import datetime
import random
from collections import Counter, defaultdict

import pytest

from coaching.models import Pulse, PulseAnswer, PulseSeries
from coaching.pulse.selectors import NO_DATA, NOT_ENOUGH, SHOWN, PulseResults
from coaching.pulse.thresholds import min_respondents, pool_days
from enablement.models import Person
from enablement.org.selectors import people_under
from tests.coaching.pulse.conftest import TODAY, add_manager, bank, load_question_bank, run_pulse
from tests.conftest import from_built
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
CLOSING_DAYS_AGO = (1, 20, 45, 80, 120)  # the last one outside the 90-day window
SEEDS = (7, 11)


def _run_pulses(rng: random.Random, subject: Person, size: int, *, kind: str = "team") -> None:
    questions = bank(rng.choice([4, 5]))
    for days_ago in sorted(rng.sample(CLOSING_DAYS_AGO, rng.randint(1, 3)), reverse=True):
        answering = rng.randint(0, size)
        answers = [[rng.choice([1, 2, 3, 4, 5, 5, None]) for _q in questions] for _person in range(answering)]
        run_pulse(subject, answers, closes_on=TODAY - days_ago * DAY, questions=questions, kind=kind)


def _generated_org(seed: int) -> Person:
    """cso > directors (one with a director below them) > managers with teams of 1 to 9; some directors
    run a team pulse of their own and an upward one."""
    rng = random.Random(seed)
    cso = PersonFactory(title="CSO", user=UserFactory(username=f"cso-{seed}"))
    directors = [add_manager(cso, 0, name=f"d{seed}-{i}")[0] for i in range(3)]
    directors.append(add_manager(directors[0], 0, name=f"d{seed}-sub")[0])
    for d, director in enumerate(directors):
        for m in range(rng.randint(2, 4)):
            size = rng.randint(1, 9)
            manager, _sellers = add_manager(director, size, name=f"m{seed}-{d}-{m}")
            _run_pulses(rng, manager, size)
    _run_pulses(rng, directors[0], Person.objects.filter(manager=directors[0]).count())
    _run_pulses(rng, directors[1], Person.objects.filter(manager=directors[1]).count(), kind="upward")
    return cso


def _below(top: Person) -> set[int]:
    """`top` and everyone under them."""
    return set(people_under(leader=top, include_self=True).values_list("pk", flat=True))


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The generated orgs of SEEDS, built once for the module (the threshold is read when results are, not when
    pulses run): {seed: its cso}. Every test sees all of them, each its own tree, none of them touching `org`."""
    load_question_bank()
    return {"generated": {seed: _generated_org(seed) for seed in SEEDS}}


generated = from_built("generated")


class Straightforward:
    """The whole-org computation from every answer, as the rules state it."""

    def __init__(self, today: datetime.date):
        self.threshold = min_respondents()
        self.since = today - datetime.timedelta(days=pool_days())
        self.latest: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
        series_of = {}
        rows = PulseAnswer.objects.filter(pulse__state=Pulse.State.CLOSED, pulse__closes_on__gte=self.since)
        for series_id, kind, subject_id, pulse_id, closes_on, question_id, respondent, value in rows.values_list(
            "pulse__series_id",
            "pulse__series__kind",
            "pulse__series__subject_id",
            "pulse_id",
            "pulse__closes_on",
            "question_id",
            "respondent",
            "value",
        ):
            series_of[series_id] = (kind, subject_id)
            counted = self.latest[series_id][question_id].get(respondent)
            if counted is None or (closes_on, pulse_id) > counted[:2]:
                self.latest[series_id][question_id][respondent] = (closes_on, pulse_id, value)
        managers = dict(Person.objects.values_list("pk", "manager_id"))
        self.children: dict[tuple, set] = defaultdict(set)
        self.roots: set[tuple] = set()
        for series_id, (kind, subject_id) in series_of.items():
            if kind != PulseSeries.Kind.TEAM:
                self.roots.add(("series", series_id))
                continue
            self.children[("rollup", subject_id)].add(("series", series_id))
            person = subject_id
            while managers[person] is not None:
                self.children[("rollup", managers[person])].add(("rollup", person))
                person = managers[person]
            self.roots.add(("rollup", person))
        self.questions = {q for answers in self.latest.values() for q in answers}
        self.visible: dict[tuple, bool] = {}
        for question_id in self.questions:
            for root in self.roots:
                self._settle(root, question_id)

    def leaves(self, group: tuple) -> list[int]:
        if group[0] == "series":
            return [group[1]]
        return [pk for child in self.children.get(group, ()) for pk in self.leaves(child)]

    def tally(self, group: tuple, question_id: int) -> Counter:
        return Counter(
            value
            for pk in self.leaves(group)
            for _closes_on, _pulse_id, value in self.latest[pk].get(question_id, {}).values()
        )

    def n(self, group: tuple, question_id: int) -> int:
        return sum(self.tally(group, question_id).values())

    def frontier(self, group: tuple, question_id: int) -> list[tuple]:
        out = []
        for child in self.children.get(group, ()):
            if self.visible[(child, question_id)]:
                out.append(child)
            else:
                out.extend(self.frontier(child, question_id))
        return out

    def _settle(self, group: tuple, question_id: int) -> None:
        for child in self.children.get(group, ()):
            self._settle(child, question_id)
        self.visible[(group, question_id)] = self.n(group, question_id) >= self.threshold
        while self.visible[(group, question_id)]:
            inside = self.frontier(group, question_id)
            remainder = self.n(group, question_id) - sum(self.n(child, question_id) for child in inside)
            if not inside or remainder == 0 or remainder >= self.threshold:
                return
            smallest = min(inside, key=lambda child: (self.n(child, question_id), child))
            self.visible[(smallest, question_id)] = False

    def figure(self, group: tuple, question_id: int) -> tuple[str, dict | None]:
        n = self.n(group, question_id)
        if n and self.visible.get((group, question_id)):
            return SHOWN, dict(self.tally(group, question_id))
        return (NOT_ENOUGH if n else NO_DATA), None

    def pulse_figure(self, pulse: Pulse, question_id: int) -> tuple[str, dict | None]:
        own = {r: v for q, r, v in pulse.answers.values_list("question_id", "respondent", "value") if q == question_id}
        if len(own) < self.threshold:
            return (NOT_ENOUGH if own else NO_DATA), None
        if pulse.closes_on >= self.since:
            if not self.visible.get((("series", pulse.series_id), question_id)):
                return NOT_ENOUGH, None
            counted = self.latest[pulse.series_id].get(question_id, {})
            both = {r for r, (_c, pulse_id, _v) in counted.items() if pulse_id == pulse.pk}
            for difference in (len(counted) - len(both), len(own) - len(both)):
                if difference and difference < self.threshold:
                    return NOT_ENOUGH, None
        return SHOWN, dict(Counter(own.values()))


def _figures(result) -> dict[int, tuple[str, dict | None]]:
    return {f.question.pk: (f.status, dict(f.tally.counts) if f.tally else None) for f in result.figures}


def _expected(reference: Straightforward, group: tuple) -> dict[int, tuple[str, dict | None]]:
    asked = {q for pk in reference.leaves(group) for q in reference.latest.get(pk, {})}
    return {q: reference.figure(group, q) for q in asked}


def _pulse_expected(reference: Straightforward, pulse: Pulse) -> dict[int, tuple[str, dict | None]]:
    return {item.question_id: reference.pulse_figure(pulse, item.question_id) for item in pulse.items.all()}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("threshold", [3, 5])
def test_decisions_and_figures_equal_the_whole_org_computation(settings, generated, seed, threshold):
    settings.PULSE_MIN_RESPONDENTS = threshold
    cso = generated[seed]
    # the seed's org is every group read here; the other seeds' orgs are in the database, and in both decisions
    people = _below(cso)
    reference = Straightforward(TODAY)
    series = list(PulseSeries.objects.filter(subject__in=people).order_by("pk"))
    leaders = [
        person
        for person in Person.objects.filter(pk__in=people).order_by("pk")
        if ("rollup", person.pk) in reference.children
    ]
    pulses = list(
        Pulse.objects.filter(state=Pulse.State.CLOSED, series__subject__in=people)
        .prefetch_related("items")
        .order_by("pk")
    )
    groups = {("series", s.pk) for s in series} | {("rollup", person.pk) for person in leaders}

    # the org has what the rules are for: a group with T answers hidden by the remainder rule
    decided = {key: shown for key, shown in reference.visible.items() if key[0] in groups}
    hidden = [key for key, shown in decided.items() if not shown and reference.n(*key) >= threshold]
    assert hidden and any(decided.values())

    reads = [
        *(("pulse", pulse, _pulse_expected(reference, pulse)) for pulse in pulses),
        *(("window", s, _expected(reference, ("series", s.pk))) for s in series),
        *(("rollup", leader, _expected(reference, ("rollup", leader.pk))) for leader in leaders),
    ]
    assert ("rollup", cso, _expected(reference, ("rollup", cso.pk))) in reads
    # a manager's page reads one series first, a leader's page roll-ups first: the same either way
    for order in (reads, reads[::-1]):
        results = PulseResults(today=TODAY)
        for method, group, expected in order:
            assert _figures(getattr(results, method)(group)) == expected, (method, group)
        assert {key for key, shown in results.visible.items() if shown} == {
            key for key, shown in reference.visible.items() if shown
        }


def test_every_shown_group_leaves_a_remainder_of_zero_or_the_threshold(settings):
    settings.PULSE_MIN_RESPONDENTS = 4
    cso = _generated_org(23)
    results = PulseResults(today=TODAY)
    results.window(PulseSeries.objects.filter(subject__in=_below(cso)).first())  # the first of this org's
    assert results.visible
    for (group, question_id), shown in results.visible.items():
        if not shown:
            continue
        assert results._n(group, question_id) >= 4
        inside = results._frontier(group, question_id)
        remainder = results._n(group, question_id) - sum(results._n(child, question_id) for child in inside)
        assert not inside or remainder == 0 or remainder >= 4


def test_a_pulse_closing_after_the_decision_stays_out_of_the_figures(org):
    """Values read after the decision keep to the pulses it counted: a pulse closed in between would put
    into a roll-up people its decision did not count (and a hidden team could be derived from it)."""
    manager, _ = add_manager(org["leader"], 6, name="late")
    run_pulse(manager, [4] * 5, closes_on=TODAY - 30 * DAY)
    results = PulseResults(today=TODAY)
    results._load()  # the decision, before any figure's values are read
    run_pulse(manager, [1] * 6, closes_on=TODAY - DAY)
    window = results.window(PulseSeries.objects.get(subject=manager))
    assert window.status == SHOWN and window.figures[0].tally.n == 5 and window.figures[0].tally.mean == 4.0
