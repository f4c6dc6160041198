"""The confidentiality rules of `coaching.pulse.selectors`: attempts to narrow a result below the
threshold, by roll-up difference, by pooled window against one pulse, by settings and by the data itself,
each getting nothing. (Pages and the API get the same attempts in test_pages.py and test_api.py.)"""

import datetime

import pytest
from django.apps import apps
from django.db import connection, models

from coaching.models import Pulse, PulseAnswer, PulseComment, PulseQuestion, PulseSeries
from coaching.pulse import services
from coaching.pulse.selectors import (
    NO_DATA,
    NOT_ENOUGH,
    NOT_RELEASED,
    SHOWN,
    PulseResults,
)
from coaching.pulse.thresholds import min_commenters, min_respondents, response_band
from enablement.models import Person
from tests.coaching.pulse.conftest import TODAY, add_manager, bank, run_pulse
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def results():
    return PulseResults(today=TODAY)


def series_of(manager):
    return PulseSeries.objects.get(subject=manager, kind="team")


def statuses(result):
    return {figure.status for figure in result.figures}


@pytest.mark.parametrize(("configured", "expected"), [(1, 3), (3, 3), (5, 5), (10, 10), (40, 10)])
def test_threshold_is_clamped_between_three_and_ten(settings, configured, expected):
    settings.PULSE_MIN_RESPONDENTS = configured
    assert min_respondents() == expected


def test_comment_threshold_never_below_the_respondent_threshold(settings):
    settings.PULSE_MIN_RESPONDENTS, settings.PULSE_MIN_COMMENTERS = 7, 4
    assert min_commenters() == 7


def test_four_respondents_show_nothing_five_show_figures(org):
    # under two different leaders: side by side in one roll-up, the remainder rule would hide the five too
    four, _ = add_manager(org["leader"], 6, name="four")
    five, _ = add_manager(org["outsider"], 6, name="five")
    small, big = run_pulse(four, [4] * 4), run_pulse(five, [4, 5, 3, 4, 4])
    r = results()
    assert r.pulse(small).status == NOT_ENOUGH and all(f.tally is None for f in r.pulse(small).figures)
    shown = r.pulse(big)
    assert shown.status == SHOWN and shown.figures[0].tally.n == 5 and shown.figures[0].tally.mean == 4.0
    assert shown.figures[0].tally.favourable == 0.8


def test_no_data_differs_from_not_enough(org):
    manager, _ = add_manager(org["leader"], 5, name="nodata")
    pulse = run_pulse(manager, [])
    assert results().pulse(pulse).status == NO_DATA
    assert results().pulse(run_pulse(manager, [3, 3])).status == NOT_ENOUGH


def test_results_are_not_released_while_the_pulse_is_open(org):
    manager, sellers = add_manager(org["leader"], 6, name="open")
    pulse = services.pulse_schedule(
        subject=manager, opens_on=TODAY, closes_on=TODAY + DAY, questions=bank(), by=None, today=TODAY
    )
    for seller in sellers:
        services.pulse_answer(pulse=pulse, person=seller, answers={q.pk: 5 for q in bank()})
    assert results().pulse(pulse).status == NOT_RELEASED
    assert results().window(series_of(manager)).status == NO_DATA


def test_raising_the_threshold_hides_past_pulses(org, settings):
    manager, _ = add_manager(org["leader"], 6, name="raise")
    pulse = run_pulse(manager, [4] * 5)
    assert results().pulse(pulse).status == SHOWN
    settings.PULSE_MIN_RESPONDENTS = 6
    assert results().pulse(pulse).status == NOT_ENOUGH


def test_a_skipped_question_below_the_threshold_is_hidden_alone(org):
    manager, _ = add_manager(org["leader"], 6, name="skip")
    questions = bank()
    pulse = run_pulse(manager, [[4, 4, 4, None]] * 3 + [[4, 4, 4, 2]] * 3, questions=questions)
    figures = {f.question: f.status for f in results().pulse(pulse).figures}
    assert figures[questions[0]] == SHOWN and figures[questions[3]] == NOT_ENOUGH


def test_rollup_minus_shown_teams_never_leaves_fewer_than_the_threshold(org):
    """A director's roll-up of a team of 6 and a team of 3: showing the 6 beside the roll-up of 9 would
    give the 3 away by subtraction, so the 6 is hidden too (the remainder rule)."""
    leader = org["leader"]
    big, _ = add_manager(leader, 6, name="big")
    small, _ = add_manager(leader, 3, name="small")
    big_pulse, small_pulse = run_pulse(big, [5] * 6), run_pulse(small, [1] * 3)
    r = results()
    assert r.rollup(leader).status == SHOWN and r.rollup(leader).figures[0].tally.n == 9
    assert r.window(series_of(small)).status == NOT_ENOUGH
    assert r.window(series_of(big)).status == NOT_ENOUGH  # hidden by the remainder rule
    assert r.pulse(big_pulse).status == NOT_ENOUGH and r.pulse(small_pulse).status == NOT_ENOUGH


