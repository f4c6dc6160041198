"""Shapes of the pulse results API: the figures the pages show, as `coaching.pulse.selectors.PulseResults`
decides them (a figure below the threshold carries its status and nothing else), never an answer.

Every result is read through the one `PulseResults` of the request, passed in the serializer context as
`results`, so a list of 50 teams costs the queries of one."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.models import FeedbackAction, Lever, Pulse, PulseQuestion, PulseSeries
from coaching.pulse import selectors, thresholds
from coaching.pulse.figures import LeverFigure
from managers.api.serializers import PersonRefSerializer

# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (PulseResultStatusEnum).
FIGURE_STATUSES = [
    (status, status) for status in (selectors.SHOWN, selectors.NOT_ENOUGH, selectors.NO_DATA, selectors.NOT_RELEASED)
]
STATUS_HELP = _(
    "shown; not_enough (answers exist, fewer than the threshold, or hidden by the remainder rule); no_data; "
    "not_released (the pulse is still open)."
)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


class QuestionRefSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    lever = serializers.ChoiceField(choices=Lever.choices, read_only=True)
    scale = serializers.ChoiceField(
        choices=PulseQuestion.Scale.choices,
        read_only=True,
        help_text=_("agree: 1-5, 4-5 favourable; enps: 0-10, 9-10 promoters; check_back: 1 no, 2 partly, 3 yes."),
    )
    competency = serializers.CharField(source="competency.key", read_only=True, allow_null=True)


class ShareSerializer(serializers.Serializer):
    value = serializers.IntegerField(read_only=True)
    share = serializers.FloatField(read_only=True, help_text=_("Share of the answers with this value, 0 to 1."))


class FigureSerializer(serializers.Serializer):
    """One question over one group. Only a shown figure has numbers."""

    question = QuestionRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=FIGURE_STATUSES, read_only=True, help_text=STATUS_HELP)
    answers = serializers.SerializerMethodField(help_text=_("How many answered (shown figures only)."))
    mean = serializers.SerializerMethodField()
    favourable = serializers.SerializerMethodField(
        help_text=_("Share of 4-5 (agree), of promoters 9-10 (enps), of yes (check_back), 0 to 1.")
    )
    enps = serializers.SerializerMethodField(help_text=_("Promoters minus detractors, in points (enps only)."))
    distribution = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_answers(self, figure: selectors.Figure) -> int | None:
        return figure.tally.n if figure.tally else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_mean(self, figure: selectors.Figure) -> float | None:
        return _rounded(figure.tally.mean, 2) if figure.tally else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_favourable(self, figure: selectors.Figure) -> float | None:
        return _rounded(figure.tally.favourable) if figure.tally else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_enps(self, figure: selectors.Figure) -> int | None:
        return figure.tally.enps if figure.tally else None

    @extend_schema_field(ShareSerializer(many=True, allow_null=True))
    def get_distribution(self, figure: selectors.Figure) -> list[dict] | None:
        if not figure.tally:
            return None
        return [{"value": value, "share": _rounded(share)} for value, share in figure.tally.distribution]


class LeverFigureSerializer(serializers.Serializer):
    lever = serializers.ChoiceField(choices=Lever.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    mean = serializers.SerializerMethodField(help_text=_("Mean of the shown 1-5 questions' means, or null."))
    favourable = serializers.SerializerMethodField()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_mean(self, lever: LeverFigure) -> float | None:
        return _rounded(lever.mean, 2)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_favourable(self, lever: LeverFigure) -> float | None:
        return _rounded(lever.favourable)


class ResultSerializer(serializers.Serializer):
    """A group's result as the caller may see it: every question asked, shown or with why not."""

    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=FIGURE_STATUSES, read_only=True, help_text=STATUS_HELP)
    status_text = serializers.CharField(read_only=True)
    levers = LeverFigureSerializer(many=True, read_only=True)
    figures = FigureSerializer(many=True, read_only=True)


def _results(serializer: serializers.Serializer) -> selectors.PulseResults:
    return serializer.context["results"]


class PulseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    opens_on = serializers.DateField(read_only=True)
    closes_on = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=Pulse.State.choices, read_only=True)


class PulseSeriesSerializer(serializers.Serializer):
    """A team (or upward) series and its rolling result: each respondent's latest answer per question over
    the pulses closed in the last PULSE_POOL_DAYS."""

    id = serializers.IntegerField(read_only=True)
    subject = PersonRefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=PulseSeries.Kind.choices, read_only=True)
    cadence = serializers.ChoiceField(choices=PulseSeries.Cadence.choices, read_only=True)
    window = serializers.SerializerMethodField()

    @extend_schema_field(ResultSerializer)
    def get_window(self, series: PulseSeries) -> dict:
        return ResultSerializer(_results(self).window(series)).data


class TrendPointSerializer(serializers.Serializer):
    closes_on = serializers.DateField(read_only=True)
    mean = serializers.FloatField(read_only=True)


class TrendSerializer(serializers.Serializer):
    question = serializers.CharField(read_only=True, help_text=_("The question's key."))
    points = TrendPointSerializer(many=True, read_only=True)


class SeriesPulseSerializer(PulseRefSerializer):
    status = serializers.ChoiceField(choices=FIGURE_STATUSES, read_only=True, help_text=STATUS_HELP)


