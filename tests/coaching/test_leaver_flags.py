"""A leaver's open coaching work, flagged for their manager's manager: terminating someone (one by one or
through the HR system's bulk sync) records what happened to it (`LeaverHandover`), the reminder sweep
tells the manager's manager once, and their leader page lists it under "Recently left"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import ActivityKind, CoachingPlan, CoachingTask, LeaverHandover
from coaching.reminders import LEAVER_WORK_FLAGGED, leaver_flags_still_open, leaver_work_summary
from coaching.services import plans as services
from enablement.accounts import roles
from enablement.api.clients.services import api_client_create
from enablement.models import Person, Reminder
from enablement.notifications.registry import get_kind
from enablement.notifications.services import reminders_sweep
from enablement.org.services import person_terminate
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/people/bulk/"
SUMMARY = (
    "Dana Okafor left: 3 coaching plans they led now have Sam Lee as coach (5 open tasks); "
    "1 plan of their own was archived"
)


def _due(days: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _task(plan: CoachingPlan, assignee: Person, *, state: str = CoachingTask.State.TODO) -> CoachingTask:
    task = services.task_add(
        plan=plan,
        title=f"Task {CoachingTask.objects.count()}",
        kind=ActivityKind.PRACTICE,
        assignee=assignee,
        due_on=_due(),
        by=None,
    )
    if state == CoachingTask.State.DONE:
        services.task_complete(task=task, by=None)
    elif state != CoachingTask.State.TODO:
        services.task_set_state(task=task, state=state, by=None)
    return task


def _coach(manager: Person, username: str, **names) -> Person:
    user = UserFactory(username=username, roles=[roles.SALES_MANAGER])
    return PersonFactory(user=user, manager=manager, title="Team Lead", **names)


def _with_open_work(coach: Person, manager: Person, *, reports: int = 3) -> list[CoachingPlan]:
    """`coach` coaches a plan for each of `reports` new reports (all active but the last, a draft) and has an
    active plan of their own, coached by `manager`. Returns the plans they coach."""
    plans = []
    for number in range(reports):
        seller = PersonFactory(user=UserFactory(username=f"{coach.user.username}-rep{number}"), manager=coach)
        plan = services.plan_create(coachee=seller, coach=coach, by=coach.user)
        if number < reports - 1:
            services.plan_activate(plan=plan, by=coach.user)
        plans.append(plan)
    own = services.plan_create(coachee=coach, coach=manager, by=manager.user)
    services.plan_activate(plan=own, by=manager.user)
    return plans


@pytest.fixture
def dana(org):
    """Dana Okafor, a team lead below Sam Lee (`owner`), who is below `leader`. Dana coaches three plans
    (two active, one draft) holding 5 open tasks (one of them Dana's own, as coach) besides a done and a
    cancelled one, and an archived plan; Dana's own active plan is coached by Sam."""
    sam = org["owner"]
    sam.first_name, sam.last_name = "Sam", "Lee"
    sam.save(update_fields=["first_name", "last_name"])
    dana = _coach(sam, "dana", first_name="Dana", last_name="Okafor")
    first, second, draft = _with_open_work(dana, sam)
    _task(first, first.coachee)
    _task(first, first.coachee)
    _task(first, first.coachee, state=CoachingTask.State.DONE)
    _task(first, dana)  # Dana's, as coach: Sam takes it over
    _task(second, second.coachee, state=CoachingTask.State.IN_PROGRESS)
    _task(second, second.coachee, state=CoachingTask.State.CANCELLED)
    _task(draft, draft.coachee)
    services.plan_archive(plan=services.plan_create(coachee=second.coachee, coach=dana, by=None), by=None)
    return dana


@pytest.fixture
def hris(hr_admin):
    """The HR system's client, with HR-admin rights (as in tests/enablement/test_people_api.py)."""
    _client, token = api_client_create(
        name="Workday", scopes=["people:read", "people:write"], by=hr_admin, hr_admin=True
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _bulk_terminate(client: APIClient, *people: Person) -> dict:
    rows = [{"external_id": person.external_id, "employment_status": "terminated"} for person in people]
    response = client.post(BULK, {"people": rows}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _sweep() -> list[Reminder]:
    reminders_sweep(kind=get_kind(LEAVER_WORK_FLAGGED))
    return list(Reminder.objects.filter(kind=LEAVER_WORK_FLAGGED).order_by("pk"))


def _assert_dana_flagged_for_leader(dana: Person, org) -> None:
    handover = LeaverHandover.objects.get()
    assert (handover.leaver, handover.successor, handover.flag_for) == (dana, org["owner"], org["leader"])
    assert (handover.plans_handed_over, handover.open_tasks, handover.own_plans_archived) == (3, 5, 1)
    assert set(CoachingPlan.objects.filter(coach=dana).values_list("state", flat=True)) == {"archived"}
    assert CoachingPlan.objects.filter(coach=org["owner"], state__in=["draft", "active"]).count() == 3
    assert not CoachingTask.objects.filter(assignee=dana, state__in=["todo", "in_progress"]).exists()

    (reminder,) = _sweep()
    assert (reminder.recipient, reminder.subject, reminder.url) == (org["leader"], SUMMARY, reverse("coaching:heatmap"))
    assert reminder.message.startswith(SUMMARY + ". Their open coaching work is flagged for you")
    assert _sweep() == [reminder]  # once, however often the sweep runs


# -- recording what happened ------------------------------------------------------------------------------


def test_terminating_a_coach_flags_their_work_for_the_managers_manager(dana, org):
    person_terminate(person=dana)

    _assert_dana_flagged_for_leader(dana, org)


def test_the_bulk_sync_terminating_a_coach_flags_their_work_for_the_managers_manager(hris, dana, org):
    body = _bulk_terminate(hris, dana)

    assert body["summary"]["updated"] == 1
    _assert_dana_flagged_for_leader(dana, org)


def test_a_leaver_without_open_work_is_not_flagged(org, dana):
    done = services.plan_create(coachee=org["seller"], coach=org["peer"], by=None)
    services.plan_archive(plan=done, by=None)

    person_terminate(person=org["seller"])
    person_terminate(person=org["peer_seller"])

    assert not LeaverHandover.objects.exists()
    assert _sweep() == []


def test_without_a_managers_manager_the_successor_is_told_as_the_new_coach(org):
    """`owner` reports to `leader`, who reports to nobody: the leader takes the plans over and is told."""
    owner, leader = org["owner"], org["leader"]
    services.plan_create(coachee=org["seller"], coach=owner, by=owner.user)

    person_terminate(person=owner)

    handover = LeaverHandover.objects.get()
    assert (handover.successor, handover.flag_for, handover.plans_handed_over, handover.open_tasks) == (
        leader,
        leader,
        1,
        0,
    )
    (reminder,) = _sweep()
    assert reminder.recipient == leader
    assert reminder.subject == f"{owner} left: 1 coaching plan they led now has you as coach (0 open tasks)"


def test_when_the_manager_left_too_the_managers_manager_takes_over_and_is_told(dana, org):
    person_terminate(person=org["owner"])  # Sam coached Dana's own plan: it goes to the leader
    LeaverHandover.objects.all().delete()

    person_terminate(person=dana)

    handover = LeaverHandover.objects.get()
    assert (handover.successor, handover.flag_for, handover.plans_handed_over) == (org["leader"], org["leader"], 3)


def test_a_managers_manager_who_left_is_not_flagged_the_successor_is(dana, org):
    top = PersonFactory(user=UserFactory(username="top", roles=[roles.SALES_LEADER]))
    leader = org["leader"]
    leader.manager = top
    leader.save(update_fields=["manager"])
    person_terminate(person=leader)
    LeaverHandover.objects.all().delete()

    person_terminate(person=dana)

    handover = LeaverHandover.objects.get()
    assert (handover.successor, handover.flag_for) == (org["owner"], org["owner"])
    (reminder,) = _sweep()
    assert reminder.recipient == org["owner"] and "now have you as coach" in reminder.subject
    assert reminder.url == reverse("coaching:team")  # Sam is no sales leader: the Coaching page


def test_the_bulk_sync_runs_a_fixed_number_of_queries_per_leaver(hris, org):
    """Every leaver with the same work costs the same queries: the third as many as the second."""
    coaches = [_coach(org["owner"], f"coach{number}") for number in range(7)]
    for coach in coaches:
        (plan,) = _with_open_work(coach, org["owner"], reports=1)
        _task(plan, plan.coachee)
    _bulk_terminate(hris, coaches[0])  # caches warmed
    counts = []
    for batch in (coaches[1:2], coaches[2:4], coaches[4:7]):
        with CaptureQueriesContext(connection) as queries:
            _bulk_terminate(hris, *batch)
        counts.append(len(queries.captured_queries))

    assert counts[2] - counts[1] == counts[1] - counts[0]
    assert LeaverHandover.objects.filter(plans_handed_over=1, open_tasks=1, own_plans_archived=1).count() == 7


# -- the reminder -----------------------------------------------------------------------------------------


def test_the_flag_stays_open_while_the_handover_is_recent_and_its_recipient_employed(dana, org):
    person_terminate(person=dana)
    handover = LeaverHandover.objects.get()
    assert leaver_flags_still_open({handover.pk}) == {handover.pk}

    LeaverHandover.objects.filter(pk=handover.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert leaver_flags_still_open({handover.pk}) == set()
    assert _sweep() == []  # too old to be flagged now


def test_the_flag_is_not_sent_to_a_recipient_without_an_active_login(dana, org):
    person_terminate(person=dana)
    org["leader"].user.is_active = False
    org["leader"].user.save(update_fields=["is_active"])

    assert _sweep() == []


def test_the_summary_says_what_happened_to_each_kind_of_work(org):
    own_only = LeaverHandover(leaver=org["seller"], own_plans_archived=2)
    assert leaver_work_summary(own_only) == f"{org['seller']} left: 2 plans of their own were archived"
    handed = LeaverHandover(leaver=org["owner"], successor=org["leader"], plans_handed_over=1, open_tasks=1)
    assert leaver_work_summary(handed, reader=org["peer"]) == (
        f"{org['owner']} left: 1 coaching plan they led now has {org['leader']} as coach (1 open task)"
    )


# -- the leader's page ------------------------------------------------------------------------------------


def _recently_left(page: str) -> str:
    return page.split('data-testid="recently-left"')[1].split("</table>")[0]


def test_the_leader_page_lists_who_left_below_them_and_where_their_work_went(client, dana, org):
    person_terminate(person=dana)
    other_leader = PersonFactory(user=UserFactory(username="other-leader", roles=[roles.SALES_LEADER]))
    org["outsider"].manager = other_leader
    org["outsider"].save(update_fields=["manager"])

    client.force_login(org["leader"].user)
    response = client.get(reverse("coaching:heatmap"))

    assert response.status_code == 200
    box = _recently_left(response.content.decode())
    assert f'data-person="{dana.pk}"' in box
    assert "Dana Okafor" in box and "Sam Lee" in box
    assert '<td class="text-end" data-testid="plans-handed-over">3</td>' in box
    assert '<td class="text-end" data-testid="open-tasks">5</td>' in box
    assert '<td class="text-end" data-testid="own-plans-archived">1</td>' in box

    client.force_login(other_leader.user)
    response = client.get(reverse("coaching:heatmap"))
    assert response.status_code == 200
    assert "Dana Okafor" not in _recently_left(response.content.decode())


def test_the_leader_page_leaves_out_handovers_older_than_30_days(client, dana, org):
    person_terminate(person=dana)
    LeaverHandover.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))

    client.force_login(org["leader"].user)
    box = _recently_left(client.get(reverse("coaching:heatmap")).content.decode())

    assert "Dana Okafor" not in box and "left recently" in box


def test_the_leader_page_runs_a_bounded_number_of_queries_whatever_the_number_of_leavers(
    client, dana, org, django_assert_max_num_queries
):
    person_terminate(person=dana)
    url = reverse("coaching:heatmap")
    client.force_login(org["leader"].user)
    client.get(url)  # the session warmed
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for number in range(8):
        leaver = _coach(org["owner"], f"leaver{number}")
        _with_open_work(leaver, org["owner"], reports=1)
        person_terminate(person=leaver)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()

    assert _recently_left(page).count("data-handover=") == 9


@pytest.mark.parametrize(
    ("recipient", "page"),
    [("leader", "heatmap"), ("owner", "team"), ("coach", "team"), ("peer_seller", "my-development")],
)
def test_the_flag_links_to_the_best_page_its_recipient_may_open(client, org, recipient, page):
    """Whoever a leaver's work is flagged for, the link is the page the coaching policy opens to them: the
    heatmap for a sales leader over someone, Coaching for whoever manages or coaches, else My development."""
    if recipient == "coach":  # `seller` manages nobody but coaches a plan
        services.plan_create(coachee=org["peer_seller"], coach=org["seller"], by=None)
    person = org["seller"] if recipient == "coach" else org[recipient]
    LeaverHandover.objects.create(leaver=org["outsider_seller"], flag_for=person, own_plans_archived=1)

    (reminder,) = _sweep()

    assert reminder.url == reverse(f"coaching:{page}")
    client.force_login(person.user)
    assert client.get(reminder.url).status_code == 200
    better = ["heatmap", "team"][: ["heatmap", "team", "my-development"].index(page)]
    assert [client.get(reverse(f"coaching:{name}")).status_code for name in better] == [403] * len(better)