def test_rollup_with_a_remainder_of_the_threshold_shows_the_teams(org):
    leader = org["leader"]
    teams = [add_manager(leader, 6, name=f"t{i}")[0] for i in range(3)]
    small, _ = add_manager(leader, 5, name="tsmall")
    for manager in teams:
        run_pulse(manager, [4] * 6)
    run_pulse(small, [2] * 4)  # 4: hidden; the remainder 4 < 5, so the smallest shown team goes too
    r = results()
    shown = [r.window(series_of(m)).status for m in teams]
    assert shown.count(SHOWN) == 2 and shown.count(NOT_ENOUGH) == 1
    total = r.rollup(leader).figures[0].tally
    visible = sum(r.window(series_of(m)).figures[0].tally.n for m in teams if r.window(series_of(m)).status == SHOWN)
    assert total.n - visible >= min_respondents()


def test_nested_rollups_apply_the_rule_at_every_level(org):
    """CSO > two directors > teams: the director with a team of 6 and one of 2 shows their roll-up of 8
    but not the 6 (8 - 6 would be the 2); the CSO's roll-up minus what is shown is 0 or >= T."""
    cso = PersonFactory(user=UserFactory(username="cso-n"), title="CSO")
    d1 = PersonFactory(manager=cso, user=UserFactory(username="d1-n"))
    d2 = PersonFactory(manager=cso, user=UserFactory(username="d2-n"))
    a, _ = add_manager(d1, 6, name="na")
    b, _ = add_manager(d1, 2, name="nb")
    c, _ = add_manager(d2, 7, name="nc")
    run_pulse(a, [4] * 6)
    run_pulse(b, [1] * 2)
    run_pulse(c, [3] * 7)
    r = results()
    total = r.rollup(cso).figures[0].tally.n
    q = bank()[0].pk
    shown_groups = [g for (g, question), v in r.visible.items() if v and question == q]
    assert ("rollup", cso.pk) in shown_groups
    assert ("rollup", d1.pk) in shown_groups and ("series", series_of(c).pk) in shown_groups
    assert ("series", series_of(a).pk) not in shown_groups and ("series", series_of(b).pk) not in shown_groups
    # everything shown inside the CSO's roll-up leaves a remainder of 0 or >= T
    frontier = r._frontier(("rollup", cso.pk), q)
    remainder = total - sum(r._n(g, q) for g in frontier)
    assert remainder == 0 or remainder >= min_respondents()


def test_small_team_gets_a_result_only_pooled_over_ninety_days(org):
    """A team of 7: 3 answered last month, 4 others this month. Neither pulse shows; the window does."""
    manager, _ = add_manager(org["leader"], 7, name="pool")
    questions = bank()
    last_month = run_pulse(manager, [5, 5, 5], closes_on=TODAY - 35 * DAY, questions=questions)
    this_month = services.pulse_schedule(
        subject=manager,
        opens_on=TODAY - 7 * DAY,
        closes_on=TODAY - DAY,
        questions=questions,
        by=None,
        today=TODAY - 7 * DAY,
    )
    invitations = list(this_month.invitations.select_related("person").order_by("pk"))[3:]
    for invitation in invitations:
        services.pulse_answer(pulse=this_month, person=invitation.person, answers={q.pk: 3 for q in questions})
    services.pulse_close(pulse=this_month)
    this_month.refresh_from_db()
    r = results()
    assert r.pulse(last_month).status == NOT_ENOUGH and r.pulse(this_month).status == NOT_ENOUGH
    window = r.window(series_of(manager))
    assert window.status == SHOWN and window.figures[0].tally.n == 7
    # 91 days on, only this month's 4 are in the window: nothing
    assert PulseResults(today=TODAY + 60 * DAY).window(series_of(manager)).status == NOT_ENOUGH


def test_window_counts_each_respondents_latest_answer(org):
    manager, _ = add_manager(org["leader"], 5, name="latest")
    run_pulse(manager, [1] * 5, closes_on=TODAY - 40 * DAY)
    run_pulse(manager, [5] * 5, closes_on=TODAY - 5 * DAY)
    tally = results().window(series_of(manager)).figures[0].tally
    assert tally.n == 5 and tally.mean == 5.0


def test_a_pulse_that_differs_from_its_window_by_fewer_than_the_threshold_is_hidden(org):
    """This month 6 answered, last month only a seventh person did: the window (7) minus this month's
    pulse (6) would be that one person, so the pulse is hidden and only the window shows."""
    manager, _ = add_manager(org["leader"], 7, name="diff")
    questions = bank()
    earlier = services.pulse_schedule(
        subject=manager,
        opens_on=TODAY - 40 * DAY,
        closes_on=TODAY - 35 * DAY,
        questions=questions,
        by=None,
        today=TODAY - 40 * DAY,
    )
    last = earlier.invitations.select_related("person").order_by("pk").last()
    services.pulse_answer(pulse=earlier, person=last.person, answers={q.pk: 1 for q in questions})
    services.pulse_close(pulse=earlier)
    recent = run_pulse(manager, [5] * 6, questions=questions)
    r = results()
    assert r.window(series_of(manager)).status == SHOWN
    assert r.pulse(recent).status == NOT_ENOUGH


