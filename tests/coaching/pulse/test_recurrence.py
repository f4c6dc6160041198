"""Monthly pulses: the rotation (each question once a quarter, 4-6 a month, the same for every team), the
beat sweep that schedules the next month's pulse once however often it runs, stopping a series, and
the check-back asked once per action."""

import datetime

import pytest
from django.urls import reverse

from coaching.models import Pulse, PulseQuestion, PulseSeries
from coaching.pulse import recurrence, services
from coaching.pulse.question_bank import CHECK_BACK_KEY
from coaching.pulse.tasks import advance_pulses_task
from enablement.models import Person
from tests.coaching.pulse.conftest import add_manager, bank

pytestmark = pytest.mark.django_db
JAN = datetime.date(2027, 1, 4)
DAY = datetime.timedelta(days=1)


def active_bank() -> list[PulseQuestion]:
    return list(PulseQuestion.objects.filter(is_active=True).exclude(scale=PulseQuestion.Scale.CHECK_BACK))


def month(offset: int) -> datetime.date:
    day = JAN
    for _ in range(offset):
        day = recurrence.next_month(day)
    return day


def monthly(subject, opens_on=JAN, **extra):
    return services.pulse_schedule(
        subject=subject,
        opens_on=opens_on,
        closes_on=opens_on + 6 * DAY,
        questions=[],
        by=None,
        cadence=PulseSeries.Cadence.MONTHLY,
        today=opens_on,
        **extra,
    )


# The rotation.


def test_each_question_of_the_bank_comes_round_once_a_quarter():
    quarter = [recurrence.rotation_for(month(i)) for i in range(3)]
    assert all(4 <= len(questions) <= 6 for questions in quarter)
    asked = [question.pk for questions in quarter for question in questions]
    assert sorted(asked) == sorted(question.pk for question in active_bank())  # each once
    assert [recurrence.rotation_for(month(i + 3)) for i in range(3)] == quarter  # and again next quarter
    assert recurrence.rotation_for(month(12)) == quarter[0]


def _bank_of(size: int) -> None:
    PulseQuestion.objects.exclude(key=CHECK_BACK_KEY).update(is_active=False)
    existing = PulseQuestion.objects.filter(is_active=False).exclude(key=CHECK_BACK_KEY).count()
    PulseQuestion.objects.bulk_create(
        PulseQuestion(key=f"extra-{i}", text=f"Extra {i}", lever="engagement", position=100 + i)
        for i in range(max(size - existing, 0))
    )
    keep = list(PulseQuestion.objects.exclude(key=CHECK_BACK_KEY).order_by("position", "key")[:size])
    PulseQuestion.objects.filter(pk__in=[q.pk for q in keep]).update(is_active=True)


def test_a_large_bank_asks_six_a_month_turning_through_each_set():
    _bank_of(24)
    year = [set(recurrence.rotation_for(month(i))) for i in range(12)]
    assert all(len(questions) == 6 for questions in year)
    assert set().union(*year) == set(active_bank())  # every question within the year


def test_a_small_bank_still_asks_four():
    _bank_of(9)
    quarter = [recurrence.rotation_for(month(i)) for i in range(3)]
    assert all(len(questions) == 4 for questions in quarter)
    assert set().union(*map(set, quarter)) == set(active_bank())


# Scheduling a monthly series and the sweep.


def test_a_monthly_pulse_asks_the_months_rotation_and_sets_the_next_date(org):
    pulse = monthly(org["owner"])
    assert list(pulse.questions.order_by("position")) == recurrence.rotation_for(JAN)
    series = PulseSeries.objects.get(pk=pulse.series_id)
    assert (series.cadence, series.next_pulse_on) == ("monthly", datetime.date(2027, 2, 1))


def test_the_sweep_schedules_the_next_pulse_once(org):
    """Given a monthly series due on 1 February, when the sweep runs twice that day, then one pulse opens,
    asking February's rotation for as long as January's ran, and the series is due on 1 March."""
    first = monthly(org["owner"])
    services.pulse_close(pulse=first)
    feb = datetime.date(2027, 2, 1)
    assert recurrence.pulses_recur(today=feb - DAY) == 0
    assert recurrence.pulses_recur(today=feb) == 1
    assert recurrence.pulses_recur(today=feb) == 0
    second = Pulse.objects.exclude(pk=first.pk).get()
    assert (second.opens_on, second.closes_on, second.state) == (feb, feb + 6 * DAY, Pulse.State.OPEN)
    assert list(second.questions.order_by("position")) == recurrence.rotation_for(feb)
    assert second.invitations.count() == 1 and second.scheduled_by is None
    assert PulseSeries.objects.get(pk=first.series_id).next_pulse_on == datetime.date(2027, 3, 1)


