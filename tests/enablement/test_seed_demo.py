import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from enablement.accounts import roles
from enablement.models import Person, Team
from enablement.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_realistic_org(demo):
    users = get_user_model().objects
    assert Person.objects.filter(title="Chief Sales Officer").count() == 1
    assert Person.objects.filter(title__startswith="Sales Director").count() == 2
    assert Person.objects.filter(title__startswith="Frontline Sales Manager").count() == 12
    assert Person.objects.filter(manager__title__startswith="Frontline Sales Manager").count() == 84
    assert users.filter(groups__name=roles.SALES_LEADER).count() == 3
    assert users.filter(groups__name=roles.SALES_MANAGER).count() == 12
    assert users.get(username="hradmin").is_staff
    assert Team.objects.get(name="Sales").lead.user.username == "cso"
    leavers = Person.objects.filter(employment_status=Person.EmploymentStatus.TERMINATED)
    assert leavers.exists() and not leavers.filter(user__is_active=True).exists()
    assert Person.objects.values("email").distinct().count() == Person.objects.count()


def test_seed_demo_run_twice_changes_nothing(demo):
    before = sorted(Person.objects.values_list("external_id", "updated_at"))
    user_count = get_user_model().objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Person.objects.values_list("external_id", "updated_at")) == before
    assert get_user_model().objects.count() == user_count


def test_seed_demo_prints_the_sign_ins(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for username in ("cso", "director1", "director2", "manager1", "manager12", "recruiter", "hradmin"):
        assert username in output
    assert "password: demo" in output


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("cso", "coaching:impact"),
        ("manager1", "managers:my-charter"),  # v2 of their charter waits for their acknowledgement
        ("manager2", "coaching:team"),
        ("recruiter", "managers:hiring-home"),
    ],
)
def test_demo_users_sign_in_with_demo_and_land_home(client, demo, username, home):
    response = client.post(reverse("login"), {"username": username, "password": "demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_seed_demo_runs_registered_steps_after_the_org_in_order(monkeypatch, capsys):
    # Given two steps registered after the apps' own, one printing nothing
    monkeypatch.setattr(org_demo, "_steps", list(org_demo.demo_steps()))
    calls = []

    def first():
        calls.append(("first", Person.objects.filter(title="Chief Sales Officer").exists()))
        return ["First step ready."]

    def second():
        calls.append(("second", True))

    org_demo.register_demo_step("test.first", first)
    org_demo.register_demo_step("test.second", second)
    org_demo.register_demo_step("test.first", second)  # a name registered twice keeps its first step
    # When the demo is seeded
    call_command("seed_demo")
    # Then each step ran once, in order, with the org already there, and its lines were printed
    assert calls == [("first", True), ("second", True)]
    assert [step.name for step in org_demo.demo_steps()][-2:] == ["test.first", "test.second"]
    output = capsys.readouterr().out
    assert output.index("hradmin") < output.index("First step ready.")


def test_seed_demo_registers_the_charters_step():
    assert "managers.charters" in [step.name for step in org_demo.demo_steps()]


def test_seed_demo_fills_the_inboxes_with_real_reminders(demo):
    from enablement.models import Reminder

    def kinds_of(username: str) -> set[str]:
        return set(Reminder.objects.filter(recipient__user__username=username).values_list("kind", flat=True))

    assert "charter.acknowledgement_leader_reminder" in kinds_of("manager1")  # director1's Remind
    assert "charter.acknowledgement_pending" in kinds_of("manager11")
    assert "charter.acknowledgement_escalation" in kinds_of("director2")  # manager12, 8 days
    assert Reminder.objects.filter(kind="charter.question_answered").exists()
    for username in ("director1", "manager3", "seller1", "revops", "vp_revops"):
        assert kinds_of(username), username
    count = Reminder.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Reminder.objects.count() == count


def test_seed_demo_says_which_managers_interview(capsys, demo):
    call_command("seed_demo")
    output = capsys.readouterr().out
    line = next(line for line in output.splitlines() if "Interviewers" in line)
    assert "manager8 (Oscar Demir: 1 scorecard to submit)" in line and "manager4" in line
    assert "Inbox:" in output
