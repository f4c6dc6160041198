"""The competency and hiring API under /api/v1/: who may read and change what, the independence of
interviewers, scorecards that no route changes, and list endpoints whose query count does not grow."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.models import Person
from managers.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Competency,
    Requisition,
    RoleAssignment,
    RoleCompetency,
    Scorecard,
)
from managers.services import hiring as services
from managers.services.charters import role_assign
from tests.conftest import build_hiring_with_its_people, from_built
from tests.helpers import api_client, submit_scorecard
from tests.managers.factories import CandidateFactory, CompetencyFactory

pytestmark = pytest.mark.django_db

ANCHORS = [{"level": level, "description": f"Behaviour at level {level}."} for level in (1, 2, 3, 4)]


@dataclass(frozen=True)
class FakeToken:
    """What the API-token issue will put in `request.auth`: a credential with scopes."""

    scopes: frozenset[str]


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]


def _scorecard_ids(client: APIClient, application: Application) -> set[int]:
    return set(_ids(client.get(reverse("scorecard-list"), {"application": application.pk})))


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, `recruiter` and `hiring` (see `build_hiring` in conftest.py), built once for the module; each
    test reads its own copy. Every test sees this data, so a test that checks what was (not) created counts
    beside it: Casey Candidate, the requisition Berlin and the competencies coaching, storytelling and
    resilience are there."""
    return build_hiring_with_its_people()


org = from_built("org")
recruiter = from_built("recruiter")
hiring = from_built("hiring")


@pytest.fixture
def second_requisition(hiring, org, recruiter):
    """A requisition whose hiring manager is `owner`, with one candidate and no interviews: `leader`
    oversees it (it is in their sub-tree) but does not work on it; `peer` has nothing to do with it."""
    requisition = services.requisition_create(
        role=hiring["role"], title="FSM, Munich", hiring_manager=org["owner"], recruiter=recruiter, by=recruiter
    )
    candidate = CandidateFactory(first_name="Robin", last_name="Other", email="robin@mail.example")
    application = services.application_create(candidate=candidate, requisition=requisition, by=recruiter)
    return {"requisition": requisition, "candidate": candidate, "application": application}


# Anonymous users and the wrong users.


def test_every_hiring_endpoint_refuses_anonymous(hiring):
    application, scorecard = hiring["application"], hiring["scorecard_a"]
    requests = [
        ("get", reverse("competency-list")),
        ("post", reverse("competency-list")),
        ("get", reverse("competency-detail", args=[hiring["competencies"]["coaching"].pk])),
        ("get", reverse("role-requirements", args=[hiring["role"].pk])),
        ("put", reverse("role-requirements", args=[hiring["role"].pk])),
        ("get", reverse("requisition-list")),
        ("post", reverse("requisition-list")),
        ("get", reverse("requisition-detail", args=[hiring["requisition"].pk])),
        ("patch", reverse("requisition-detail", args=[hiring["requisition"].pk])),
        ("get", reverse("candidate-list")),
        ("post", reverse("candidate-list")),
        ("get", reverse("candidate-detail", args=[hiring["candidate"].pk])),
        ("get", reverse("application-list")),
        ("post", reverse("application-list")),
        ("get", reverse("application-detail", args=[application.pk])),
        ("post", reverse("application-move", args=[application.pk])),
        ("post", reverse("application-decide", args=[application.pk])),
        ("get", reverse("application-profile", args=[application.pk])),
        ("get", reverse("scorecard-list")),
        ("get", reverse("scorecard-detail", args=[scorecard.pk])),
        ("get", reverse("decision-list")),
    ]
    for method, url in requests:
        response = getattr(api_client(), method)(url, {}, format="json")
        assert response.status_code in (401, 403), (method, url)
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.INTERVIEWS


@pytest.mark.parametrize("persona", ["outsider", "seller"])
def test_unrelated_people_see_no_hiring_data(hiring, org, persona):
    """Given a requisition, its candidate and application, when a manager of another branch or a seller
    asks for them, then each is a 404 and every list is empty."""
    client = api_client(org[persona].user)
    application = hiring["application"]
    assert client.get(reverse("requisition-detail", args=[hiring["requisition"].pk])).status_code == 404
    assert client.get(reverse("candidate-detail", args=[hiring["candidate"].pk])).status_code == 404
    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("application-profile", args=[application.pk])).status_code == 404
    assert client.get(reverse("scorecard-detail", args=[hiring["scorecard_a"].pk])).status_code == 404
    for name in ("requisition-list", "candidate-list", "application-list", "scorecard-list", "decision-list"):
        assert _ids(client.get(reverse(name))) == [], name
    move = client.post(reverse("application-move", args=[application.pk]), {"stage": "decision"}, format="json")
    assert move.status_code == 404
    decide = reverse("application-decide", args=[application.pk])
    assert client.post(decide, {"decision": "reject", "rationale": "No."}, format="json").status_code == 404
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.INTERVIEWS


