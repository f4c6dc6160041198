"""What anyone may see of pulse results: the confidentiality rules, all in this module. Every page, the
API and the demo read results through `PulseResults`; nothing else aggregates `PulseAnswer` (what it
reads for the decisions and the figures, and how little, is `coaching.pulse.decisions`).

The rules (README, "Team pulse"), with T = `min_respondents()`:

1. Threshold. A figure (a question over a group) is shown only when at least T people answered that
   question in that group. Raising T applies to every past pulse: nothing is stored pre-aggregated.
2. Groups. A team's *window* pools its pulses closed in the last PULSE_POOL_DAYS, counting each
   respondent's latest answer per question (by their series pseudonym). A leader's *roll-up* is the union
   of the windows of every team below them; roll-ups nest along the org tree. Upward pulses are groups of
   their own and roll up nowhere.
3. Remainder rule. Whenever a shown group contains shown groups, the people it has beyond them must be 0
   or at least T, per question; otherwise the smallest shown group inside it is hidden too, until that
   holds. Decided once for the whole org, bottom-up, so every viewer sees the same decisions and no two
   viewers together can difference what one of them may not see.
4. Pulse inside window. A single pulse in a team's window is shown only if the window is shown and the
   people whose counted answer differs between the two (in either direction) are 0 or at least T; a
   pulse older than the window needs T answers itself.
5. Comments of a pulse need at least `min_commenters()` comments (never fewer than T) and a shown pulse;
   they come shuffled, undated, apart from the scores.
6. Only closed pulses have answers (`coaching.pulse.services.pulse_close`); a response rate is shown as a
   band, and only when at least T were invited.

No caller passes a filter: the only choices are which group (a team, a roll-up) and which pulse, each
decided by the rules above. Who may look at which group is `series_visible_to`, `rollups_visible_to`.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import FeedbackAction, Pulse, PulseComment, PulseQuestion, PulseSeries
from coaching.pulse.decisions import OrgCut, read_counted, read_windows
from coaching.pulse.figures import NO_DATA, NOT_ENOUGH, NOT_RELEASED, SHOWN, Figure, Result, Tally, status_of
from coaching.pulse.snapshot import org_key
from coaching.pulse.thresholds import min_commenters, min_respondents, pool_days
from enablement.accounts import policy
from enablement.accounts.policy import User
from enablement.models import Person
from enablement.org.tree import descendant_ids

# -- who may look at what --------------------------------------------------------------------------


def series_visible_to(user: User) -> QuerySet[PulseSeries]:
    """Series whose results the user may open: about themselves or anyone below them (a manager their
    team's, a leader each manager's below them). HR admins and recruiters get none: they see org
    roll-ups only. Superusers see every series."""
    return policy.scope_to_own_tree(user, PulseSeries.objects.all(), "subject").select_related("subject")


def rollup_owners_for(user: User) -> list[Person]:
    """Whose roll-ups the user may see: their own and every leader's below them; for an HR admin (or a
    superuser) the top of each org tree. Only people who have teams below them."""
    if not user.is_authenticated:
        return []
    leaders = Person.objects.filter(direct_reports__direct_reports__isnull=False).distinct()
    if policy.is_hr_admin(user):
        return list(leaders.filter(manager__isnull=True).order_by("last_name", "first_name"))
    person = policy.person_for(user)
    if person is None:
        return []
    mine = leaders.filter(Q(pk=person.pk) | Q(pk__in=descendant_ids(Person, "manager", person.pk)))
    return list(mine.select_related("manager").order_by("last_name", "first_name"))


def team_series_below(user: User, leader: Person) -> QuerySet[PulseSeries]:
    """The team series of the managers below `leader` whose results the user may open (none for an HR
    admin, who sees roll-ups only), by name: what a roll-up page lists beside the roll-up."""
    below = descendant_ids(Person, "manager", leader.pk)
    return (
        series_visible_to(user)
        .filter(kind=PulseSeries.Kind.TEAM, subject__in=Person.objects.filter(pk__in=below))
        .order_by("subject__last_name", "subject__first_name", "pk")
    )


ACT_DENIED = _("Only the manager the pulse is about acts on its released results.")


SCHEDULE_DENIED = _("A pulse is scheduled by the manager it is about or a leader above them.")


def is_subject_of(user: User, pulse: Pulse) -> bool:
    me = policy.person_for(user)
    return me is not None and me.pk == pulse.series.subject_id


def can_act_on(user: User, pulse: Pulse) -> bool:
    """The pulse's subject, once its results are released: they write "you said / we will" to their team."""
    return is_subject_of(user, pulse) and pulse.state == Pulse.State.CLOSED


def can_schedule_for(user: User, subject: Person) -> bool:
    """A manager schedules for their own team, a leader for anyone below them (and their own upward pulse)."""
    return series_subjects_for(user).filter(pk=subject.pk).exists()