def test_two_sweeps_holding_the_same_series_schedule_one_pulse(org):
    monthly(org["owner"])
    feb = datetime.date(2027, 2, 1)
    held_by_one, held_by_other = (PulseSeries.objects.get(subject=org["owner"]) for _ in range(2))
    assert recurrence.pulse_recur(series=held_by_one, today=feb) is not None
    assert recurrence.pulse_recur(series=held_by_other, today=feb) is None
    assert Pulse.objects.count() == 2


def test_the_beat_task_run_twice_has_one_effect(org):
    today = datetime.date.today()  # noqa: DTZ011 - the task uses the local day
    monthly(org["owner"], opens_on=today - 40 * DAY)
    Pulse.objects.update(state=Pulse.State.CLOSED)
    advance_pulses_task.delay()
    advance_pulses_task.delay()
    assert Pulse.objects.filter(opens_on=today, state=Pulse.State.OPEN).count() == 1
    assert Pulse.objects.count() == 2


def test_a_team_with_nobody_left_waits_for_next_month_and_a_leaver_stops_the_series(org):
    manager, sellers = add_manager(org["leader"], 1, name="recur")
    monthly(manager)
    Person.objects.filter(pk=sellers[0].pk).update(employment_status=Person.EmploymentStatus.ON_LEAVE)
    feb = datetime.date(2027, 2, 1)
    assert recurrence.pulses_recur(today=feb) == 0
    assert PulseSeries.objects.get(subject=manager).next_pulse_on == datetime.date(2027, 3, 1)
    Person.objects.filter(pk=manager.pk).update(employment_status=Person.EmploymentStatus.TERMINATED)
    assert recurrence.pulses_recur(today=datetime.date(2027, 3, 1)) == 0
    series = PulseSeries.objects.get(subject=manager)
    assert (series.cadence, series.next_pulse_on) == ("once", None)


def test_a_once_series_never_recurs(org):
    services.pulse_schedule(
        subject=org["owner"], opens_on=JAN, closes_on=JAN + DAY, questions=bank(), by=None, today=JAN
    )
    assert recurrence.pulses_recur(today=datetime.date(2027, 6, 1)) == 0


def test_a_monthly_series_checks_back_on_an_action_once(org):
    first = monthly(org["owner"])
    services.pulse_close(pulse=first)
    first = Pulse.objects.get(pk=first.pk)
    action = services.feedback_action_add(
        pulse=first,
        you_said="Rare feedback",
        we_will="Friday call reviews",
        owner=org["owner"],
        due_on=JAN + 30 * DAY,
        by=None,
    )
    feb = recurrence.pulse_recur(series=PulseSeries.objects.get(pk=first.series_id), today=datetime.date(2027, 2, 1))
    assert feb.check_back == action and feb.questions.filter(key=CHECK_BACK_KEY).exists()
    services.pulse_close(pulse=feb)
    mar = recurrence.pulse_recur(series=PulseSeries.objects.get(pk=first.series_id), today=datetime.date(2027, 3, 1))
    assert mar.check_back is None and not mar.questions.filter(key=CHECK_BACK_KEY).exists()


# Pages.


def test_the_schedule_page_starts_a_monthly_series_without_picking_questions(client, org):
    today = datetime.date.today()  # noqa: DTZ011 - the page uses the local day
    client.force_login(org["owner"].user)
    response = client.post(
        reverse("coaching:pulse-schedule"),
        {
            "subject": org["owner"].pk,
            "kind": "team",
            "cadence": "monthly",
            "opens_on": today,
            "closes_on": today + 7 * DAY,
        },
    )
    assert response.status_code == 302
    pulse = Pulse.objects.get()
    assert list(pulse.questions.order_by("position")) == recurrence.rotation_for(today)
    once = client.post(
        reverse("coaching:pulse-schedule"),
        {
            "subject": org["owner"].pk,
            "kind": "upward",
            "cadence": "once",
            "opens_on": today,
            "closes_on": today + 7 * DAY,
        },
    )
    assert once.status_code == 200 and "Pick 4 to 6 questions." in once.content.decode()


def test_the_subject_or_a_leader_stops_a_monthly_series(client, org):
    series = monthly(org["owner"]).series
    url = reverse("coaching:pulse-series-stop", args=[series.pk])
    client.force_login(org["owner"].user)
    page = client.get(reverse("coaching:pulse-series", args=[series.pk])).content.decode()
    assert "Stop monthly pulses" in page and url in page
    assert client.get(url).status_code == 405
    for outsider in (org["seller"], org["peer"]):
        client.force_login(outsider.user)
        assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302 and PulseSeries.objects.get(pk=series.pk).cadence == "monthly"
    client.force_login(org["leader"].user)
    assert client.post(url).status_code == 302
    series.refresh_from_db()
    assert (series.cadence, series.next_pulse_on) == ("once", None)
    assert recurrence.pulses_recur(today=datetime.date(2027, 2, 1)) == 0