def test_interviewer_sees_the_application_but_not_the_requisition_and_cannot_move_or_decide(hiring, owner):
    client = api_client(owner.user)
    application = hiring["application"]
    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("candidate-detail", args=[hiring["candidate"].pk])).status_code == 200
    assert client.get(reverse("requisition-detail", args=[hiring["requisition"].pk])).status_code == 404
    assert _ids(client.get(reverse("requisition-list"))) == []

    move = client.post(reverse("application-move", args=[application.pk]), {"stage": "decision"}, format="json")
    decide = client.post(
        reverse("application-decide", args=[application.pk]), {"decision": "hire", "rationale": "Great."}, format="json"
    )
    assert (move.status_code, decide.status_code) == (403, 403)
    application.refresh_from_db()
    assert (application.stage, application.decision) == (Application.Stage.INTERVIEWS, "")


def test_a_manager_who_is_not_the_hiring_manager_cannot_see_its_candidates(hiring, second_requisition, peer):
    client = api_client(peer.user)
    assert client.get(reverse("candidate-detail", args=[second_requisition["candidate"].pk])).status_code == 404
    assert client.get(reverse("application-detail", args=[second_requisition["application"].pk])).status_code == 404
    # peer interviews Casey on the first requisition, so Casey is the only candidate peer sees.
    assert _ids(client.get(reverse("candidate-list"))) == [hiring["candidate"].pk]


# Competencies and role requirements.


def test_competency_list_shows_anchors_and_questions_to_anyone_signed_in(hiring, org):
    response = api_client(org["seller"].user).get(reverse("competency-list"))
    assert response.status_code == 200
    coaching = next(row for row in response.data["results"] if row["key"] == "coaching")
    assert coaching["anchors"][0] == {"level": 1, "description": "Does it when prompted."}
    assert [anchor["level"] for anchor in coaching["anchors"]] == [1, 2, 3, 4]
    assert coaching["interview_questions"] == ["Tell me about a time you did this.", "What would you do differently?"]


def test_competency_create_by_a_leader_goes_through_the_service(org):
    body = {
        "key": "negotiation",
        "name": "Negotiation",
        "kind": "skill",
        "description": "Trading value.",
        "anchors": ANCHORS,
        "interview_questions": ["Walk me through your last discount."],
    }
    response = api_client(org["leader"].user).post(reverse("competency-list"), body, format="json")
    assert response.status_code == 201, response.data
    competency = Competency.objects.get(key="negotiation")
    assert (competency.anchor_3, competency.question_list) == ("Behaviour at level 3.", body["interview_questions"])
    assert response.data["id"] == competency.pk

    again = api_client(org["leader"].user).post(reverse("competency-list"), body, format="json")
    assert again.status_code == 400 and "key" in again.data["errors"]  # the model's uniqueness, through full_clean


def test_competency_create_is_refused_to_a_manager_and_without_every_anchor(hiring, org):
    body = {"key": "negotiation", "name": "Negotiation", "kind": "skill", "description": "x", "anchors": ANCHORS}
    assert api_client(org["owner"].user).post(reverse("competency-list"), body, format="json").status_code == 403
    partial = {**body, "anchors": ANCHORS[:3]}
    response = api_client(org["leader"].user).post(reverse("competency-list"), partial, format="json")
    assert response.status_code == 400 and "anchors" in response.data["errors"]
    # Only the module's competencies: neither post created one.
    assert set(Competency.objects.values_list("key", flat=True)) == set(hiring["competencies"])