def test_window_equal_to_its_pulse_shows_both(org):
    manager, _ = add_manager(org["leader"], 6, name="same")
    pulse = run_pulse(manager, [4] * 6)
    r = results()
    assert r.pulse(pulse).status == SHOWN and r.window(series_of(manager)).status == SHOWN


def test_comments_need_eight_commenters_and_a_shown_pulse(org):
    manager, _ = add_manager(org["leader"], 16, name="comments")
    seven = run_pulse(manager, [4] * 5, comments=[f"c{i}" for i in range(7)], closes_on=TODAY - 50 * DAY)
    eight = run_pulse(manager, [4] * 5, comments=[f"c{i}" for i in range(8)])
    r = results()
    assert r.comments(seven, r.pulse(seven)) is None
    assert sorted(r.comments(eight, r.pulse(eight))) == sorted(f"c{i}" for i in range(8))


def test_response_rate_is_a_band_and_only_with_enough_invited():
    assert response_band(invited=4, responded=4) is None
    assert response_band(invited=10, responded=7) == "60-79%"
    assert response_band(invited=6, responded=6) == "80-100%"


def test_enps_and_distribution(org):
    manager, _ = add_manager(org["leader"], 5, name="enps")
    questions = [*bank(3), PulseQuestion.objects.get(key="enps")]
    pulse = run_pulse(
        manager, [[4, 4, 4, 10], [4, 4, 4, 9], [4, 4, 4, 8], [4, 4, 4, 3], [4, 4, 4, 10]], questions=questions
    )
    enps = results().pulse(pulse).figures[3].tally
    assert enps.enps == 40 and dict(enps.distribution)[10] == 0.4


# -- the data itself ------------------------------------------------------------------------------

ANSWER_MODELS = (PulseAnswer, PulseComment)


def test_no_answer_table_has_a_link_to_a_person_or_a_time():
    for model in ANSWER_MODELS:
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
            if field.is_relation:
                assert field.related_model not in (Person, apps.get_model("auth", "User")), field
        assert isinstance(model._meta.pk, models.UUIDField)


def test_no_table_points_at_an_answer():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model not in ANSWER_MODELS, f"{model.__name__}.{field.name}"


def test_answers_are_not_in_answering_order_by_id_or_by_storage(org):
    """Ten people answer the 0-10 question in a known order (values 0..9): after close neither the keys
    nor the rows' physical order follow it (chance of either: 1 in 3.6 million)."""
    manager, sellers = add_manager(org["leader"], 10, name="order")
    enps = PulseQuestion.objects.get(key="enps")
    questions = [*bank(3), enps]
    pulse = services.pulse_schedule(
        subject=manager, opens_on=TODAY, closes_on=TODAY, questions=questions, by=None, today=TODAY
    )
    for value, seller in enumerate(sellers):
        services.pulse_answer(pulse=pulse, person=seller, answers={enps.pk: value}, comment=f"comment {value}")
    services.pulse_close(pulse=pulse)
    by_key = list(PulseAnswer.objects.filter(pulse=pulse).values_list("value", flat=True))
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = PulseAnswer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE pulse_id = %s ORDER BY {physical}", [pulse.pk])  # noqa: S608
        stored = [row[0] for row in cursor.fetchall()]
    assert sorted(by_key) == list(range(10))
    assert by_key != list(range(10)) and stored != list(range(10))
    comments = list(PulseComment.objects.filter(pulse=pulse).values_list("text", flat=True))
    assert comments != [f"comment {v}" for v in range(10)]


def test_who_answered_is_not_kept_once_the_pulse_closed(org):
    manager, sellers = add_manager(org["leader"], 6, name="who")
    pulse = run_pulse(manager, [4] * 5)
    assert (
        not pulse.invitations.exists()
        and not hasattr(pulse, "ballot_box")
        or not Pulse.objects.filter(pk=pulse.pk, ballot_box__isnull=False).exists()
    )
    from django.forms.models import model_to_dict

    # the pulse row holds counts only
    assert {k: v for k, v in model_to_dict(pulse).items() if k.endswith("count")} == {
        "invited_count": 6,
        "respondent_count": 5,
    }


def test_answer_tables_have_no_admin_page():
    from django.contrib import admin

    for model in (
        *ANSWER_MODELS,
        apps.get_model("coaching", "PulseInvitation"),
        apps.get_model("coaching", "PulseBallotBox"),
    ):
        assert not admin.site.is_registered(model)


def test_pulse_admin_pages_show_counts_not_answers(client, org):
    from django.urls import reverse

    from tests.enablement.factories import UserFactory as Users

    manager, _ = add_manager(org["leader"], 5, name="adm")
    pulse = run_pulse(manager, [4] * 5)
    respondent = PulseAnswer.objects.filter(pulse=pulse).values_list("respondent", flat=True).first()
    client.force_login(Users(username="root", is_staff=True, is_superuser=True))
    for url in (reverse("admin:coaching_pulse_changelist"), reverse("admin:coaching_pulse_change", args=[pulse.pk])):
        page = client.get(url)
        assert page.status_code == 200 and respondent not in page.content.decode()
