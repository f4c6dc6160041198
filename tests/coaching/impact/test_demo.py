"""The Manager impact demo step (`coaching.impact.demo`) in the demo as `seed_demo` builds it (the org, charters,
hiring and coaching before it): support ratings for every manager (the CRM low on one role, one partner at 2), nine
support requests across states and ages with two unanswered past due and escalated, 1:1s that tell the
managers apart, and a Manager impact page that shows a CSO where to act; run twice, it changes nothing."""

from statistics import mean

import pytest
from django.urls import reverse

from coaching.impact.demo import seed_impact_demo
from coaching.impact.selectors import impact_managers_for, manager_impacts
from enablement.models import Person, Reminder
from managers.models import SupportRating, SupportRequest
from managers.support_reminders import ESCALATION_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_lines(demo):
    """What the step printed when `seed_demo` ran it."""
    return demo.step_lines["coaching.impact"]


def _scores(role_code: str, item: str) -> list[int]:
    return list(SupportRating.objects.filter(role__code=role_code, item_name=item).values_list("score", flat=True))


def test_every_manager_rated_their_support_with_the_crm_low_on_one_role(demo_lines):
    assert SupportRating.objects.values("person").distinct().count() == 12
    assert mean(_scores("fsm-enterprise", "Salesforce")) <= 2.5
    assert mean(_scores("fsm-commercial", "Salesforce")) >= 3
    assert set(_scores("fsm-commercial", "Kofi Asante")) == {2}


def test_requests_cover_every_state_and_two_are_escalated(demo_lines):
    requests = SupportRequest.objects.all()
    assert 8 <= requests.count() <= 10
    assert set(requests.values_list("state", flat=True)) == set(SupportRequest.State.values)
    assert requests.filter(confirmed_fixed_at__isnull=False).count() == 1
    assert requests.filter(reopen_count=1, state="open").count() == 1
    escalated = Reminder.objects.filter(kind=ESCALATION_KIND)
    assert escalated.values("target_id").distinct().count() == 2
    cpq = requests.get(title="CPQ approvals take five days")
    recipients = {reminder.recipient.user.username for reminder in escalated.filter(target_id=cpq.pk)}
    assert recipients == {"vp_revops", "director1"}
    assert cpq.owner.user.username == "revops" and cpq.support_item.name == "Rachel Kim"


def test_the_cso_sees_where_to_act(demo_lines, client):
    cso = Person.objects.get(user__username="cso")
    impacts = manager_impacts(impact_managers_for(user=cso.user))
    assert len(impacts) == 12
    meets = [impact.performance.meets for impact in impacts]
    assert True in meets and False in meets
    texts = [flag.text for impact in impacts for flag in impact.flags]
    assert any(text.startswith("support request open 23 days") for text in texts)
    assert any("rates “Salesforce”" in text for text in texts)
    coverage = {impact.manager.user.username: impact.skills.team_with_conversation for impact in impacts}
    assert coverage["manager4"] < coverage["manager5"]
    client.force_login(cso.user)
    response = client.get(
        reverse("coaching:impact"), {"director": cso.direct_reports.get(user__username="director1").pk}
    )
    assert response.status_code == 200 and "CPQ approvals" not in response.content.decode()
    assert reverse("managers:support-detail", args=[SupportRequest.objects.get(title__startswith="CPQ").pk]) in (
        response.content.decode()
    )


def _written() -> tuple:
    return (
        sorted(SupportRequest.objects.values_list("pk", "updated_at")),
        sorted(SupportRating.objects.values_list("pk", "updated_at")),
        Reminder.objects.count(),
        Person.objects.count(),
    )


def test_running_it_again_changes_nothing(demo_lines):
    before = _written()
    assert tuple(seed_impact_demo()) == demo_lines
    assert demo_lines and _written() == before
