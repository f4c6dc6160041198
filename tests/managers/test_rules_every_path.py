"""Each hiring rule that used to be decided in more than one place, run through every path that reaches
it (the pages and the API): the same case must get the same answer, with the same message, everywhere.
The rules are asked by the services; the pages and the API only pass the refusal on."""

import datetime

import pytest
from django.urls import reverse

from managers import policy
from managers.models import Acknowledgement, Application, CharterVersion, Requisition
from managers.services import hiring as services
from managers.services.charters import charter_acknowledge, role_assign
from tests.helpers import api_client, login_as
from tests.managers.factories import CompetencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overseen(hiring, org, recruiter):
    """A requisition whose hiring manager is `owner`: `leader` oversees it (it is in their sub-tree) and
    sees it, but does not work on it."""
    return services.requisition_create(
        role=hiring["role"], title="FSM, Munich", hiring_manager=org["owner"], recruiter=recruiter, by=recruiter
    )


def _page(client, user, name: str, pk: int | None, data: dict):
    url = reverse(f"managers:{name}", args=[pk] if pk else [])
    response = login_as(client, user).post(url, data)
    return response.status_code, response.content.decode()


def _api(user, name: str, pk: int | None, data: dict, method: str = "post"):
    url = reverse(name, args=[pk] if pk else [])
    response = getattr(api_client(user), method)(url, data, format="json")
    return response.status_code, response.json().get("detail", "")


MOVE = {"stage": "decision"}
DECIDE = {"decision": "reject", "rationale": "Not a fit."}


def _cases(hiring, org, overseen, recruiter) -> dict:
    """(who, page call, API call, the message both must give)."""
    application, interviewer = hiring["application"].pk, org["owner"].user
    leader, manager = org["leader"].user, org["peer"].user
    edit = {"title": "Mine now", "hiring_manager": org["owner"].pk, "recruiter": recruiter.pk, "status": "closed"}
    opened = {"role": hiring["role"].pk, "title": "FSM", "hiring_manager": org["peer"].pk, "recruiter": recruiter.pk}
    return {
        "an interviewer moves the candidate": (
            lambda client: _page(client, interviewer, "application-move", application, MOVE),
            lambda: _api(interviewer, "application-move", application, MOVE),
            policy.CANDIDATES_DENIED,
        ),
        "an interviewer decides": (
            lambda client: _page(client, interviewer, "application-decide", application, DECIDE),
            lambda: _api(interviewer, "application-decide", application, DECIDE),
            policy.CANDIDATES_DENIED,
        ),
        "an overseeing leader changes the requisition": (
            lambda client: _page(client, leader, "requisition-edit", overseen.pk, edit),
            lambda: _api(leader, "requisition-detail", overseen.pk, {"status": "closed"}, method="patch"),
            policy.REQUISITION_DENIED,
        ),
        "a manager who recruits nobody opens a requisition": (
            lambda client: _page(client, manager, "requisition-create", None, opened),
            lambda: _api(manager, "requisition-list", None, {**opened, "hiring_manager": org["peer"].pk}),
            policy.OPEN_REQUISITIONS_DENIED,
        ),
    }


CASES = (
    "an interviewer moves the candidate",
    "an interviewer decides",
    "an overseeing leader changes the requisition",
    "a manager who recruits nobody opens a requisition",
)


@pytest.mark.parametrize("case", CASES)
def test_a_hiring_change_is_refused_alike_by_the_page_and_the_api(client, hiring, org, overseen, recruiter, case):
    page, api, message = _cases(hiring, org, overseen, recruiter)[case]

    page_status, page_body = page(client)
    api_status, api_detail = api()

    assert (page_status, api_status) == (403, 403)
    assert str(message) in page_body and api_detail == str(message)
    application = Application.objects.get(pk=hiring["application"].pk)
    assert (application.stage, application.decision) == (Application.Stage.INTERVIEWS, "")
    assert Requisition.objects.get(pk=overseen.pk).status == Requisition.Status.OPEN
    assert Requisition.objects.count() == 2


# -- who fills in the details a found candidate is missing --------------------------------------------------


@pytest.fixture
def other_requisition(hiring, org, recruiter):
    """A requisition `outsider` hires for, with the same recruiter: Casey (on the leader's requisition) is
    someone `outsider` cannot see."""
    return services.requisition_create(
        role=hiring["role"],
        title="FSM, Other Region",
        hiring_manager=org["outsider"],
        recruiter=recruiter,
        by=recruiter,
    )


