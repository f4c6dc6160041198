"""The hiring demo step (`managers.demo.hiring`), run on the demo org as `seed_demo` runs it: the org,
the charter step, then this step."""

import pytest
from django.utils import timezone

from enablement.accounts import roles
from enablement.models import Person
from enablement.org.demo import seed_demo_org
from managers.demo.charters import seed_charters_demo
from managers.demo.hiring import seed_hiring_demo
from managers.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Competency,
    Interview,
    InterviewFocus,
    InterviewStage,
    Requisition,
    Role,
    RoleCompetency,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from managers.selectors.hiring import application_list, candidate_profiles
from managers.services.competencies import role_requirements_save

pytestmark = pytest.mark.django_db

ROLE_CODES = ("fsm-enterprise", "fsm-commercial")
TIMESTAMPED = (
    Competency,
    RoleCompetency,
    Requisition,
    InterviewStage,
    InterviewFocus,
    Candidate,
    Application,
    Interview,
    Scorecard,
    ScorecardRating,
)


@pytest.fixture(scope="module")
def demo_lines(module_db):
    seed_demo_org()
    seed_charters_demo()
    return seed_hiring_demo()


def _snapshot() -> dict:
    return {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in TIMESTAMPED} | {
        "events": ApplicationEvent.objects.count(),
        "amendments": ScorecardAmendment.objects.count(),
        "roles": Role.objects.count(),
        "people": Person.objects.count(),
    }


def test_seed_hiring_demo_loads_the_framework_and_requirements_per_role(demo_lines):
    competencies = Competency.objects.all()
    assert competencies.count() == 12
    assert all(all(text.strip() for _level, text in competency.anchors) for competency in competencies)
    weights = {}
    for code in ROLE_CODES:
        requirements = RoleCompetency.objects.filter(role__code=code)
        assert 5 <= requirements.count() <= 7
        assert all(2 <= row.required_level <= 4 and 1 <= row.weight <= 5 for row in requirements)
        weights[code] = dict(requirements.values_list("competency__key", "weight"))
    assert weights["fsm-enterprise"]["business-acumen"] > weights["fsm-commercial"].get("business-acumen", 0)
    assert weights["fsm-commercial"]["coaching"] > weights["fsm-enterprise"]["coaching"]
    # The roles are the charter demo's, not copies of them.
    assert Role.objects.count() == 2


def test_seed_hiring_demo_opens_two_requisitions_whose_plans_cover_the_role(demo_lines):
    requisitions = Requisition.objects.select_related("recruiter", "hiring_manager__user")
    assert requisitions.filter(status=Requisition.Status.OPEN).count() == 2
    assert {requisition.hiring_manager.user.username for requisition in requisitions} == {"director1", "director2"}
    for requisition in requisitions:
        assert requisition.recruiter.username == "recruiter"
        assert 3 <= requisition.stages.count() <= 4
        covered = set(
            InterviewFocus.objects.filter(stage__requisition=requisition).values_list("competency", flat=True)
        )
        assert set(requisition.role.requirements.values_list("competency", flat=True)) <= covered


def test_seed_hiring_demo_spreads_candidates_over_the_pipeline_and_hires_nobody(demo_lines):
    stages = set(Application.objects.values_list("stage", flat=True))
    assert len(stages) >= 5
    assert Application.Stage.HIRED not in stages
    assert not Candidate.objects.filter(person__isnull=False).exists()
    rejected = Application.objects.get(stage=Application.Stage.REJECTED)
    assert rejected.decided_by.username == "recruiter" and rejected.decision_rationale
    assert Application.objects.filter(stage=Application.Stage.WITHDRAWN).exists()
    interviewers = Person.objects.filter(interviews__isnull=False).distinct()
    assert {person.user.groups.get().name for person in interviewers} == {roles.SALES_LEADER, roles.SALES_MANAGER}


def test_seed_hiring_demo_scorecards_show_evidence_disagreement_and_a_missing_one(demo_lines):
    submitted = ScorecardRating.objects.filter(scorecard__status=Scorecard.Status.SUBMITTED)
    assert not submitted.filter(rating__isnull=False, evidence="").exists()
    assert submitted.filter(rating__isnull=True).exists()  # some "not assessed"
    profiles = candidate_profiles(list(application_list(Application.objects.all())))
    codes = [flag.code for profile in profiles.values() for flag in profile.flags]
    assert "disagreement" in codes
    assert "missing_scorecard" in codes
    # Some interviews are still to come.
    assert Interview.objects.filter(scheduled_at__gt=timezone.now(), scorecard__status=Scorecard.Status.DRAFT).exists()


def test_seed_hiring_demo_second_run_changes_nothing(demo_lines):
    before = _snapshot()
    assert seed_hiring_demo() == demo_lines
    assert _snapshot() == before


def test_seed_hiring_demo_keeps_requirements_a_leader_edited(demo_lines):
    # Given a leader narrowed the enterprise role to one requirement
    role = Role.objects.get(code="fsm-enterprise")
    coaching = Competency.objects.get(key="coaching")
    role_requirements_save(
        role=role, requirements=[{"competency": coaching, "required_level": 4, "weight": 5}], by=None
    )
    # When the demo runs again
    seed_hiring_demo()
    # Then their requirements stand
    assert list(role.requirements.values_list("competency__key", "required_level", "weight")) == [("coaching", 4, 5)]


def test_seed_hiring_demo_summarizes_the_pipeline(demo_lines):
    assert (
        "Hiring: 2 open requisitions, 10 candidates, 12 scorecards submitted, 1 missing; "
        "sign in as recruiter to see the pipeline:" in demo_lines
    )
    assert any("REQ-1187" in line and "1 candidate with split ratings" in line for line in demo_lines)