def test_competency_patch_changes_text_but_never_the_key_and_nothing_deletes(hiring, org):
    coaching = hiring["competencies"]["coaching"]
    url = reverse("competency-detail", args=[coaching.pk])
    leader = api_client(org["leader"].user)
    response = leader.patch(url, {"anchors": [{"level": 4, "description": "Builds coaches."}]}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["anchors"][3]["description"] == "Builds coaches."
    assert leader.patch(url, {"key": "renamed"}, format="json").status_code == 400
    assert api_client(org["owner"].user).patch(url, {"name": "Renamed"}, format="json").status_code == 403
    assert leader.put(url, {"name": "Renamed"}, format="json").status_code == 405
    assert leader.delete(url).status_code == 405
    coaching.refresh_from_db()
    assert (coaching.key, coaching.name, coaching.anchor_4) == ("coaching", "Coaching", "Builds coaches.")


def test_role_requirements_read_by_a_holder_and_replaced_by_a_leader(hiring, org):
    """Given the hiring role with three requirements, when a leader PUTs two rows, then the role requires
    exactly those; the manager holding the role reads them but may not write them."""
    role, url = hiring["role"], reverse("role-requirements", args=[hiring["role"].pk])
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    owner = api_client(org["owner"].user)
    read = owner.get(url)
    assert read.status_code == 200
    assert [(row["competency"], row["required_level"], row["weight"]) for row in read.data["requirements"]] == [
        ("coaching", 3, 3),
        ("resilience", 3, 2),
        ("storytelling", 2, 1),
    ]
    body = {
        "requirements": [
            {"competency": "coaching", "required_level": 4, "weight": 5},
            {"competency": "storytelling", "required_level": 2, "weight": 1},
        ]
    }
    assert owner.put(url, body, format="json").status_code == 403
    assert api_client(org["outsider"].user).get(url).status_code == 404

    response = api_client(org["leader"].user).put(url, body, format="json")
    assert response.status_code == 200, response.data
    assert {(row["competency"], row["required_level"]) for row in response.data["requirements"]} == {
        ("coaching", 4),
        ("storytelling", 2),
    }
    assert set(role.requirements.values_list("competency__key", "required_level", "weight")) == {
        ("coaching", 4, 5),
        ("storytelling", 2, 1),
    }


@pytest.mark.parametrize(
    "rows",
    [
        [{"competency": "no-such-key", "required_level": 2, "weight": 1}],
        [{"competency": "coaching", "required_level": 5, "weight": 1}],
        [
            {"competency": "coaching", "required_level": 2, "weight": 1},
            {"competency": "coaching", "required_level": 3, "weight": 1},
        ],
        [{"competency": "retired", "required_level": 2, "weight": 1}],
    ],
    ids=["unknown key", "level out of range", "listed twice", "retired"],
)
def test_role_requirements_bad_rows_are_a_400_and_change_nothing(hiring, org, rows):
    CompetencyFactory(key="retired", is_active=False)
    before = set(RoleCompetency.objects.values_list("pk", "competency__key", "required_level", "weight"))
    url = reverse("role-requirements", args=[hiring["role"].pk])
    response = api_client(org["leader"].user).put(url, {"requirements": rows}, format="json")
    assert response.status_code == 400
    assert response.data["errors"]  # names what is wrong
    assert set(RoleCompetency.objects.values_list("pk", "competency__key", "required_level", "weight")) == before


# Requisitions.


def test_requisition_detail_has_the_interview_plan_and_active_applications(hiring, recruiter):
    """Given a focus with its own questions and one without, then the plan shows the focus's questions
    for the first and falls back to the competency's for the second."""
    first, _second = hiring["stages"]
    first.focus.filter(competency__key="coaching").update(questions="Show me a coaching session.\n\n")
    response = api_client(recruiter).get(reverse("requisition-detail", args=[hiring["requisition"].pk]))
    assert response.status_code == 200
    data = response.data
    assert (data["title"], data["active_applications"], data["role"]["code"]) == (
        "FSM Enterprise, Berlin",
        1,
        "fsm-enterprise",
    )
    assert data["hiring_manager"]["name"] == hiring["requisition"].hiring_manager.full_name
    assert [stage["name"] for stage in data["interview_plan"]] == ["Hiring manager interview", "Role play"]
    focus = {row["key"]: row for row in data["interview_plan"][0]["competencies"]}
    assert focus["coaching"]["questions"] == ["Show me a coaching session."]
    assert focus["storytelling"]["questions"] == [
        "Tell me about a time you did this.",
        "What would you do differently?",
    ]


def test_requisition_create_by_a_recruiter(org, hiring, recruiter):
    body = {
        "role": hiring["role"].pk,
        "title": "FSM Enterprise, Hamburg",
        "hiring_manager": org["peer"].pk,
        "recruiter": recruiter.pk,
        "target_start": "2027-03-01",
    }
    response = api_client(recruiter).post(reverse("requisition-list"), body, format="json")
    assert response.status_code == 201, response.data
    requisition = Requisition.objects.get(pk=response.data["id"])
    assert (requisition.hiring_manager, requisition.opened_by, requisition.status) == (org["peer"], recruiter, "open")
    assert (response.data["active_applications"], response.data["interview_plan"]) == (0, [])


def test_requisition_create_refuses_people_the_caller_may_not_name(org, hiring, recruiter):
    """A leader names only their own sub-tree as hiring manager, and only a recruiter as recruiter; a
    manager who is not a leader opens nothing."""
    leader = api_client(org["leader"].user)
    body = {"role": hiring["role"].pk, "title": "FSM", "hiring_manager": org["owner"].pk, "recruiter": recruiter.pk}
    outside = leader.post(reverse("requisition-list"), {**body, "hiring_manager": org["outsider"].pk}, format="json")
    assert outside.status_code == 400 and "does not exist" in str(outside.data["errors"]["hiring_manager"])
    not_recruiter = leader.post(reverse("requisition-list"), {**body, "recruiter": org["peer"].user.pk}, format="json")
    assert not_recruiter.status_code == 400 and "does not exist" in str(not_recruiter.data["errors"]["recruiter"])
    assert api_client(org["owner"].user).post(reverse("requisition-list"), body, format="json").status_code == 403
    assert Requisition.objects.count() == 1

    assert leader.post(reverse("requisition-list"), body, format="json").status_code == 201


def test_requisition_patch_by_who_works_on_it_not_by_who_oversees_it(hiring, second_requisition, org, recruiter):
    url = reverse("requisition-detail", args=[hiring["requisition"].pk])
    response = api_client(recruiter).patch(url, {"status": "on_hold", "title": "FSM Berlin"}, format="json")
    assert response.status_code == 200, response.data
    requisition = Requisition.objects.get(pk=hiring["requisition"].pk)
    assert (requisition.status, requisition.title) == (Requisition.Status.ON_HOLD, "FSM Berlin")
    assert api_client(recruiter).patch(url, {"role": hiring["role"].pk}, format="json").status_code == 400

    # leader oversees the second requisition (its hiring manager reports to them) but does not work on it.
    overseen = reverse("requisition-detail", args=[second_requisition["requisition"].pk])
    leader = api_client(org["leader"].user)
    assert leader.get(overseen).status_code == 200
    assert leader.patch(overseen, {"status": "closed"}, format="json").status_code == 403
    assert Requisition.objects.get(pk=second_requisition["requisition"].pk).status == Requisition.Status.OPEN


# Candidates and applications.


def test_candidate_create_deduplicates_by_email_case_insensitively(db, hiring, recruiter, org):
    others = Candidate.objects.exclude(pk=hiring["candidate"].pk)  # all but the module's Casey
    body = {"email": "Ana.Li@Mail.example", "first_name": "Ana", "last_name": "Li"}
    first = api_client(recruiter).post(reverse("candidate-list"), body, format="json")
    assert first.status_code == 201, first.data
    again = api_client(recruiter).post(
        reverse("candidate-list"), {**body, "email": "ana.li@MAIL.EXAMPLE", "phone": "+49 30 1234"}, format="json"
    )
    assert again.status_code == 200
    assert again.data["id"] == first.data["id"] and again.data["phone"] == "+49 30 1234"
    assert others.count() == 1
    other = {**body, "email": "someone@mail.example"}
    assert api_client(org["owner"].user).post(reverse("candidate-list"), other, format="json").status_code == 403
    assert others.count() == 1


def test_application_create_on_a_managed_requisition_only(hiring, second_requisition, org, recruiter):
    candidate = CandidateFactory()
    body = {"candidate": candidate.pk, "requisition": hiring["requisition"].pk, "source": "referral"}
    # leader oversees the second requisition but does not work on it: for them it does not exist here.
    refused = api_client(org["leader"].user).post(
        reverse("application-list"), {**body, "requisition": second_requisition["requisition"].pk}, format="json"
    )
    assert refused.status_code == 400 and "does not exist" in str(refused.data["errors"]["requisition"])
    response = api_client(recruiter).post(reverse("application-list"), body, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["stage"], response.data["candidate"]["id"]) == ("applied", candidate.pk)
    duplicate = api_client(recruiter).post(reverse("application-list"), body, format="json")
    assert duplicate.status_code == 400  # the service: already applied
    assert Application.objects.filter(candidate=candidate).count() == 1


def test_application_list_filters_and_refuses_junk(hiring, second_requisition, org):
    client = api_client(org["leader"].user)
    both = _ids(client.get(reverse("application-list")))
    assert set(both) == {hiring["application"].pk, second_requisition["application"].pk}
    only = client.get(reverse("application-list"), {"requisition": hiring["requisition"].pk})
    assert _ids(only) == [hiring["application"].pk]
    assert _ids(client.get(reverse("application-list"), {"stage": "applied"})) == [second_requisition["application"].pk]
    assert client.get(reverse("application-list"), {"requisition": "berlin"}).status_code == 400
    assert client.get(reverse("application-list"), {"stage": "maybe"}).status_code == 400


def test_application_move_records_the_event_and_refuses_hired(hiring, recruiter):
    application, client = hiring["application"], api_client(recruiter)
    url = reverse("application-move", args=[application.pk])
    response = client.post(url, {"stage": "decision", "note": "Debrief done."}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["stage"] == "decision"
    event = ApplicationEvent.objects.filter(application=application).first()
    assert (event.from_stage, event.to_stage, event.note) == ("interviews", "decision", "Debrief done.")
    assert event.actor == recruiter
    hired = client.post(url, {"stage": "hired"}, format="json")
    assert hired.status_code == 400 and "stage" in hired.data["errors"]
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.DECISION


def test_decide_needs_a_rationale(hiring, recruiter):
    url = reverse("application-decide", args=[hiring["application"].pk])
    response = api_client(recruiter).post(url, {"decision": "reject"}, format="json")
    assert response.status_code == 400 and "rationale" in response.data["errors"]
    blank = api_client(recruiter).post(url, {"decision": "reject", "rationale": "   "}, format="json")
    assert blank.status_code == 400 and "rationale" in blank.data["errors"]
    assert Application.objects.get(pk=hiring["application"].pk).decided_at is None


def test_decide_hire_creates_the_person_and_decisions_lists_it(hiring, owner, peer, recruiter):
    """Given both scorecards submitted, when the recruiter hires with an HR id, then the person exists
    with the role from the start date, and `decisions` lists the hire with that person's id."""
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Good.")})
    submit_scorecard(hiring["scorecard_b"], peer.user, {coaching: (3, "Good too.")})
    body = {"decision": "hire", "rationale": "Strong coach.", "external_id": "HR-API-1", "start_date": "2027-02-01"}
    url = reverse("application-decide", args=[hiring["application"].pk])
    response = api_client(recruiter).post(url, body, format="json")
    assert response.status_code == 200, response.data
    person = Person.objects.get(external_id="HR-API-1")
    assert (person.email, person.manager) == ("casey@mail.example", hiring["requisition"].hiring_manager)
    assignment = RoleAssignment.objects.get(person=person, ended_on__isnull=True)
    assert (assignment.role, assignment.started_on) == (hiring["role"], datetime.date(2027, 2, 1))
    assert response.data["person"] == person.pk

    decisions = api_client(recruiter).get(reverse("decision-list"))
    assert decisions.status_code == 200
    [row] = decisions.data["results"]
    assert (row["application"], row["decision"], row["rationale"], row["person"]) == (
        hiring["application"].pk,
        "hire",
        "Strong coach.",
        person.pk,
    )
    assert row["decided_by"]["id"] == recruiter.pk and row["candidate"]["email"] == "casey@mail.example"
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert api_client(recruiter).get(reverse("decision-list"), {"decided_after": later}).data["results"] == []
    assert api_client(recruiter).get(reverse("decision-list"), {"decided_after": "yesterday"}).status_code == 400


def test_decisions_are_listed_to_who_may_read_the_feedback(hiring, org, owner, peer, recruiter):
    """Given B submitted and A still drafting when the recruiter rejects, then B, the recruiter and the
    hiring manager see the decision; A (whose draft is pending) and the outsider do not."""
    submit_scorecard(hiring["scorecard_b"], peer.user, {hiring["competencies"]["coaching"]: (1, "Weak.")})
    services.application_decide(application=hiring["application"], decision="reject", rationale="Weak.", by=recruiter)
    for user in (peer.user, recruiter, org["leader"].user):
        rows = api_client(user).get(reverse("decision-list")).data["results"]
        assert [(row["application"], row["decision"], row["person"]) for row in rows] == [
            (hiring["application"].pk, "reject", None)
        ], user
    for user in (owner.user, org["outsider"].user):
        assert api_client(user).get(reverse("decision-list")).data["results"] == [], user


# Independence: an interviewer reads no other feedback before submitting their own.


def test_interviewer_reads_only_their_own_draft_until_they_submit(hiring, owner, peer, leader, recruiter):
    """Given B (peer) submitted and A (owner) still drafting, A sees only their own draft and no profile;
    the recruiter and hiring manager see B's scorecard but never A's draft. Once A submits, A sees both
    and the profile."""
    application, coaching = hiring["application"], hiring["competencies"]["coaching"]
    scorecard_a, scorecard_b = hiring["scorecard_a"], hiring["scorecard_b"]
    submit_scorecard(scorecard_b, peer.user, {coaching: (2, "Told, did not ask.")})
    a = api_client(owner.user)

    drafts = a.get(reverse("scorecard-list"), {"application": application.pk})
    assert [(row["id"], row["status"]) for row in drafts.data["results"]] == [(scorecard_a.pk, "draft")]
    assert a.get(reverse("scorecard-detail", args=[scorecard_b.pk])).status_code == 404
    profile = a.get(reverse("application-profile", args=[application.pk]))
    assert profile.status_code == 403 and "Submit your own scorecard first" in profile.data["detail"]
    assert profile.data["code"] == "permission_denied"
    assert _ids(a.get(reverse("decision-list"))) == []
    for manager in (api_client(recruiter), api_client(leader.user)):
        assert _scorecard_ids(manager, application) == {scorecard_b.pk}
        assert manager.get(reverse("scorecard-detail", args=[scorecard_a.pk])).status_code == 404
        assert manager.get(reverse("application-profile", args=[application.pk])).status_code == 200
    assert api_client(peer.user).get(reverse("scorecard-detail", args=[scorecard_a.pk])).status_code == 404

    submit_scorecard(scorecard_a, owner.user, {coaching: (4, "Ran a crisp role play.")})
    assert _scorecard_ids(a, application) == {scorecard_a.pk, scorecard_b.pk}
    assert a.get(reverse("application-profile", args=[application.pk])).status_code == 200


def test_profile_has_the_aggregate_per_competency(hiring, owner, peer, recruiter):
    coaching, storytelling, resilience = (
        hiring["competencies"][key] for key in ("coaching", "storytelling", "resilience")
    )
    submit_scorecard(
        hiring["scorecard_a"], owner.user, {coaching: (4, "a"), storytelling: (None, "")}, recommendation="yes"
    )
    submit_scorecard(hiring["scorecard_b"], peer.user, {coaching: (2, "b"), resilience: (3, "c")}, recommendation="no")
    response = api_client(recruiter).get(reverse("application-profile", args=[hiring["application"].pk]))
    assert response.status_code == 200
    data = response.data
    assert (data["fit"], data["coverage"], data["submitted"], data["expected"]) == ("100.00", "83.33", 2, 2)
    assert data["fit_is_conclusive"] is True  # 83% of the weight rated: past FIT_MIN_COVERAGE
    assert data["recommendations"] == {"strong_no": 0, "no": 1, "yes": 1, "strong_yes": 0}
    assert {flag["code"] for flag in data["flags"]} == {"disagreement", "not_covered"}
    scores = {row["key"]: row for row in data["competencies"]}
    assert scores["coaching"] == {
        "key": "coaching",
        "name": "Coaching",
        "required_level": 3,
        "weight": 3,
        "mean": "3.00",
        "lowest": 2,
        "highest": 4,
        "count": 2,
        "gap": "0.00",
        "gap_state": "meets",
        "disagreement": True,
        "not_covered": False,
    }
    assert (scores["storytelling"]["count"], scores["storytelling"]["not_covered"]) == (0, True)


def test_scorecard_shows_ratings_with_not_assessed_as_null_and_amendments(hiring, owner, recruiter):
    coaching, storytelling = hiring["competencies"]["coaching"], hiring["competencies"]["storytelling"]
    scorecard = submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Asked good questions.")})
    services.scorecard_amend(scorecard=scorecard, by=owner.user, reason="Typo", note="Meant 'great questions'.")
    response = api_client(recruiter).get(reverse("scorecard-detail", args=[scorecard.pk]))
    assert response.status_code == 200
    data = response.data
    assert (data["application"], data["status"], data["interview"]["interviewer"]["id"]) == (
        hiring["application"].pk,
        "submitted",
        owner.pk,
    )
    ratings = {row["competency"]: (row["rating"], row["evidence"]) for row in data["ratings"]}
    assert ratings == {coaching.key: (3, "Asked good questions."), storytelling.key: (None, "")}
    assert [(row["reason"], row["author"]["id"]) for row in data["amendments"]] == [("Typo", owner.user.pk)]


def test_scorecards_cannot_be_changed_through_the_api(hiring, owner, recruiter):
    """Given A's submitted scorecard, when its interviewer or the recruiter tries every write method, then
    each is a 405 and the scorecard stays as submitted."""
    coaching = hiring["competencies"]["coaching"]
    scorecard = submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Asked good questions.")})
    detail, body = reverse("scorecard-detail", args=[scorecard.pk]), {"summary": "Changed.", "status": "draft"}
    for client in (api_client(owner.user), api_client(recruiter)):
        assert client.put(detail, body, format="json").status_code == 405
        assert client.patch(detail, body, format="json").status_code == 405
        assert client.delete(detail).status_code == 405
        assert client.post(reverse("scorecard-list"), body, format="json").status_code == 405
    # A draft cannot be written here either: it is filled in on its page.
    draft = reverse("scorecard-detail", args=[hiring["scorecard_b"].pk])
    assert (
        api_client(hiring["scorecard_b"].interview.interviewer.user).patch(draft, body, format="json").status_code
        == 405
    )
    scorecard = Scorecard.objects.get(pk=scorecard.pk)
    assert (scorecard.status, scorecard.summary) == (Scorecard.Status.SUBMITTED, "Solid.")
    assert scorecard.ratings.get(competency=coaching).rating == 3


# Token scopes.


def test_a_hiring_read_token_reads_and_cannot_write(hiring, recruiter):
    read_only = api_client(recruiter, token=FakeToken(frozenset({"hiring:read"})))
    for name in ("requisition-list", "candidate-list", "application-list", "scorecard-list", "decision-list"):
        assert read_only.get(reverse(name)).status_code == 200, name
    application = hiring["application"]
    assert read_only.get(reverse("application-profile", args=[application.pk])).status_code == 200
    body = {"email": "new@mail.example", "first_name": "New", "last_name": "One"}
    assert read_only.post(reverse("candidate-list"), body, format="json").status_code == 403
    move = read_only.post(reverse("application-move", args=[application.pk]), {"stage": "decision"}, format="json")
    assert move.status_code == 403
    requisition_url = reverse("requisition-detail", args=[hiring["requisition"].pk])
    patch = read_only.patch(requisition_url, {"title": "X"}, format="json")
    assert patch.status_code == 403
    assert not Candidate.objects.filter(email="new@mail.example").exists()
    assert Application.objects.get(pk=application.pk).stage == Application.Stage.INTERVIEWS

    read_write = api_client(recruiter, token=FakeToken(frozenset({"hiring:read", "hiring:write"})))
    assert read_write.post(reverse("candidate-list"), body, format="json").status_code == 201


def test_other_scopes_do_not_open_hiring_or_competencies(hiring, org):
    leader = org["leader"].user
    charters = api_client(leader, token=FakeToken(frozenset({"charters:read", "charters:write"})))
    for name in ("requisition-list", "candidate-list", "application-list", "scorecard-list", "decision-list"):
        assert charters.get(reverse(name)).status_code == 403, name
    assert charters.get(reverse("competency-list")).status_code == 403
    requirements = reverse("role-requirements", args=[hiring["role"].pk])
    assert charters.get(requirements).status_code == 403
    assert charters.get(reverse("role-detail", args=[hiring["role"].pk])).status_code == 200

    hiring_token = api_client(leader, token=FakeToken(frozenset({"hiring:read", "hiring:write"})))
    assert hiring_token.get(reverse("competency-list")).status_code == 403
    competencies = api_client(leader, token=FakeToken(frozenset({"competencies:read"})))
    assert competencies.get(reverse("competency-list")).status_code == 200
    assert competencies.get(requirements).status_code == 200
    body = {"requirements": [{"competency": "coaching", "required_level": 1, "weight": 1}]}
    assert competencies.put(requirements, body, format="json").status_code == 403
    assert hiring["role"].requirements.count() == 3


# Pinned query counts.


def _add_applications(hiring, interviewer, recruiter, count: int) -> None:
    """Candidates on the requisition, each interviewed once, the scorecard submitted and amended, and
    every other one rejected."""
    stage, coaching = hiring["stages"][0], hiring["competencies"]["coaching"]
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for index in range(count):
        application = services.application_create(
            candidate=CandidateFactory(), requisition=hiring["requisition"], by=recruiter
        )
        interview = services.interview_schedule(
            application=application, stage=stage, interviewer=interviewer, scheduled_at=yesterday, by=recruiter
        )
        scorecard = submit_scorecard(interview.scorecard, interviewer.user, {coaching: (3, "Fine.")})
        services.scorecard_amend(scorecard=scorecard, by=interviewer.user, reason="Detail", note="More detail.")
        if index % 2:
            services.application_decide(application=application, decision="reject", rationale="No.", by=recruiter)


def _add_requisitions(hiring, org, recruiter, count: int) -> None:
    coaching, storytelling = hiring["competencies"]["coaching"], hiring["competencies"]["storytelling"]
    for index in range(count):
        requisition = services.requisition_create(
            role=hiring["role"], title=f"FSM {index}", hiring_manager=org["owner"], recruiter=recruiter, by=recruiter
        )
        for name in ("Screen", "Role play"):
            services.interview_stage_add(
                requisition=requisition, name=name, competencies=[coaching, storytelling], by=recruiter
            )
        services.application_create(candidate=CandidateFactory(), requisition=requisition, by=recruiter)


def _count_rows(client: APIClient, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.data["count"]


@pytest.mark.parametrize(
    ("list_name", "more_rows"),
    [
        ("application-list", 20),
        ("candidate-list", 20),
        ("scorecard-list", 20),
        ("decision-list", 10),  # every other application is rejected
        ("requisition-list", 20),
    ],
)
def test_list_endpoints_run_a_bounded_number_of_queries(
    hiring, org, recruiter, django_assert_max_num_queries, list_name, more_rows
):
    """Given a few rows, when 20 more batches are added, then the recruiter's list costs no more queries."""

    def add(count: int) -> None:
        if list_name == "requisition-list":
            _add_requisitions(hiring, org, recruiter, count)
        else:
            _add_applications(hiring, org["owner"], recruiter, count)

    client = APIClient()
    client.force_login(recruiter)  # a fresh user per request, as in production
    url = reverse(list_name)
    add(2)
    with CaptureQueriesContext(connection) as few:
        rows_few = _count_rows(client, url)
    add(20)
    with django_assert_max_num_queries(len(few)):
        rows_many = _count_rows(client, url)
    assert rows_many - rows_few == more_rows


def test_candidate_create_by_someone_who_cannot_see_the_match_reveals_and_changes_nothing(hiring, org):
    """Given Casey on the leader's requisition, when an unrelated sales leader posts Casey's email with a
    profile link, then they get only an id and a name, and Casey's record is not touched."""
    from enablement.accounts import roles
    from tests.enablement.factories import PersonFactory, UserFactory

    stranger = PersonFactory(user=UserFactory(username="other_leader", roles=[roles.SALES_LEADER]))
    services.candidate_upsert(
        by=None, email="casey@mail.example", first_name="Casey", last_name="Candidate", phone="+1 555 0199"
    )
    response = api_client(stranger.user).post(
        reverse("candidate-list"),
        {"email": "CASEY@mail.example", "first_name": "C", "last_name": "C", "profile_url": "https://evil.example/x"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"id": hiring["candidate"].pk, "name": "Casey Candidate"}
    assert Candidate.objects.get(pk=hiring["candidate"].pk).profile_url == ""


def test_candidate_contact_details_go_only_to_who_works_the_requisition(hiring, owner, recruiter):
    services.candidate_upsert(
        by=None, email="casey@mail.example", first_name="Casey", last_name="Candidate", phone="+1 555 0199"
    )
    url = reverse("candidate-detail", args=[hiring["candidate"].pk])
    assert api_client(recruiter).get(url).json()["phone"] == "+1 555 0199"
    as_interviewer = api_client(owner.user).get(url).json()
    assert as_interviewer["name"] == "Casey Candidate"
    assert (as_interviewer["phone"], as_interviewer["email"]) == (None, None)
