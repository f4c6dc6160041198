"""Rules 1 and 3 of `coaching.pulse.selectors` (threshold, remainder), decided once for the whole org, and
what the decision reads.

A decision needs, per group and question, only how many people answered: a team window counts each
respondent once (their latest answer), and a roll-up is the sum of its children (pseudonyms are per
series, so nobody is in two windows). So the org is read as counts, not as answers:

- one aggregate, per pulse and question, over the pulses closed in the window: for a series with one
  pulse in its window, that count is its respondents (`pulse_answer_once`: one answer per respondent,
  pulse and question); for the one series a manager's page shows, per value too;
- the answers themselves only of series with several pulses in their window, where a respondent may have
  answered more than one and only their latest counts.

The values of other series are read only when a page shows one of their figures (`read_counted`). Every
read keeps to the pulses the first read saw, so a pulse closing in between cannot put into a figure what
its decision did not count.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, QuerySet, SmallIntegerField, Value, When

from coaching.models import Pulse, PulseAnswer, PulseSeries
from enablement.models import Person
from enablement.org.tree import ancestor_links


@dataclass
class SeriesWindow:
    """One series' window as the decision and the figures read it: never who answered."""

    pk: int
    kind: str
    subject_id: int
    pulses: set[int] = field(default_factory=set)
    # question id -> how many respondents have a counted answer in the window
    answered: dict[int, int] = field(default_factory=dict)
    # question id -> Counter of (pulse id, value) over the counted answers; None until a figure needs it
    counted: dict[int, Counter] | None = None


def _window_answers(since: datetime.date) -> QuerySet[PulseAnswer]:
    return PulseAnswer.objects.filter(pulse__state=Pulse.State.CLOSED, pulse__closes_on__gte=since).order_by()


def read_windows(since: datetime.date, *, values_of: int | None = None) -> dict[int, SeriesWindow]:
    """Every series with answers in its window since `since`, with how many answered each question; with
    the values too of the series `values_of` (the one a manager's page shows), in the same query."""
    value_of_one = Value(None, output_field=SmallIntegerField())
    if values_of is not None:
        value_of_one = Case(When(pulse__series_id=values_of, then="value"), output_field=SmallIntegerField())
    # pulse first: the aggregate sorts on the pulse and question, the series' columns follow them
    columns = ("pulse_id", "question_id", "pulse__series_id", "pulse__series__kind", "pulse__series__subject_id")
    rows = _window_answers(since).values_list(*columns, value_of_one).annotate(answers=Count("*"))
    windows: dict[int, SeriesWindow] = {}
    for pulse_id, question_id, series_id, kind, subject_id, value, answers in rows:
        window = windows.get(series_id)
        if window is None:
            window = windows[series_id] = SeriesWindow(series_id, kind, subject_id)
            if series_id == values_of:
                window.counted = defaultdict(Counter)
        window.pulses.add(pulse_id)
        window.answered[question_id] = window.answered.get(question_id, 0) + answers
        if window.counted is not None:
            window.counted[question_id][(pulse_id, value)] += answers
    several = [window for window in windows.values() if len(window.pulses) > 1]
    if several:
        _read_latest(since, several)
    return windows


def _read_latest(since: datetime.date, windows: list[SeriesWindow]) -> None:
    """Counts and values of windows with several pulses: each respondent's latest answer per question (by
    closing date, then pulse), in the pulses `read_windows` saw."""
    by_pk = {window.pk: window for window in windows}
    latest: dict[int, dict] = {pk: defaultdict(dict) for pk in by_pk}
    rows = (
        _window_answers(since)
        .filter(pulse__series_id__in=list(by_pk))
        .values_list("pulse__series_id", "pulse_id", "pulse__closes_on", "question_id", "respondent", "value")
    )
    for series_id, pulse_id, closes_on, question_id, respondent, value in rows:
        if pulse_id not in by_pk[series_id].pulses:
            continue  # closed after the first read
        answers = latest[series_id][question_id]
        counted = answers.get(respondent)
        if counted is None or (closes_on, pulse_id) > counted[:2]:
            answers[respondent] = (closes_on, pulse_id, value)
    for pk, window in by_pk.items():
        window.answered = {question_id: len(answers) for question_id, answers in latest[pk].items()}
        window.counted = {
            question_id: Counter((pulse_id, value) for _closes_on, pulse_id, value in answers.values())
            for question_id, answers in latest[pk].items()
        }


def read_counted(since: datetime.date, windows: list[SeriesWindow], *, every: bool) -> None:
    """Fills `counted` of these windows (those with one pulse: each answer is its respondent's latest).
    `every`: one query for every series rather than a filter on these."""
    wanted = {window.pk: window for window in windows if window.counted is None}
    if not wanted:
        return
    for window in wanted.values():
        window.counted = defaultdict(Counter)
    rows = _window_answers(since)
    if not every:
        rows = rows.filter(pulse__series_id__in=list(wanted))
    rows = rows.values_list("pulse__series_id", "pulse_id", "question_id", "value").annotate(answers=Count("*"))
    for series_id, pulse_id, question_id, value, answers in rows:
        window = wanted.get(series_id)
        if window is not None and pulse_id in window.pulses:
            window.counted[question_id][(pulse_id, value)] += answers