class PulseSeriesDetailSerializer(PulseSeriesSerializer):
    """The series page: its rolling result, every pulse with whether its result shows, and the trend of
    each question across the pulses whose figure shows."""

    pulses = serializers.SerializerMethodField()
    trend = serializers.SerializerMethodField()

    def _pulses(self, series: PulseSeries) -> list[Pulse]:
        return list(series.pulses.prefetch_related("items").order_by("-closes_on", "-pk"))

    @extend_schema_field(SeriesPulseSerializer(many=True))
    def get_pulses(self, series: PulseSeries) -> list[dict]:
        rows = []
        for pulse in self._pulses(series):
            row = PulseRefSerializer(pulse).data
            row["status"] = _results(self).pulse(pulse).status
            rows.append(row)
        return rows

    @extend_schema_field(TrendSerializer(many=True))
    def get_trend(self, series: PulseSeries) -> list[dict]:
        closed = [pulse for pulse in self._pulses(series) if pulse.state == Pulse.State.CLOSED]
        questions = {question.pk: question.key for question in PulseQuestion.objects.all()}
        trend = _results(self).trend(series, closed)
        return [
            {
                "question": questions[question_id],
                "points": [{"closes_on": day, "mean": round(mean, 2)} for day, mean in points],
            }
            for question_id, points in trend.items()
        ]


class PulseSerializer(PulseRefSerializer):
    """A pulse in a list (no result: read one to get it). Changes when it opens and when it closes, so
    `changed_since` tells an HR system which results were released."""

    series = serializers.IntegerField(source="series_id", read_only=True)
    subject = PersonRefSerializer(source="series.subject", read_only=True)
    kind = serializers.ChoiceField(source="series.kind", choices=PulseSeries.Kind.choices, read_only=True)
    released_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CheckBackSerializer(serializers.Serializer):
    pulse = serializers.IntegerField(read_only=True, help_text=_("The later pulse that asked whether it happened."))
    status = serializers.ChoiceField(choices=FIGURE_STATUSES, read_only=True, help_text=STATUS_HELP)
    happened = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Share who said yes, 0 to 1, when shown.")
    )


class FeedbackActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    question = serializers.CharField(source="question.key", read_only=True, allow_null=True)
    you_said = serializers.CharField(read_only=True)
    we_will = serializers.CharField(read_only=True)
    owner = PersonRefSerializer(read_only=True)
    due_on = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=FeedbackAction.State.choices, read_only=True)


class PulseDetailSerializer(PulseSerializer):
    """The pulse page: its result (released at close, under the thresholds), the response rate as a band,
    comments when enough people commented (shuffled, undated), and the "you said / we will" actions with
    what the next pulses said about whether they happened."""

    response_band = serializers.SerializerMethodField(
        help_text=_("under 40%, 40-59%, 60-79% or 80-100%; null when fewer than the threshold were asked.")
    )
    result = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField(
        help_text=_("Verbatim, shuffled; null until at least PULSE_MIN_COMMENTERS people commented.")
    )
    actions = serializers.SerializerMethodField()
    check_backs = serializers.SerializerMethodField()

    def _result(self, pulse: Pulse) -> selectors.Result:
        cache = self.context.setdefault("pulse_results", {})
        if pulse.pk not in cache:
            cache[pulse.pk] = _results(self).pulse(pulse)
        return cache[pulse.pk]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_response_band(self, pulse: Pulse) -> str | None:
        band = thresholds.response_band(invited=pulse.invited_count, responded=pulse.respondent_count)
        return None if band is None else str(band)

    @extend_schema_field(ResultSerializer)
    def get_result(self, pulse: Pulse) -> dict:
        return ResultSerializer(self._result(pulse)).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_comments(self, pulse: Pulse) -> list[str] | None:
        return _results(self).comments(pulse, self._result(pulse))

    @extend_schema_field(FeedbackActionSerializer(many=True))
    def get_actions(self, pulse: Pulse) -> list[dict]:
        actions = FeedbackAction.objects.filter(pulse=pulse).select_related("owner", "question")
        return FeedbackActionSerializer(actions, many=True).data

    @extend_schema_field(CheckBackSerializer(many=True))
    def get_check_backs(self, pulse: Pulse) -> list[dict]:
        rows = []
        for later in Pulse.objects.filter(check_back__pulse=pulse, state=Pulse.State.CLOSED).order_by("closes_on"):
            result = _results(self).pulse(later)
            figure = next((f for f in result.figures if f.question.scale == PulseQuestion.Scale.CHECK_BACK), None)
            shown = figure is not None and figure.tally is not None
            rows.append(
                {
                    "pulse": later.pk,
                    "status": figure.status if figure else selectors.NO_DATA,
                    "happened": _rounded(figure.tally.favourable) if shown else None,
                }
            )
        return rows


class SeriesStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    subject = PersonRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=FIGURE_STATUSES, read_only=True, help_text=STATUS_HELP)


class RollupSerializer(serializers.Serializer):
    """Everyone in the teams below a leader (rolling window), as the remainder rule leaves it."""

    id = serializers.IntegerField(source="pk", read_only=True, help_text=_("The leader's person id."))
    leader = PersonRefSerializer(source="*", read_only=True)
    result = serializers.SerializerMethodField()

    @extend_schema_field(ResultSerializer)
    def get_result(self, leader) -> dict:
        return ResultSerializer(_results(self).rollup(leader)).data


class RollupDetailSerializer(RollupSerializer):
    teams = serializers.SerializerMethodField(
        help_text=_("The teams below whose results the caller may open, with whether each shows (none for HR).")
    )

    @extend_schema_field(SeriesStatusSerializer(many=True))
    def get_teams(self, leader) -> list[dict]:
        rows = []
        for series in selectors.team_series_below(self.context["request"].user, leader):
            rows.append(
                {
                    "id": series.pk,
                    "subject": PersonRefSerializer(series.subject).data,
                    "status": _results(self).window(series).status,
                }
            )
        return rows
