"""The hiring and competency pages through the test client: who may open what (anonymous, a stranger, an
interviewer, the owner, the wrong method), the forms that open requisitions, plan interviews, add
candidates, move them on the board and schedule interviews, the CSV export, the competency framework
pages and pinned query counts. Scorecard independence, immutability and decisions are in
test_scorecard_pages.py."""

import csv
import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from managers.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Competency,
    Interview,
    InterviewStage,
    Requisition,
    RoleCompetency,
    Scorecard,
)
from managers.services import hiring as services
from tests.conftest import build_hiring_with_its_people, from_built
from tests.enablement.factories import PersonFactory
from tests.helpers import login_as, messages_of, submit_scorecard
from tests.managers.factories import CandidateFactory, CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, `recruiter` and `hiring` (see `build_hiring` in conftest.py), built once for the module; each
    test reads its own copy. Every test sees this data, so what a test checks was not created is looked up
    beside it: the requisition Berlin and the competencies coaching, storytelling and resilience are there."""
    return build_hiring_with_its_people()


org = from_built("org")
recruiter = from_built("recruiter")
hiring = from_built("hiring")


# The access matrix: every hiring and competency URL, the method it answers, what a stranger (a manager
# or seller with nothing to do with the requisition) gets, and who owns it with what they get.


@dataclass(frozen=True)
class Page:
    methods: tuple[str, ...]  # the first is the one the tests use
    target: str | None  # which object of the `hiring` fixture the URL names
    stranger: int
    owner: str
    owner_status: int

    @property
    def method(self) -> str:
        return self.methods[0]

    @property
    def wrong_method(self) -> str:
        return next(method for method in ("get", "post", "delete") if method not in self.methods)


GET, POST, BOTH = ("get",), ("post",), ("get", "post")
PAGES = {
    "hiring-home": Page(GET, None, 403, "recruiter", 200),
    "requisition-create": Page(BOTH, None, 403, "recruiter", 200),
    "requisition-detail": Page(GET, "requisition", 404, "recruiter", 200),
    "requisition-edit": Page(BOTH, "requisition", 404, "recruiter", 200),
    "pipeline-board": Page(GET, "requisition", 404, "recruiter", 200),
    "interview-plan": Page(BOTH, "requisition", 404, "recruiter", 200),
    "scorecards-export": Page(GET, "requisition", 404, "recruiter", 200),
    "interview-stage-edit": Page(BOTH, "stage", 404, "recruiter", 200),
    "application-detail": Page(GET, "application", 404, "recruiter", 200),
    "scorecard-edit": Page(BOTH, "scorecard_a", 404, "owner", 200),
    # Before a hire there is nothing to close out: back to the requisition, saying so.
    "requisition-close-out": Page(BOTH, "requisition", 404, "recruiter", 302),
    "interviewer-search": Page(GET, "application", 404, "recruiter", 200),
    # POST-only commands: posted empty by the owner, each refuses the input: a form comes back on its page
    # with its errors (400), a command redirects back to its page; either shows the view let them in.
    "application-create": Page(POST, "requisition", 404, "recruiter", 400),
    "interview-stage-remove": Page(POST, "stage", 404, "recruiter", 302),
    "application-move": Page(POST, "application", 404, "recruiter", 302),
    "interview-schedule": Page(POST, "application", 404, "recruiter", 400),
    "application-decide": Page(POST, "application", 404, "recruiter", 400),
    "scorecard-amend": Page(POST, "scorecard_a", 404, "owner", 400),
    # The competency framework is read by everyone signed in and written by sales leaders.
    "competency-list": Page(GET, None, 200, "leader", 200),
    "competency-create": Page(BOTH, None, 403, "leader", 200),
    "competency-detail": Page(GET, "competency", 200, "leader", 200),
    "competency-edit": Page(BOTH, "competency", 403, "leader", 200),
    "role-requirements": Page(BOTH, "role", 403, "leader", 200),
}


def _url(name: str, hiring: dict, target: str | None = "") -> str:
    target = PAGES[name].target if target == "" else target
    if target is None:
        return reverse(f"managers:{name}")
    objects = {"stage": hiring["stages"][0], "competency": hiring["competencies"]["coaching"]}
    obj = objects[target] if target in objects else hiring[target]
    return reverse(f"managers:{name}", args=[obj.pk])


def _user(request, name: str):
    if name in ("recruiter", "hr_admin"):
        return request.getfixturevalue(name)
    return request.getfixturevalue("org")[name].user


def _call(client, name: str, hiring: dict, method: str | None = None, data: dict | None = None):
    return getattr(client, method or PAGES[name].method)(_url(name, hiring), data or {})


@pytest.mark.parametrize("name", PAGES)
def test_hiring_page_sends_anonymous_to_login(client, hiring, name):
    response = _call(client, name, hiring)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["outsider", "seller"])
@pytest.mark.parametrize("name", PAGES)
def test_hiring_page_is_hidden_from_strangers(client, org, hiring, name, persona):
    response = _call(login_as(client, org[persona]), name, hiring)

    assert response.status_code == PAGES[name].stranger


@pytest.mark.parametrize("name", PAGES)
def test_hiring_page_refuses_the_wrong_method(client, recruiter, hiring, name):
    response = _call(login_as(client, recruiter), name, hiring, method=PAGES[name].wrong_method)

    assert response.status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_hiring_page_serves_its_owner(request, client, hiring, name):
    page = PAGES[name]

    response = _call(login_as(client, _user(request, page.owner)), name, hiring)

    assert response.status_code == page.owner_status
    if response.status_code == 302:
        assert not response.url.startswith(reverse("login"))


def test_hiring_pages_leave_everything_unchanged_for_strangers(client, org, hiring):
    # given an outsider who posts meaningful data to every command
    client = login_as(client, org["outsider"])
    application, stage = hiring["application"], hiring["stages"][1]
    posts = {
        "application-create": {"first_name": "Eve", "last_name": "Intruder", "email": "eve@mail.example"},
        "application-move": {"stage": "withdrawn"},
        "application-decide": {"decision": "reject", "rationale": "Not on my watch."},
        "interview-schedule": {
            "stage": stage.pk,
            "interviewer": org["outsider"].pk,
            "scheduled_at": "2027-01-10T10:00",
        },
        "interview-stage-remove": {},
    }

    # when
    statuses = {name: _call(client, name, hiring, data=data).status_code for name, data in posts.items()}

    # then
    assert set(statuses.values()) == {404}
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEWS and application.decision == ""
    assert application.interviews.count() == 2
    assert not Candidate.objects.filter(email="eve@mail.example").exists()
    assert InterviewStage.objects.filter(pk=hiring["stages"][0].pk).exists()


# The interviewer (`owner`, interviewer A) sees the application they interview on, nothing else.


@pytest.mark.parametrize(
    "name",
    [
        "requisition-detail",
        "requisition-edit",
        "pipeline-board",
        "interview-plan",
        "scorecards-export",
        "interview-stage-edit",
    ],
)
def test_interviewer_does_not_see_the_requisition(client, owner, hiring, name):
    assert _call(login_as(client, owner), name, hiring).status_code == 404


def test_interviewer_opens_the_application_they_interview_on(client, owner, hiring):
    response = login_as(client, owner).get(_url("application-detail", hiring))

    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "schedule_form" not in response.context and "decision_form" not in response.context
    assert [interview.scorecard for interview in response.context["own_drafts"]] == [hiring["scorecard_a"]]


def test_interviewer_cannot_open_another_interviewers_scorecard(client, owner, hiring):
    client = login_as(client, owner)

    assert client.get(_url("scorecard-edit", hiring, "scorecard_b")).status_code == 404
    assert client.post(_url("scorecard-amend", hiring, "scorecard_b"), {"reason": "x", "note": "y"}).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("application-move", {"stage": "decision"}),
        ("application-decide", {"decision": "reject", "rationale": "Not a fit."}),
        ("interview-schedule", {"interviewer": "owner", "scheduled_at": "2027-01-10T10:00"}),
    ],
)
def test_interviewer_cannot_move_decide_or_schedule(client, owner, hiring, name, data):
    data = dict(data, stage=data.get("stage", hiring["stages"][0].pk))
    if data.get("interviewer") == "owner":
        data["interviewer"] = owner.pk

    response = _call(login_as(client, owner), name, hiring, data=data)

    assert response.status_code == 403
    application = Application.objects.get(pk=hiring["application"].pk)
    assert application.stage == Application.Stage.INTERVIEWS and application.decision == ""
    assert application.interviews.count() == 2


@pytest.mark.parametrize(
    ("persona", "status"), [("seller", 403), ("hr_admin", 403), ("recruiter", 200), ("leader", 200), ("owner", 200)]
)
def test_hiring_home_is_for_recruiters_hiring_managers_and_interviewers(request, client, hiring, persona, status):
    assert login_as(client, _user(request, persona)).get(reverse("managers:hiring-home")).status_code == status


# Candidates are seen by the people on the requisition only.


@pytest.mark.parametrize("persona", ["outsider", "peer_seller"])
def test_candidate_is_hidden_from_people_not_on_the_requisition(client, org, hiring, persona):
    client = login_as(client, org[persona])

    assert client.get(_url("application-detail", hiring)).status_code == 404
    home = client.get(reverse("managers:hiring-home"))
    assert home.status_code == 403
    assert "Casey Candidate" not in home.content.decode()  # (a generated name may be Casey)


def test_hiring_home_of_another_hiring_manager_shows_only_their_candidates(client, org, recruiter, hiring):
    # given `outsider` hires for a requisition of their own, and Casey's interviews await scorecards
    other = services.requisition_create(
        role=hiring["role"], title="FSM Other Region", hiring_manager=org["outsider"], recruiter=recruiter, by=recruiter
    )
    olive = CandidateFactory(first_name="Olive", last_name="Other")
    services.application_create(candidate=olive, requisition=other, by=recruiter)
    assert "Casey Candidate" in login_as(client, org["leader"]).get(reverse("managers:hiring-home")).content.decode()

    # when
    client = login_as(client, org["outsider"])
    response = client.get(reverse("managers:hiring-home"))

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "FSM Other Region" in body
    assert "FSM Enterprise, Berlin" not in body and "Casey Candidate" not in body  # (a generated name may be Casey)
    assert list(response.context["requisitions"]) == [other]
    assert client.get(_url("application-detail", hiring)).status_code == 404


# Opening a requisition.


def _requisition_post(role, hiring_manager, recruiter, **overrides) -> dict:
    data = {
        "role": role.pk,
        "title": "FSM Enterprise, Munich",
        "hiring_manager": hiring_manager.pk,
        "recruiter": recruiter.pk,
        "target_start": "2027-03-01",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("hiring_manager", ["owner", "leader"])
def test_requisition_create_by_recruiter_lands_on_the_plan(client, org, recruiter, hiring_manager):
    # `leader` manages two people: the hiring-manager choices must still hold them once.
    role = RoleFactory()

    response = login_as(client, recruiter).post(
        reverse("managers:requisition-create"), _requisition_post(role, org[hiring_manager], recruiter)
    )

    requisition = Requisition.objects.get(title="FSM Enterprise, Munich")
    assert response.status_code == 302
    assert response.url == reverse("managers:interview-plan", args=[requisition.pk])
    assert (requisition.role, requisition.hiring_manager, requisition.recruiter) == (
        role,
        org[hiring_manager],
        recruiter,
    )
    assert requisition.target_start == datetime.date(2027, 3, 1)
    assert requisition.status == Requisition.Status.OPEN and requisition.opened_by == recruiter


def test_requisition_create_offers_each_hiring_manager_once(client, org, recruiter):
    response = login_as(client, recruiter).get(reverse("managers:requisition-create"))

    choices = list(response.context["form"].fields["hiring_manager"].queryset)
    assert sorted(person.pk for person in choices) == sorted({person.pk for person in choices})
    assert {org["leader"], org["owner"], org["peer"], org["outsider"]} <= set(choices)
    assert org["seller"] not in choices


def test_requisition_edit_by_recruiter_saves_and_returns_to_the_requisition(client, org, recruiter, hiring):
    # The fixture's hiring manager is `leader`, who manages two people.
    requisition = hiring["requisition"]
    data = {
        "title": "FSM Enterprise, Berlin Mitte",
        "hiring_manager": org["leader"].pk,
        "recruiter": recruiter.pk,
        "target_start": "2027-01-04",
        "status": "open",
    }

    response = login_as(client, recruiter).post(_url("requisition-edit", hiring), data)

    assert response.status_code == 302 and response.url == _url("requisition-detail", hiring)
    requisition.refresh_from_db()
    assert requisition.title == "FSM Enterprise, Berlin Mitte" and requisition.hiring_manager == org["leader"]


def _other_requisitions(hiring: dict):
    """Every requisition but the module's (Berlin): the ones a test's posts created."""
    return Requisition.objects.exclude(pk=hiring["requisition"].pk)


def test_requisition_create_without_title_shows_the_error(client, org, recruiter, hiring):
    response = login_as(client, recruiter).post(
        reverse("managers:requisition-create"), _requisition_post(RoleFactory(), org["owner"], recruiter, title="")
    )

    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not _other_requisitions(hiring).exists()


def test_requisition_create_by_leader_names_a_hiring_manager_from_their_tree_only(client, org, recruiter, hiring):
    client, role = login_as(client, org["leader"]), RoleFactory()

    refused = client.post(reverse("managers:requisition-create"), _requisition_post(role, org["outsider"], recruiter))
    assert refused.status_code == 200
    assert "hiring_manager" in refused.context["form"].errors
    assert not _other_requisitions(hiring).exists()

    accepted = client.post(reverse("managers:requisition-create"), _requisition_post(role, org["owner"], recruiter))
    assert accepted.status_code == 302
    assert _other_requisitions(hiring).get().hiring_manager == org["owner"]


def test_requisition_create_is_refused_to_a_manager(client, org, recruiter, hiring):
    client = login_as(client, org["owner"])

    assert client.get(reverse("managers:requisition-create")).status_code == 403
    response = client.post(
        reverse("managers:requisition-create"), _requisition_post(RoleFactory(), org["owner"], recruiter)
    )
    assert response.status_code == 403
    assert not _other_requisitions(hiring).exists()


# The interview plan.


def test_interview_plan_recruiter_adds_an_interview_covering_two_competencies(client, recruiter, hiring):
    competencies, plan = hiring["competencies"], _url("interview-plan", hiring)

    response = login_as(client, recruiter).post(
        plan,
        {
            "name": "Forecast review",
            "duration_minutes": 60,
            "competencies": [competencies["storytelling"].pk, competencies["resilience"].pk],
        },
    )

    assert response.status_code == 302 and response.url == plan
    stage = hiring["requisition"].stages.get(name="Forecast review")
    assert set(stage.focus.values_list("competency__key", flat=True)) == {"storytelling", "resilience"}
    assert (stage.duration_minutes, stage.position) == (60, 2)


def test_interview_plan_without_competency_shows_the_error(client, recruiter, hiring):
    response = login_as(client, recruiter).post(
        _url("interview-plan", hiring), {"name": "Forecast review", "duration_minutes": 60}
    )

    assert response.status_code == 200
    assert "competencies" in response.context["form"].errors
    assert not InterviewStage.objects.filter(name="Forecast review").exists()


def test_interview_stage_remove_refuses_a_stage_with_interviews(client, recruiter, hiring):
    stage = hiring["stages"][0]

    response = login_as(client, recruiter).post(_url("interview-stage-remove", hiring))

    assert response.status_code == 302 and response.url == _url("interview-plan", hiring)
    assert any("stays in the plan" in message for message in messages_of(response))
    assert InterviewStage.objects.filter(pk=stage.pk).exists()


def test_interview_stage_remove_removes_a_stage_without_interviews(client, recruiter, hiring):
    stage = services.interview_stage_add(
        requisition=hiring["requisition"], name="Spare", competencies=[hiring["competencies"]["coaching"]], by=recruiter
    )

    response = login_as(client, recruiter).post(reverse("managers:interview-stage-remove", args=[stage.pk]))

    assert response.status_code == 302
    assert not InterviewStage.objects.filter(pk=stage.pk).exists()


def test_interview_plan_warns_of_required_competencies_no_interview_covers(client, recruiter, hiring):
    forecasting = CompetencyFactory(key="forecasting")
    requirement = RoleCompetencyFactory(role=hiring["role"], competency=forecasting, required_level=2)

    response = login_as(client, recruiter).get(_url("interview-plan", hiring))

    assert response.context["uncovered"] == [requirement]
    body = response.content.decode()
    warning = body.split("Required competencies no interview covers yet:", 1)[1].split("</div>", 1)[0]
    assert "Forecasting" in warning
    assert not any(name in warning for name in ("Coaching", "Storytelling", "Resilience"))


# Adding candidates from the requisition page.


def test_application_create_adds_a_candidate_at_applied(client, recruiter, hiring):
    response = login_as(client, recruiter).post(
        _url("application-create", hiring),
        {"first_name": "Dana", "last_name": "Doe", "email": "dana@mail.example", "source": "referral"},
    )

    candidate = Candidate.objects.get(email="dana@mail.example")
    application = Application.objects.get(candidate=candidate, requisition=hiring["requisition"])
    assert response.status_code == 302
    assert response.url == reverse("managers:application-detail", args=[application.pk])
    assert (candidate.first_name, candidate.last_name) == ("Dana", "Doe")
    assert (application.stage, application.source) == (Application.Stage.APPLIED, "referral")
    assert application.events.get().actor == recruiter


def test_application_create_reuses_the_candidate_with_the_same_email(client, org, recruiter, hiring):
    # given a second requisition
    second = services.requisition_create(
        role=hiring["role"],
        title="FSM Enterprise, Hamburg",
        hiring_manager=org["leader"],
        recruiter=recruiter,
        by=recruiter,
    )

    # when Casey applies again, with the email in another case
    response = login_as(client, recruiter).post(
        reverse("managers:application-create", args=[second.pk]),
        {"first_name": "Casey", "last_name": "Candidate", "email": "CASEY@Mail.Example"},
    )

    # then
    assert Candidate.objects.count() == 1
    application = Application.objects.get(requisition=second)
    assert application.candidate == hiring["candidate"]
    assert response.url == reverse("managers:application-detail", args=[application.pk])
    assert any("already a candidate" in message for message in messages_of(response))


def test_application_create_refuses_the_same_candidate_twice_on_a_requisition(client, recruiter, hiring):
    response = login_as(client, recruiter).post(
        _url("application-create", hiring),
        {"first_name": "Casey", "last_name": "Candidate", "email": "casey@mail.example"},
    )

    assert response.status_code == 400
    assert any("already applied" in error for error in response.context["add_form"].non_field_errors())
    assert 'value="casey@mail.example"' in response.content.decode()  # what was typed is kept
    assert Application.objects.filter(candidate=hiring["candidate"], requisition=hiring["requisition"]).count() == 1


def test_application_create_reports_a_bad_email(client, recruiter, hiring):
    response = login_as(client, recruiter).post(
        _url("application-create", hiring), {"first_name": "Dana", "last_name": "Doe", "email": "not-an-email"}
    )

    assert response.status_code == 400
    assert response.context["add_form"].errors["email"]
    assert 'value="Dana"' in response.content.decode() and 'value="not-an-email"' in response.content.decode()
    assert not Candidate.objects.filter(first_name="Dana").exists()


# The pipeline board.


def _lanes(body: str) -> dict[str, str]:
    """The HTML of each lane of the board, by its data-stage."""
    board = body.split('data-testid="board"', 1)[1].split('data-testid="closed"', 1)[0]
    return {part.split('"', 1)[0]: part for part in board.split('data-stage="')[1:]}


def test_pipeline_board_move_goes_one_step_and_returns_to_the_board(client, recruiter, hiring):
    application, board = hiring["application"], _url("pipeline-board", hiring)
    client = login_as(client, recruiter)
    # the board offers the one-step move it posts
    card = client.get(board).content.decode().split(f'data-testid="card-{application.pk}"', 1)[1].split("</form>")
    assert any('name="stage" value="decision"' in form and 'name="next" value="board"' in form for form in card)

    response = client.post(_url("application-move", hiring), {"stage": "decision", "next": "board"})

    assert response.status_code == 302 and response.url == board
    application.refresh_from_db()
    assert application.stage == Application.Stage.DECISION
    event = application.events.first()
    assert (event.from_stage, event.to_stage, event.actor) == ("interviews", "decision", recruiter)


def test_application_move_to_hired_is_refused(client, recruiter, hiring):
    application = hiring["application"]
    events = application.events.count()

    response = login_as(client, recruiter).post(_url("application-move", hiring), {"stage": "hired", "next": "board"})

    assert response.status_code == 302
    assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["error"]
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEWS and application.decision == ""
    assert application.events.count() == events


def test_pipeline_board_shows_every_active_application_in_its_lane(client, recruiter, hiring):
    # given a candidate at every open stage, Casey at interviews, and one who withdrew
    requisition = hiring["requisition"]
    names = {"applied": "Avery Applied", "screen": "Sam Screen", "decision": "Dee Decision", "withdrawn": "Walt Gone"}
    for stage, name in names.items():
        first, last = name.split()
        application = services.application_create(
            candidate=CandidateFactory(first_name=first, last_name=last), requisition=requisition, by=recruiter
        )
        if stage != "applied":
            services.application_move(application=application, to_stage=stage, by=recruiter)
    names["interviews"] = "Casey Candidate"

    # when
    body = login_as(client, recruiter).get(_url("pipeline-board", hiring)).content.decode()

    # then
    lanes = _lanes(body)
    assert set(lanes) == {"applied", "screen", "interviews", "decision"}
    for stage, lane in lanes.items():
        assert {name for name in names.values() if name in lane} == {names[stage]}, stage
    closed = body.split('data-testid="closed"', 1)[1]
    assert "Walt Gone" in closed


# Scheduling an interview from the candidate's page.


def test_interview_schedule_creates_the_interview_and_a_draft_scorecard(client, org, recruiter, hiring):
    application = services.application_create(
        candidate=CandidateFactory(first_name="Dana", last_name="Doe"), requisition=hiring["requisition"], by=recruiter
    )
    role_play = hiring["stages"][1]  # coaching and resilience

    response = login_as(client, recruiter).post(
        reverse("managers:interview-schedule", args=[application.pk]),
        {"stage": role_play.pk, "interviewer": org["peer"].pk, "scheduled_at": "2027-01-10T10:00"},
    )

    assert response.url == reverse("managers:application-detail", args=[application.pk])
    interview = Interview.objects.get(application=application)
    assert (interview.stage, interview.interviewer) == (role_play, org["peer"])
    assert interview.scorecard.status == Scorecard.Status.DRAFT
    ratings = set(interview.scorecard.ratings.values_list("competency__key", "rating"))
    assert ratings == {("coaching", None), ("resilience", None)}
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEWS


def test_interview_schedule_does_not_offer_or_accept_an_interviewer_without_login(client, org, recruiter, hiring):
    no_login = PersonFactory(manager=org["leader"], user=None, first_name="Nolan", last_name="Nologin")
    client = login_as(client, recruiter)

    page = client.get(_url("application-detail", hiring))
    accepted = page.context["schedule_form"].fields["interviewer"].queryset
    assert org["peer"] in accepted and no_login not in accepted
    found = client.get(_url("interviewer-search", hiring), {"q": "Nologin"}).json()["results"]
    assert found == []

    response = client.post(
        _url("interview-schedule", hiring),
        {"stage": hiring["stages"][0].pk, "interviewer": no_login.pk, "scheduled_at": "2027-01-10T10:00"},
    )
    assert response.status_code == 400
    assert response.context["schedule_form"].errors["interviewer"]
    assert 'value="2027-01-10T10:00"' in response.content.decode()  # the time typed is kept
    assert not Interview.objects.filter(interviewer=no_login).exists()


# The CSV export.


def _export_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


EXPORT_HEADER = [
    "candidate",
    "email",
    "interview",
    "interviewer",
    "interview_at",
    "submitted_at",
    "competency",
    "rating",
    "evidence",
    "recommendation",
    "summary",
]


def test_scorecards_export_has_one_row_per_submitted_rating(client, org, recruiter, hiring):
    # given both scorecards submitted, one with a competency not assessed
    c = hiring["competencies"]
    submit_scorecard(
        hiring["scorecard_a"], org["owner"], {c["coaching"]: (3, "Asked first."), c["storytelling"]: (None, "")}
    )
    submit_scorecard(
        hiring["scorecard_b"], org["peer"], {c["coaching"]: (2, "Told."), c["resilience"]: (3, "Kept going.")}
    )

    # when
    response = login_as(client, recruiter).get(_url("scorecards-export", hiring))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="scorecards-fsm-enterprise-berlin.csv"'
    header, *rows = _export_rows(response)
    assert header == EXPORT_HEADER
    owner, peer = org["owner"].full_name, org["peer"].full_name
    assert sorted((row[0], row[2], row[3], row[6], row[7], row[8]) for row in rows) == sorted(
        [
            ("Casey Candidate", "Hiring manager interview", owner, "coaching", "3", "Asked first."),
            ("Casey Candidate", "Hiring manager interview", owner, "storytelling", "not assessed", ""),
            ("Casey Candidate", "Role play", peer, "coaching", "2", "Told."),
            ("Casey Candidate", "Role play", peer, "resilience", "3", "Kept going."),
        ]
    )
    assert {row[1] for row in rows} == {"casey@mail.example"}


def test_scorecards_export_leaves_out_drafts(client, org, recruiter, hiring):
    c = hiring["competencies"]
    submit_scorecard(
        hiring["scorecard_b"], org["peer"], {c["coaching"]: (2, "Told."), c["resilience"]: (3, "Kept going.")}
    )

    header, *rows = _export_rows(login_as(client, recruiter).get(_url("scorecards-export", hiring)))

    assert {row[2] for row in rows} == {"Role play"} and len(rows) == 2


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1:A2)"])
def test_scorecards_export_defuses_formulas(client, org, recruiter, hiring, text):
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_a"], org["owner"], {coaching: (3, text)}, summary=text)

    header, *rows = _export_rows(login_as(client, recruiter).get(_url("scorecards-export", hiring)))

    coaching_row = next(row for row in rows if row[6] == "coaching")
    assert coaching_row[8] == "'" + text
    assert coaching_row[10] == "'" + text


@pytest.mark.parametrize("persona", ["outsider", "owner"])
def test_scorecards_export_is_hidden_from_outsider_and_interviewer(client, org, hiring, persona):
    # even after both scorecards are submitted, when the interviewer may read all the feedback
    c = hiring["competencies"]
    submit_scorecard(hiring["scorecard_a"], org["owner"], {c["coaching"]: (3, "Asked first.")})
    submit_scorecard(hiring["scorecard_b"], org["peer"], {c["coaching"]: (2, "Told.")})

    assert login_as(client, org[persona]).get(_url("scorecards-export", hiring)).status_code == 404


# The competency framework pages. The module's competencies coaching, storytelling and resilience are there
# in every test: `CompetencyFactory(key="coaching")` gets the module's (the factory gets or creates by key).


def _competency_post(**overrides) -> dict:
    data = {
        "name": "Forecasting",
        "key": "forecasting",
        "kind": "skill",
        "description": "Calls the number.",
        "anchor_1": "Forecasts when asked.",
        "anchor_2": "Forecasts weekly.",
        "anchor_3": "Within 5%.",
        "anchor_4": "Others copy the method.",
        "interview_questions": "How do you build a forecast?",
    }
    data.update(overrides)
    return data


def _edit_post(competency: Competency, **overrides) -> dict:
    """The edit form as the browser posts it, unchanged unless overridden."""
    data = {
        name: getattr(competency, name)
        for name in (
            "name",
            "kind",
            "description",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "interview_questions",
        )
    }
    if competency.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return data


def test_competency_create_by_leader(client, leader):
    response = login_as(client, leader).post(reverse("managers:competency-create"), _competency_post())

    competency = Competency.objects.get(key="forecasting")
    assert response.status_code == 302
    assert response.url == reverse("managers:competency-detail", args=[competency.pk])
    assert [text for _level, text in competency.anchors] == [
        "Forecasts when asked.",
        "Forecasts weekly.",
        "Within 5%.",
        "Others copy the method.",
    ]
    assert competency.is_active


@pytest.mark.parametrize("anchor", ["anchor_1", "anchor_2", "anchor_3", "anchor_4"])
def test_competency_create_requires_every_anchor(client, leader, hiring, anchor):
    response = login_as(client, leader).post(reverse("managers:competency-create"), _competency_post(**{anchor: ""}))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {anchor}
    assert not Competency.objects.exclude(pk__in=[c.pk for c in hiring["competencies"].values()]).exists()


def _update_columns(captured) -> list[set[str]]:
    """The columns each UPDATE of a competency row set."""
    updates = [query["sql"] for query in captured if query["sql"].startswith('UPDATE "managers_competency"')]
    return [set(re.findall(r'"(\w+)" = ', sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0])) for sql in updates]


def test_competency_edit_saves_only_the_changed_field(client, leader):
    competency = CompetencyFactory(key="coaching")
    client = login_as(client, leader)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            reverse("managers:competency-edit", args=[competency.pk]), _edit_post(competency, name="Team coaching")
        )

    assert response.status_code == 302
    assert _update_columns(captured) == [{"name", "updated_at"}]
    competency.refresh_from_db()
    assert (competency.name, competency.key) == ("Team coaching", "coaching")


def test_competency_edit_without_changes_writes_nothing(client, leader):
    competency = CompetencyFactory(key="coaching")
    before = competency.updated_at

    with CaptureQueriesContext(connection) as captured:
        response = login_as(client, leader).post(
            reverse("managers:competency-edit", args=[competency.pk]), _edit_post(competency)
        )

    assert response.status_code == 302
    assert _update_columns(captured) == []
    competency.refresh_from_db()
    assert competency.updated_at == before


def test_competency_edit_retires_a_competency(client, leader):
    competency = CompetencyFactory(key="coaching")
    data = _edit_post(competency)
    del data["is_active"]  # an unticked checkbox is not posted

    login_as(client, leader).post(reverse("managers:competency-edit", args=[competency.pk]), data)

    competency.refresh_from_db()
    assert not competency.is_active


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("competency-list", 200),
        ("competency-detail", 200),
        ("competency-create", 403),
        ("competency-edit", 403),
        ("role-requirements", 403),
    ],
)
def test_competency_pages_for_a_manager_are_read_only(client, owner, hiring, name, status):
    client = login_as(client, owner)
    competency = hiring["competencies"]["coaching"]

    assert _call(client, name, hiring, method="get").status_code == status
    if status == 403:
        _call(client, name, hiring, method="post", data=_competency_post(name="Hijacked", key="hijacked"))
        assert not Competency.objects.filter(key="hijacked").exists()
        competency.refresh_from_db()
        assert competency.name == "Coaching"


def _requirements_post(levels: dict[Competency, tuple[int, int]]) -> dict:
    """The requirements form as the browser posts it: every active competency, "not required" unless in
    `levels`."""
    data = {}
    for competency in Competency.objects.filter(is_active=True):
        level, weight = levels.get(competency, ("", 1))
        data[f"c{competency.pk}-required_level"] = level
        data[f"c{competency.pk}-weight"] = weight
    return data


def test_role_requirements_leader_sets_and_clears_requirements(client, leader):
    role = RoleFactory()
    coaching, storytelling, _resilience = (CompetencyFactory(key=key) for key in ("coaching", "storytelling", "x"))
    client, url = login_as(client, leader), reverse("managers:role-requirements", args=[role.pk])

    # when two competencies are set
    response = client.post(url, _requirements_post({coaching: (3, 5), storytelling: (2, 1)}))

    # then
    assert response.status_code == 302 and response.url == reverse("managers:role-detail", args=[role.pk])
    rows = RoleCompetency.objects.filter(role=role)
    assert {(row.competency.key, row.required_level, row.weight) for row in rows} == {
        ("coaching", 3, 5),
        ("storytelling", 2, 1),
    }

    # when one is cleared
    client.post(url, _requirements_post({coaching: (3, 5)}))

    # then
    rows = RoleCompetency.objects.filter(role=role)
    assert {(row.competency.key, row.required_level, row.weight) for row in rows} == {("coaching", 3, 5)}


def test_role_requirements_page_shows_the_current_levels(client, leader, hiring):
    response = login_as(client, leader).get(_url("role-requirements", hiring))

    initial = {competency.key: form.initial for competency, form in response.context["form"].rows}
    assert initial["coaching"] == {"required_level": 3, "weight": 3}
    assert initial["storytelling"] == {"required_level": 2, "weight": 1}


# Pinned query counts.


def _add_applications(hiring: dict, org: dict, recruiter, count: int) -> None:
    """Adds `count` applications, each with an interview that took place; every other scorecard is
    submitted, the rest still drafts, and some cards sit at screen, so every column of the pages has work."""
    stage, coaching = hiring["stages"][0], hiring["competencies"]["coaching"]
    past = timezone.now() - datetime.timedelta(days=3)
    existing = hiring["requisition"].applications.count()
    for number in range(existing, existing + count):
        application = services.application_create(
            candidate=CandidateFactory(), requisition=hiring["requisition"], by=recruiter
        )
        interviewer = org["owner"] if number % 2 else org["peer"]
        interview = services.interview_schedule(
            application=application, stage=stage, interviewer=interviewer, scheduled_at=past, by=recruiter
        )
        if number % 2:
            submit_scorecard(interview.scorecard, interviewer, {coaching: (1 + number % 4, "Evidence.")})
        if number % 3 == 0:
            services.application_move(application=application, to_stage="decision", by=recruiter)


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "most"), [("hiring-home", 8), ("pipeline-board", 14)])
def test_hiring_page_queries_do_not_grow_with_applications(
    client, org, recruiter, hiring, django_assert_max_num_queries, name, most
):
    client, url = login_as(client, recruiter), _url(name, hiring)
    _add_applications(hiring, org, recruiter, 2)
    client.get(url)  # warm up: session and per-process caches
    three = _count_queries(client, url)

    _add_applications(hiring, org, recruiter, 27)
    assert Application.objects.filter(requisition=hiring["requisition"]).count() == 30
    with django_assert_max_num_queries(most):
        thirty = _count_queries(client, url)

    assert thirty == three
    assert ApplicationEvent.objects.filter(application__requisition=hiring["requisition"]).count() > 30
