"""Upward pulses: the managers who report to a director, and the directors who report to the CSO, answer
the same pulse about their own leader under the same rules; the leader sees the results (and the leader
above them too), acts on them, and can turn them into goals and tasks in their own coaching plan."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coaching.models import FeedbackAction, Goal, PulseSeries
from coaching.pulse import selectors, services
from coaching.pulse.question_bank import CHECK_BACK_KEY
from coaching.pulse.selectors import NOT_ENOUGH, SHOWN, PulseResults
from coaching.services.plans import plan_create
from enablement.accounts import roles
from tests.coaching.pulse.conftest import add_manager, bank, run_pulse
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()  # noqa: DTZ011 - the pages use the local day
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sales_org(db):
    """cso ── director (six managers with two sellers each, and one seller of their own)
    └─ director_b, director_c (one manager each)"""
    cso = PersonFactory(title="Chief Sales Officer", user=UserFactory(username="cso", roles=[roles.SALES_LEADER]))
    director, direct_seller = add_manager(cso, 1, name="director")
    managers = [add_manager(director, 2, name=f"m{i}")[0] for i in range(6)]
    others = [add_manager(cso, 0, name=f"director_{x}")[0] for x in "bc"]
    for other in others:
        add_manager(other, 2, name=f"{other.user.username}-m")
    return {
        "cso": cso,
        "director": director,
        "managers": managers,
        "direct_seller": direct_seller[0],
        "directors": [director, *others],
    }


def upward(subject, answers, **extra):
    return run_pulse(subject, answers, kind=PulseSeries.Kind.UPWARD, closes_on=TODAY - DAY, **extra)


def test_the_managers_reporting_to_a_director_are_asked_about_them(sales_org):
    director = sales_org["director"]
    pulse = services.pulse_schedule(
        subject=director,
        opens_on=TODAY,
        closes_on=TODAY + DAY,
        questions=bank(),
        by=director.user,
        kind=PulseSeries.Kind.UPWARD,
    )
    asked = set(pulse.invitations.values_list("person", flat=True))
    assert asked == {manager.pk for manager in sales_org["managers"]}  # not the seller reporting to them
    assert pulse.series.kind == PulseSeries.Kind.UPWARD and pulse.series.subject == director


def test_the_directors_reporting_to_the_cso_are_asked_about_the_cso(sales_org):
    cso = sales_org["cso"]
    pulse = services.pulse_schedule(
        subject=cso, opens_on=TODAY, closes_on=TODAY + DAY, questions=bank(), by=cso.user, kind=PulseSeries.Kind.UPWARD
    )
    assert set(pulse.invitations.values_list("person", flat=True)) == {d.pk for d in sales_org["directors"]}


def test_a_leader_schedules_their_own_upward_pulse_on_the_page(client, sales_org):
    director = sales_org["director"]
    client.force_login(director.user)
    response = client.post(
        reverse("coaching:pulse-schedule"),
        {
            "subject": director.pk,
            "kind": "upward",
            "opens_on": TODAY,
            "closes_on": TODAY + 7 * DAY,
            "questions": [q.pk for q in bank()],
        },
    )
    assert response.status_code == 302
    manager = sales_org["managers"][0]
    client.force_login(manager.user)
    home = client.get(reverse("coaching:pulse-home"))
    assert [pulse.series.subject for pulse in home.context["to_answer"]] == [director]


def test_upward_results_follow_the_same_threshold(sales_org):
    director = sales_org["director"]
    four = upward(director, [4] * 4)
    assert PulseResults().pulse(four).status == NOT_ENOUGH
    about_cso = upward(sales_org["cso"], [4, 5, 4])  # three directors: never enough
    assert PulseResults().pulse(about_cso).status == NOT_ENOUGH
    assert PulseResults().pulse(upward(director, [4] * 5)).status == SHOWN


def test_the_leader_and_the_leader_above_see_upward_results_the_managers_do_not(client, sales_org):
    director, cso = sales_org["director"], sales_org["cso"]
    pulse = upward(director, [4, 5, 4, 3, 5])
    for viewer in (director, cso):
        client.force_login(viewer.user)
        page = client.get(reverse("coaching:pulse-detail", args=[pulse.pk]))
        assert page.status_code == 200 and page.context["result"].status == SHOWN, viewer
        assert client.get(reverse("coaching:pulse-series", args=[pulse.series_id])).status_code == 200
    for viewer in (sales_org["managers"][0], sales_org["direct_seller"], sales_org["directors"][1]):
        client.force_login(viewer.user)
        assert client.get(reverse("coaching:pulse-series", args=[pulse.series_id])).status_code == 404
        page = client.get(reverse("coaching:pulse-detail", args=[pulse.pk]))
        assert page.status_code == 404 or page.context["result"] is None, viewer


def test_upward_answers_stay_out_of_every_rollup(sales_org):
    director, cso = sales_org["director"], sales_org["cso"]
    for manager in sales_org["managers"][:3]:
        run_pulse(manager, [4, 4], closes_on=TODAY - DAY)  # 6 team answers below the director
    upward(director, [1] * 6)
    results = PulseResults()
    for leader in (director, cso):
        figure = results.rollup(leader).figures[0]
        assert figure.status == SHOWN and figure.tally.n == 6 and figure.tally.mean == 4.0, leader


def test_the_api_gives_the_leader_their_upward_result(sales_org):
    director = sales_org["director"]
    pulse = upward(director, [4, 5, 4, 3, 5])
    api = APIClient()
    api.force_login(director.user)
    rows = api.get(reverse("pulse-series-list")).json()["results"]
    mine = [row for row in rows if row["kind"] == "upward"]
    assert [(row["id"], row["subject"]["id"], row["window"]["status"]) for row in mine] == [
        (pulse.series_id, director.pk, SHOWN)
    ]
    api.force_login(sales_org["managers"][0].user)
    assert api.get(reverse("pulse-detail", args=[pulse.pk])).status_code == 404


def test_the_leader_turns_an_upward_result_into_a_goal_in_their_own_plan(client, sales_org):
    """Given the director's released upward pulse and their own coaching plan, when they act on one
    question with the plan, then the plan has a goal (on that question's competency) and a task, and the
    managers who were asked see the action; the next upward pulse asks whether it happened."""
    director, cso = sales_org["director"], sales_org["cso"]
    plan = plan_create(coachee=director, coach=cso, by=cso.user, title="Director development")
    pulse = upward(director, [2, 3, 2, 3, 2])
    question = pulse.questions.order_by("position").first()
    client.force_login(director.user)
    detail = client.get(reverse("coaching:pulse-detail", args=[pulse.pk]))
    assert list(detail.context["action_form"].fields["plan"].queryset) == [plan]
    response = client.post(
        reverse("coaching:pulse-action-add", args=[pulse.pk]),
        {
            "question": question.pk,
            "you_said": "Our 1:1s get cancelled",
            "we_will": "Keep every fortnightly 1:1",
            "owner": director.pk,
            "due_on": TODAY + 30 * DAY,
            "plan": plan.pk,
        },
    )
    assert response.status_code == 302
    action = FeedbackAction.objects.get(pulse=pulse)
    assert action.goal.plan == plan and action.task.plan == plan and action.task.assignee == director
    assert Goal.objects.get(plan=plan).title == "Keep every fortnightly 1:1"
    assert action.goal.competency == question.competency

    manager = sales_org["managers"][0]
    client.force_login(manager.user)
    assert (
        "Keep every fortnightly 1:1" in client.get(reverse("coaching:pulse-detail", args=[pulse.pk])).content.decode()
    )
    assert pulse in selectors.pulses_of_my_team(manager)

    following = services.pulse_schedule(
        subject=director,
        opens_on=TODAY,
        closes_on=TODAY + DAY,
        questions=bank(),
        by=director.user,
        kind=PulseSeries.Kind.UPWARD,
    )
    assert following.check_back == action
    assert following.questions.filter(key=CHECK_BACK_KEY).exists()


def test_only_the_leader_acts_on_their_upward_pulse_and_only_with_their_own_plan(client, sales_org):
    director, cso = sales_org["director"], sales_org["cso"]
    pulse = upward(director, [2, 3, 2, 3, 2])
    cso_plan = plan_create(coachee=cso, coach=director, by=None, title="Not the director's")
    client.force_login(cso.user)  # the leader above sees the results but does not act for them
    body = {"you_said": "x", "we_will": "y", "owner": director.pk, "due_on": TODAY + DAY}
    assert client.post(reverse("coaching:pulse-action-add", args=[pulse.pk]), body).status_code == 404
    client.force_login(director.user)
    client.post(reverse("coaching:pulse-action-add", args=[pulse.pk]), {**body, "plan": cso_plan.pk})
    assert not FeedbackAction.objects.exists()