CASEY = {"email": "CASEY@mail.example", "first_name": "C", "last_name": "C", "profile_url": "https://ats.example/c"}


def _add_on_page(client, user, requisition) -> None:
    url = reverse("managers:application-create", args=[requisition.pk])
    assert login_as(client, user).post(url, CASEY).status_code == 302


def _add_through_api(client, user, requisition) -> None:
    assert api_client(user).post(reverse("candidate-list"), CASEY, format="json").status_code == 200


@pytest.mark.parametrize("path", [_add_on_page, _add_through_api], ids=["page", "API"])
@pytest.mark.parametrize(("who", "fills_in"), [("outsider", False), ("recruiter", True)])
def test_a_found_candidate_is_filled_in_by_the_same_people_on_the_page_and_the_api(
    request, client, hiring, org, other_requisition, path, who, fills_in
):
    """Casey has no profile link. Whoever types one in with Casey's email fills it in only if they keep the
    candidate records (a recruiter) or already see Casey: the hiring manager of another requisition does
    not, through either path."""
    user = request.getfixturevalue("recruiter") if who == "recruiter" else org[who].user

    path(client, user, other_requisition)

    casey = hiring["candidate"]
    casey.refresh_from_db()
    assert casey.profile_url == (CASEY["profile_url"] if fills_in else "")
    assert (casey.first_name, casey.last_name) == ("Casey", "Candidate")


# -- charters and the competency framework ---------------------------------------------------------------------


@pytest.fixture
def own_question(org, charter):
    """The leader holds the charter's role too and asked a question when acknowledging it."""
    role_assign(person=org["leader"], role=charter["role"], on=datetime.date(2026, 2, 1), by=None)
    own = Acknowledgement.objects.get(person=org["leader"], version=charter["version"])
    return charter_acknowledge(
        acknowledgement=own,
        by=org["leader"].user,
        clarity_focus=3,
        clarity_deprioritize=3,
        clarity_success=3,
        question="Am I clear?",
    )


def _charter_cases(org, charter, question, competency) -> dict:
    leader, owner = org["leader"].user, org["owner"].user
    version, role = charter["version"].pk, charter["role"].pk
    requirement = {"competency": competency.key, "required_level": 4, "weight": 5}
    return {
        "a leader answers their own question": (
            lambda client: _page(client, leader, "acknowledgement-answer", question.pk, {"answer": "Yes, me."}),
            lambda: _api(leader, "acknowledgement-answer", question.pk, {"answer": "Yes, me."}),
            policy.ANSWER_DENIED,
        ),
        "a manager publishes their charter": (
            lambda client: _page(client, owner, "version-publish", version, {}),
            lambda: _api(owner, "charter-version-publish", version, {}),
            policy.CHARTERS_DENIED,
        ),
        "a manager changes what their role requires": (
            lambda client: _page(client, owner, "role-requirements", role, {}),
            lambda: _api(owner, "role-requirements", role, {"requirements": [requirement]}, method="put"),
            policy.COMPETENCIES_DENIED,
        ),
        "a manager edits a competency": (
            lambda client: _page(client, owner, "competency-edit", competency.pk, {"name": "Mine"}),
            lambda: _api(owner, "competency-detail", competency.pk, {"name": "Mine"}, method="patch"),
            policy.COMPETENCIES_DENIED,
        ),
    }


CHARTER_CASES = (
    "a leader answers their own question",
    "a manager publishes their charter",
    "a manager changes what their role requires",
    "a manager edits a competency",
)


@pytest.mark.parametrize("case", CHARTER_CASES)
def test_a_charter_change_is_refused_alike_by_the_page_and_the_api(client, org, charter, own_question, case):
    competency = CompetencyFactory(key="coaching", name="Coaching")
    page, api, message = _charter_cases(org, charter, own_question, competency)[case]

    page_status, page_body = page(client)
    api_status, api_detail = api()

    assert (page_status, api_status) == (403, 403)
    assert str(message) in page_body and api_detail == str(message)
    own_question.refresh_from_db()
    competency.refresh_from_db()
    assert (own_question.answer, competency.name) == ("", "Coaching")
    assert not charter["role"].requirements.exists()
    assert CharterVersion.objects.get(pk=charter["version"].pk).status == CharterVersion.Status.PUBLISHED
