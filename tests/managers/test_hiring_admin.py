"""The competency and hiring admin: every page opens for a superuser, competencies save through their
services, scorecards and hiring records stay read-only, and the admin is closed to non-staff."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from managers.models import Application, Candidate, Competency, RoleCompetency, Scorecard
from managers.services import hiring as services
from tests.enablement.factories import PersonFactory, UserFactory
from tests.managers.factories import CandidateFactory, CompetencyFactory
from tests.managers.test_hiring_services import submit

pytestmark = pytest.mark.django_db

MODELS = ("competency", "rolecompetency", "requisition", "candidate", "application", "scorecard")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "x")


@pytest.fixture
def submitted(hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    scorecard = submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play.")})
    services.scorecard_amend(scorecard=scorecard, by=owner.user, reason="Typo", note="Crisp, not crisps.")
    return Scorecard.objects.get(pk=scorecard.pk)


def _competency_form(competency: Competency, **overrides) -> dict:
    data = {
        "name": competency.name,
        "kind": competency.kind,
        "description": competency.description,
        "anchor_1": competency.anchor_1,
        "anchor_2": competency.anchor_2,
        "anchor_3": competency.anchor_3,
        "anchor_4": competency.anchor_4,
        "interview_questions": competency.interview_questions,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def _objects(hiring) -> dict:
    return {
        "competency": hiring["competencies"]["coaching"],
        "rolecompetency": RoleCompetency.objects.filter(role=hiring["role"]).first(),
        "requisition": hiring["requisition"],
        "candidate": hiring["candidate"],
        "application": hiring["application"],
        "scorecard": hiring["scorecard_a"],
    }


# Every page opens.


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_and_change_page_open_for_a_superuser(client, superuser, hiring, submitted, model):
    client.force_login(superuser)
    obj = _objects(hiring)[model]

    assert client.get(reverse(f"admin:managers_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:managers_{model}_change", args=[obj.pk])).status_code == 200


def test_admin_shows_the_read_only_inlines(client, superuser, hiring, submitted):
    client.force_login(superuser)

    requisition_page = client.get(reverse("admin:managers_requisition_change", args=[hiring["requisition"].pk]))
    scorecard_page = client.get(reverse("admin:managers_scorecard_change", args=[submitted.pk]))
    application_page = client.get(reverse("admin:managers_application_change", args=[hiring["application"].pk]))

    assert "Role play" in requisition_page.content.decode()
    assert "Ran a crisp role play." in scorecard_page.content.decode()
    assert "Crisp, not crisps." in scorecard_page.content.decode()
    assert "Interview scheduled" in application_page.content.decode()
    for page in (requisition_page, scorecard_page, application_page):
        assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize("model", ["scorecard", "application", "candidate"])
def test_admin_changelist_runs_the_same_queries_for_few_and_many_rows(
    client, superuser, hiring, recruiter, model, django_assert_max_num_queries
):
    client.force_login(superuser)
    url = reverse(f"admin:managers_{model}_changelist")
    client.get(url)  # warm the session and content type caches
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200

    for _ in range(8):
        application = services.application_create(
            candidate=CandidateFactory(), requisition=hiring["requisition"], by=recruiter
        )
        interviewer = PersonFactory(user=UserFactory())
        PersonFactory(manager=interviewer)  # interviewers lead people
        services.interview_schedule(
            application=application,
            stage=hiring["stages"][0],
            interviewer=interviewer,
            scheduled_at=timezone.now(),
            by=recruiter,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# Scorecards are view-only, superusers included.


def test_admin_never_changes_a_submitted_scorecard(client, superuser, submitted):
    client.force_login(superuser)
    url = reverse("admin:managers_scorecard_change", args=[submitted.pk])

    response = client.post(url, {"status": "draft", "summary": "Rewritten.", "recommendation": "strong_no"})

    assert response.status_code == 403
    scorecard = Scorecard.objects.get(pk=submitted.pk)
    assert (scorecard.status, scorecard.summary, scorecard.recommendation) == ("submitted", "Solid.", "yes")


def test_admin_never_deletes_or_adds_a_scorecard(client, superuser, submitted):
    client.force_login(superuser)
    delete_url = reverse("admin:managers_scorecard_delete", args=[submitted.pk])

    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:managers_scorecard_add")).status_code == 403
    changelist = client.post(
        reverse("admin:managers_scorecard_changelist"),
        {"action": "delete_selected", "_selected_action": [submitted.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert Scorecard.objects.filter(pk=submitted.pk).exists()


def test_admin_never_changes_an_application(client, superuser, hiring):
    client.force_login(superuser)
    url = reverse("admin:managers_application_change", args=[hiring["application"].pk])
    assert client.post(url, {"stage": "hired"}).status_code == 403
    assert Application.objects.get(pk=hiring["application"].pk).stage == "interviews"


# Competencies save through their services and are retired, not deleted.


def test_admin_edits_a_competency_through_the_service(client, superuser):
    competency = CompetencyFactory(key="coaching")
    client.force_login(superuser)
    url = reverse("admin:managers_competency_change", args=[competency.pk])

    response = client.post(url, _competency_form(competency, anchor_1="Coaches when asked."))

    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.anchor_1 == "Coaches when asked." and competency.key == "coaching"


def test_admin_shows_an_invalid_competency_edit_and_changes_nothing(client, superuser):
    competency = CompetencyFactory(key="coaching")
    before = Competency.objects.get(pk=competency.pk)
    client.force_login(superuser)
    url = reverse("admin:managers_competency_change", args=[competency.pk])

    response = client.post(url, _competency_form(competency, anchor_1="", name="Coaching, renamed"))

    assert response.status_code == 200
    assert "anchor_1" in response.context["adminform"].form.errors
    after = Competency.objects.get(pk=competency.pk)
    assert (after.anchor_1, after.name, after.updated_at) == (before.anchor_1, before.name, before.updated_at)


def test_admin_creates_a_competency_through_the_service(client, superuser):
    client.force_login(superuser)
    draft = CompetencyFactory.build(key="forecasting", name="Forecasting")

    response = client.post(reverse("admin:managers_competency_add"), {"key": "forecasting", **_competency_form(draft)})

    assert response.status_code == 302
    assert Competency.objects.get(key="forecasting").name == "Forecasting"


def test_admin_retires_competencies_and_never_deletes_them(client, superuser):
    competency = CompetencyFactory(key="coaching")
    client.force_login(superuser)
    changelist = reverse("admin:managers_competency_changelist")

    assert client.post(reverse("admin:managers_competency_delete", args=[competency.pk])).status_code == 403
    client.post(changelist, {"action": "retire", "_selected_action": [competency.pk]})

    competency.refresh_from_db()
    assert competency.is_active is False


def test_admin_does_not_add_a_retired_competency_to_a_role(client, superuser, hiring):
    retired = CompetencyFactory(key="old-school", is_active=False)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:managers_rolecompetency_add"),
        {"role": hiring["role"].pk, "competency": retired.pk, "required_level": 2, "weight": 1},
    )

    assert response.status_code == 200
    assert "retired" in response.content.decode()
    assert not RoleCompetency.objects.filter(competency=retired).exists()


# Candidates: contact details only.


def test_admin_edits_a_candidates_contact_details_only(client, superuser, hiring):
    candidate = hiring["candidate"]
    client.force_login(superuser)
    url = reverse("admin:managers_candidate_change", args=[candidate.pk])

    response = client.post(
        url,
        {
            "first_name": "Casey",
            "last_name": "Candidate",
            "email": "Casey.New@Mail.Example",
            "phone": "+49 30 1234",
            "profile_url": "",
            "external_id": "ATS-HACKED",
        },
    )

    assert response.status_code == 302
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert (candidate.email, candidate.phone, candidate.external_id) == ("casey.new@mail.example", "+49 30 1234", "")
    assert client.get(reverse("admin:managers_candidate_add")).status_code == 403


def test_admin_refuses_a_candidate_email_another_candidate_has(client, superuser, hiring):
    CandidateFactory(email="taken@mail.example")
    client.force_login(superuser)
    url = reverse("admin:managers_candidate_change", args=[hiring["candidate"].pk])

    response = client.post(url, {"first_name": "Casey", "last_name": "Candidate", "email": "TAKEN@mail.example"})

    assert response.status_code == 200
    assert Candidate.objects.get(pk=hiring["candidate"].pk).email == "casey@mail.example"


def test_admin_searches_candidates(client, superuser, hiring):
    client.force_login(superuser)
    response = client.get(reverse("admin:managers_candidate_changelist"), {"q": "casey@mail"})
    assert response.context["cl"].result_count == 1


# Access.


@pytest.mark.parametrize("model", MODELS)
def test_admin_is_closed_to_non_staff(client, org, model):
    client.force_login(org["owner"].user)
    response = client.get(reverse(f"admin:managers_{model}_changelist"))
    assert response.status_code == 302 and "login" in response.url


def test_admin_is_closed_to_anonymous(client):
    response = client.get(reverse("admin:managers_scorecard_changelist"))
    assert response.status_code == 302 and "login" in response.url
