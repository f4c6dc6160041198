import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from enablement.models import Person
from managers.models import Acknowledgement, CharterEvent, CharterVersion, MetricReading, Role, RoleAssignment
from managers.periods import period_start
from managers.selectors.charters import AT_RISK, OFF_TRACK, ON_TRACK, metric_statuses_for, published_charter_of
from managers.services.charters import role_assign

pytestmark = pytest.mark.django_db

ENTERPRISE, COMMERCIAL = "fsm-enterprise", "fsm-commercial"


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(demo):
    return demo.output


def _manager(number: int) -> Person:
    return Person.objects.get(user__username=f"manager{number}")


def test_seed_demo_builds_two_roles_with_published_charters(demo_output):
    enterprise, commercial = Role.objects.get(code=ENTERPRISE), Role.objects.get(code=COMMERCIAL)
    assert enterprise.name == "Frontline Sales Manager, Enterprise"
    assert commercial.name == "Frontline Sales Manager, Commercial"
    for role, director in ((enterprise, "director1"), (commercial, "director2")):
        charter = published_charter_of(role=role)
        assert charter.published_by.username == director
        assert 0 < sum(area.time_share for area in charter.focus_areas.all()) <= 100
        assert {metric.name for metric in charter.metrics.all()} == {
            "Team quota attainment",
            "New-seller ramp time",
            "Seller retention (trailing 12 months)",
            "Coaching hours per seller per month",
        }
        assert all(item.reason and item.hand_off_to for item in charter.deprioritized.all())
        assert {item.kind for item in charter.support_items.all()} == {"tool", "partner", "resource"}
        assert not role.versions.filter(status=CharterVersion.Status.DRAFT).exists()
    assert published_charter_of(role=enterprise).number == 2
    assert published_charter_of(role=commercial).number == 1
    assert set(commercial.versions.values_list("number", "status")) == {(1, "published")}


def test_seed_demo_assigns_six_managers_to_each_role(demo_output):
    for code, numbers in ((ENTERPRISE, range(1, 7)), (COMMERCIAL, range(7, 13))):
        holders = RoleAssignment.objects.filter(role__code=code, ended_on__isnull=True)
        assert sorted(holders.values_list("person__user__username", flat=True)) == sorted(
            f"manager{number}" for number in numbers
        )


def test_seed_demo_enterprise_v2_changes_what_v1_said(demo_output):
    role = Role.objects.get(code=ENTERPRISE)
    v1, v2 = role.versions.get(number=1), role.versions.get(number=2)
    assert v1.status == CharterVersion.Status.RETIRED
    shares = {version.number: dict(version.focus_areas.values_list("title", "time_share")) for version in (v1, v2)}
    assert shares[1] != shares[2]
    assert v2.deprioritized.count() == v1.deprioritized.count() + 1
    # The same metrics carry over, so readings recorded under either version are one history.
    assert set(v1.metrics.values_list("key", flat=True)) == set(v2.metrics.values_list("key", flat=True))


def test_seed_demo_most_managers_acknowledged_with_questions_and_an_answer(demo_output):
    enterprise = published_charter_of(role=Role.objects.get(code=ENTERPRISE))
    commercial = published_charter_of(role=Role.objects.get(code=COMMERCIAL))
    v1 = enterprise.role.versions.get(number=1)
    # manager6 never acknowledged v1: publishing v2 withdrew that request and asked for v2 instead.
    for version, acknowledged, pending in ((v1, 5, 0), (enterprise, 5, 1), (commercial, 4, 2)):
        requests = Acknowledgement.objects.filter(version=version)
        assert requests.filter(acknowledged_at__isnull=False).count() == acknowledged
        assert requests.filter(acknowledged_at__isnull=True).count() == pending
    done = Acknowledgement.objects.filter(acknowledged_at__isnull=False)
    ratings = set(done.values_list("clarity_focus", flat=True)) | set(done.values_list("clarity_success", flat=True))
    assert ratings == {3, 4, 5}
    assert Acknowledgement.objects.filter(version=enterprise).exclude(question="").count() == 2
    answered = Acknowledgement.objects.exclude(answer="").get()
    assert (answered.version, answered.answered_by.username) == (enterprise, "director1")
    # manager1 acknowledged v1 but not v2: "what changed since I last acknowledged" has something to show.
    assert Acknowledgement.objects.get(person=_manager(1), version=enterprise).is_pending


def test_seed_demo_records_past_readings_some_on_track_some_not(demo_output):
    today = timezone.localdate()
    readings = MetricReading.objects.all()
    # Per manager: 6 monthly readings of two metrics and 2 quarterly readings of two.
    assert readings.count() == 12 * (6 * 2 + 2 * 2)
    assert not readings.filter(period__gte=period_start(today, "monthly")).exists()
    assert all(reading.period == period_start(reading.period, reading.metric.cadence) for reading in readings)
    assert readings.exclude(note="").exists()
    statuses = set()
    for number, code in ((1, ENTERPRISE), (3, ENTERPRISE), (10, COMMERCIAL), (11, COMMERCIAL)):
        charter = published_charter_of(role=Role.objects.get(code=code))
        statuses |= {status.status for status in metric_statuses_for(person=_manager(number), version=charter)}
    assert {ON_TRACK, AT_RISK, OFF_TRACK} <= statuses
    quota = readings.filter(person=_manager(1), metric__name="Team quota attainment").order_by("period")
    assert quota.last().value == Decimal("106.0")


def test_seed_demo_second_run_changes_nothing(demo_output):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Role, RoleAssignment, CharterVersion, Acknowledgement, MetricReading)
        } | {"events": CharterEvent.objects.count()}

    before = snapshot()
    second_output = _seed()
    assert snapshot() == before
    assert second_output == demo_output


def test_seed_demo_prints_the_charters(demo_output):
    assert "Frontline Sales Manager, Enterprise (fsm-enterprise): v2 published by Marcus Chen" in demo_output
    assert "Frontline Sales Manager, Commercial (fsm-commercial): v1 published by Priya Raman" in demo_output
    assert "5 of 6 acknowledged" in demo_output
    assert "Metric readings: 192" in demo_output


def test_seed_demo_leaves_a_manager_moved_to_another_role_alone(demo_output):
    # Given manager12 moved to the Enterprise role in the app
    manager = _manager(12)
    director = Person.objects.get(user__username="director1").user
    enterprise = Role.objects.get(code=ENTERPRISE)
    role_assign(person=manager, role=enterprise, on=timezone.localdate(), by=director)
    # When the demo is seeded again
    _seed()
    # Then they keep the role they were given
    assert RoleAssignment.objects.get(person=manager, ended_on__isnull=True).role == enterprise