class OrgCut:
    """visible[(group, question)] for every group of the org, by rules 1 and 3. Groups: ("series", id) for
    every series with answers; ("rollup", person id) for everyone above a team series, containing their
    own team's window and the roll-ups of the people below them. Upward series are roots of their own."""

    threshold: int
    series: dict[int, SeriesWindow]

    def _build_tree(self, links: dict[int, int | None]) -> None:
        """`links`: {person id: manager id} from the team series' subjects up (`ancestor_links`), read with the
        decision's key; a team whose first pulse was released after that has its line read now."""
        team_series = [s for s in self.series.values() if s.kind == PulseSeries.Kind.TEAM]
        missing = [s.subject_id for s in team_series if s.subject_id not in links]
        if missing:
            links = {**links, **ancestor_links(Person, "manager", missing)}
        self.children: dict[tuple, list[tuple]] = defaultdict(list)
        self.roots: list[tuple] = []
        for series in team_series:
            self._attach(("series", series.pk), ("rollup", series.subject_id))
            person = series.subject_id
            while links.get(person) is not None:
                parent = links[person]
                if not self._attach(("rollup", person), ("rollup", parent)):
                    break  # the rest of the chain is already there
                person = parent
            if links.get(person) is None and ("rollup", person) not in self.roots:
                self.roots.append(("rollup", person))
        for series in self.series.values():
            if series.kind != PulseSeries.Kind.TEAM:
                self.roots.append(("series", series.pk))

    def _attach(self, child: tuple, parent: tuple) -> bool:
        """Adds the edge; False when the parent had it already."""
        if child in self.children[parent]:
            return False
        self.children[parent].append(child)
        return True

    def _question_ids(self) -> set[int]:
        if not hasattr(self, "_qids"):
            self._qids = {q for series in self.series.values() for q in series.answered}
        return self._qids

    def _decide(self) -> None:
        self.visible: dict[tuple, bool] = {}
        self._counts: dict[tuple, int] = {}
        order = self._post_order()
        for question_id in self._question_ids():
            self._decide_question(order, question_id)

    def _post_order(self) -> list[tuple]:
        """Every group, each after the groups inside it, in the order the tree lists them."""
        order: list[tuple] = []

        def visit(group: tuple) -> None:
            for child in self.children.get(group, ()):
                visit(child)
            order.append(group)

        for root in self.roots:
            visit(root)
        return order

    def _decide_question(self, order: list[tuple], question_id: int) -> None:
        """Rules 1 and 3 for one question over every group, inside before outside: a group shows with T
        answers; while a shown group's remainder beyond the shown groups inside it is neither 0 nor at
        least T, the smallest of those is hidden. Local dictionaries: this runs for every group of the org
        on every request."""
        children, threshold = self.children, self.threshold
        counts: dict[tuple, int] = {}
        shown: dict[tuple, bool] = {}

        def frontier(group: tuple) -> list[tuple]:
            out = []
            for child in children.get(group, ()):
                if shown[child]:
                    out.append(child)
                else:
                    out.extend(frontier(child))
            return out

        for group in order:
            if group[0] == "series":
                n = self.series[group[1]].answered.get(question_id, 0)
            else:
                n = sum(counts[child] for child in children[group])
            counts[group] = n
            shown[group] = n >= threshold
            while shown[group]:
                inside = frontier(group)
                remainder = n - sum(counts[child] for child in inside)
                if not inside or remainder == 0 or remainder >= threshold:
                    break
                shown[min(inside, key=lambda child: (counts[child], child))] = False
        self._counts.update(((group, question_id), n) for group, n in counts.items())
        self.visible.update(((group, question_id), value) for group, value in shown.items())

    def _n(self, group: tuple, question_id: int) -> int:
        """How many answered the question in the group: a roll-up adds its children's counts (computed
        once per group and question, not by walking each subtree again)."""
        key = (group, question_id)
        n = self._counts.get(key)
        if n is None:
            kind, pk = group
            if kind == "series":
                n = self.series[pk].answered.get(question_id, 0) if pk in self.series else 0
            else:
                n = sum(self._n(child, question_id) for child in self.children.get(group, []))
            self._counts[key] = n
        return n

    def _frontier(self, group: tuple, question_id: int) -> list[tuple]:
        """The largest shown groups strictly inside `group`."""
        out = []
        for child in self.children.get(group, []):
            if self.visible.get((child, question_id)):
                out.append(child)
            else:
                out.extend(self._frontier(child, question_id))
        return out

    def _leaves(self, group: tuple) -> list[tuple]:
        if group[0] == "series":
            return [group]
        return [leaf for child in self.children.get(group, []) for leaf in self._leaves(child)]