def series_subjects_for(user: User) -> QuerySet[Person]:
    person = policy.person_for(user)
    if person is None:
        return Person.objects.none()
    return (
        Person.objects.current()
        .filter(Q(pk=person.pk) | Q(pk__in=descendant_ids(Person, "manager", person.pk)), direct_reports__isnull=False)
        .distinct()
    )


def pulses_to_answer(person: Person | None) -> QuerySet[Pulse]:
    if person is None:
        return Pulse.objects.none()
    return Pulse.objects.filter(
        state=Pulse.State.OPEN, invitations__person=person, invitations__has_answered=False
    ).select_related("series__subject")


def pulses_of_my_team(person: Person | None) -> QuerySet[Pulse]:
    """Closed pulses about the person's manager (team) that the person can read actions on."""
    if person is None or person.manager_id is None:
        return Pulse.objects.none()
    return Pulse.objects.filter(series__subject_id=person.manager_id, state=Pulse.State.CLOSED).select_related(
        "series__subject"
    )


# -- results --------------------------------------------------------------------------------------


class PulseResults(OrgCut):
    """Results for one request. Decides visibility for the whole org once, from how many answered each
    question of each series' window (a fixed number of queries whatever the number of teams), so every
    group's result is cut by the same decisions whoever looks; reads the values behind a figure only when
    one is shown (`coaching.pulse.decisions`)."""

    def __init__(self, *, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.since = self.today - datetime.timedelta(days=pool_days())
        self.threshold = min_respondents()
        self._loaded = False
        self._read_before = False
        self._tallies: dict[tuple, Tally] = {}
        self._kept_tallies: dict[tuple, tuple] = {}  # a roll-up's (value, count) pairs, from the cache

    # loading
    def _load(self, *, series_id: int | None = None) -> None:
        """The org-wide decision; with the values of `series_id`, when the first thing asked is about it."""
        if self._loaded:
            return
        self._loaded = True
        self.questions = {question.pk: question for question in PulseQuestion.objects.select_related("competency")}
        self._key = org_key(since=self.since, threshold=self.threshold, questions=self.questions)
        kept = self._key.get()
        if kept is not None:
            self.series, children, self.roots, self.visible, self._counts, self._kept_tallies = kept
            self.children = defaultdict(list, children)
            self._read_before = True
            return
        self.series = read_windows(self.since, values_of=series_id)
        self._read_before = series_id is not None
        self._build_tree(self._key.links)
        self._decide()

    def _read_counted(self, series_ids: Iterable[int]) -> None:
        """The values behind these series' figures. The first series asked comes with the decision (a
        manager's pages show one team); any later read takes every series at once, so a page showing many
        groups runs the same queries however many there are."""
        missing = [self.series[pk] for pk in series_ids if pk in self.series and self.series[pk].counted is None]
        if not missing:
            return
        every = self._read_before or len(missing) > 1
        read_counted(self.since, list(self.series.values()) if every else missing, every=every)
        self._read_before = True
        if every:  # every series' values are read: the decision is complete, kept with every tally
            self._keep()

    def _keep(self) -> None:
        """Keeps the decision, every series' counts and every roll-up's tallies for the next requests, as
        plain dictionaries and tuples (about a tenth of the time to read back that the objects take)."""
        for root in self.roots:
            for question_id in self._question_ids():
                self._tally(root, question_id)
        for window in self.series.values():
            window.counted = {question_id: dict(counts) for question_id, counts in window.counted.items()}
        tallies = {key: tuple(tally.counts.items()) for key, tally in self._tallies.items() if key[0][0] == "rollup"}
        kept = (self.series, dict(self.children), self.roots, self.visible, self._counts, tallies)
        self._key.keep(kept, pulses_read={pk for window in self.series.values() for pk in window.pulses})

    def tally(self, group: tuple, question_id: int) -> Tally:
        """The group's answers to the question as a histogram, whether or not it may be shown: callers
        cut it by `visible`."""
        self._load()
        self._read_counted(pk for _kind, pk in self._leaves(group))
        return self._tally(group, question_id)

    def _tally(self, group: tuple, question_id: int) -> Tally:
        """`tally` once its series are read, once per group and question: a roll-up adds its children's."""
        key = (group, question_id)
        if key not in self._tallies and key in self._kept_tallies:
            self._tallies[key] = Tally(self.questions[question_id].scale, Counter(dict(self._kept_tallies[key])))
        elif key not in self._tallies:
            total = Tally(self.questions[question_id].scale)
            kind, pk = group
            if kind == "series":
                window = self.series.get(pk)
                # .get: reading must not add the question to the series (it was maybe never asked there)
                counted = window.counted.get(question_id, {}) if window is not None else {}
                for (_pulse_id, value), count in counted.items():
                    total.counts[value] += count
            else:
                for child in self.children.get(group, []):
                    total += self._tally(child, question_id)
            self._tallies[key] = total
        return self._tallies[key]

    # reading
    def _result(self, title: str, group: tuple, series_ids: list[int]) -> Result:
        figures = []
        has_answers = False
        for question_id in self._asked(series_ids):
            question = self.questions[question_id]
            n = self._n(group, question_id)
            has_answers = has_answers or n > 0
            if n and self.visible.get((group, question_id)):
                self._read_counted(series_ids)
                figures.append(Figure(question, SHOWN, self._tally(group, question_id)))
            else:
                figures.append(Figure(question, NOT_ENOUGH if n else NO_DATA))
        return Result(title, status_of(figures, has_answers=has_answers), figures)

    def _asked(self, series_ids: Iterable[int]) -> list[int]:
        """Questions with answers in these series' windows, in bank order."""
        wanted = set(series_ids)
        asked = {q for pk in wanted if pk in self.series for q in self.series[pk].answered}
        return sorted(asked, key=lambda q: (self.questions[q].position, self.questions[q].key))

    def window(self, series: PulseSeries) -> Result:
        """The series' rolling result: its pulses of the last PULSE_POOL_DAYS, each respondent's latest."""
        self._load(series_id=series.pk)
        title = _("Last %(days)s days") % {"days": pool_days()}
        return self._result(str(title), ("series", series.pk), [series.pk])

    def rollup(self, leader: Person) -> Result:
        """Everyone in the teams below `leader` (rolling window), as the remainder rule leaves it."""
        self._load()
        group = ("rollup", leader.pk)
        series_ids = [key for _kind, key in self._leaves(group)]
        return self._result(str(_("Everyone below %(person)s") % {"person": leader}), group, series_ids)

    def pulse(self, pulse: Pulse) -> Result:
        """One pulse's result (rule 4): released, inside a shown window without a small difference, or
        older than the window with T answers per question."""
        self._load(series_id=pulse.series_id)
        title = _("Pulse closing %(date)s") % {"date": pulse.closes_on}
        question_ids = [item.question_id for item in pulse.items.all()]
        if pulse.state != Pulse.State.CLOSED:
            return Result(str(title), NOT_RELEASED, [Figure(self.questions[q], NOT_RELEASED) for q in question_ids])
        tallies: dict[int, Tally] = {q: Tally(self.questions[q].scale) for q in question_ids}
        respondents: dict[int, set] = defaultdict(set)
        for question_id, respondent, value in pulse.answers.values_list(
            "question_id", "respondent", "value"
        ).order_by():
            tallies[question_id].counts[value] += 1
            respondents[question_id].add(respondent)
        figures = []
        for question_id in question_ids:
            tally = tallies[question_id]
            shown = tally.n >= self.threshold and self._pulse_inside_window_ok(pulse, question_id, respondents)
            status = SHOWN if shown else (NOT_ENOUGH if tally.n else NO_DATA)
            figures.append(Figure(self.questions[question_id], status, tally if shown else None))
        has_answers = any(tally.n for tally in tallies.values())
        return Result(str(title), status_of(figures, has_answers=has_answers), figures)

    def _pulse_inside_window_ok(self, pulse: Pulse, question_id: int, respondents: dict) -> bool:
        if pulse.closes_on < self.since:
            return True  # outside every window: no shown group contains it
        group = ("series", pulse.series_id)
        if not self.visible.get((group, question_id)):
            return False
        self._read_counted([pulse.series_id])
        counted = self.series[pulse.series_id].counted.get(question_id, {})
        from_pulse = sum(count for (pulse_id, _value), count in counted.items() if pulse_id == pulse.pk)
        only_window = self._n(group, question_id) - from_pulse
        only_pulse = len(respondents[question_id]) - from_pulse
        return all(difference == 0 or difference >= self.threshold for difference in (only_window, only_pulse))

    def comments(self, pulse: Pulse, result: Result) -> list[str] | None:
        """The pulse's comments, shuffled, or None when they may not be shown (rule 5)."""
        if result.status != SHOWN:
            return None
        texts = list(PulseComment.objects.filter(pulse=pulse).values_list("text", flat=True).order_by("?"))
        return texts if len(texts) >= min_commenters() else None

    def trend(self, series: PulseSeries, pulses: list[Pulse]) -> dict[int, list[tuple[datetime.date, float]]]:
        """Per question: (closing date, mean) of each pulse whose figure is shown, oldest first."""
        out: dict[int, list] = defaultdict(list)
        for pulse in sorted(pulses, key=lambda p: p.closes_on):
            for figure in self.pulse(pulse).figures:
                if figure.tally is not None:
                    out[figure.question.pk].append((pulse.closes_on, figure.tally.mean))
        return out


def actions_for(pulses: Iterable[Pulse]) -> dict[int, list[FeedbackAction]]:
    by_pulse: dict[int, list] = defaultdict(list)
    ids = [pulse.pk for pulse in pulses]
    for action in FeedbackAction.objects.filter(pulse__in=ids).select_related("owner", "question"):
        by_pulse[action.pulse_id].append(action)
    return by_pulse
