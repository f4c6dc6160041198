"""Scorecards and decisions through the pages, signed in as each person: independence, read-only
submitted scorecards with amendments beside them, decisions, and the comparison's pinned queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enablement.models import Person
from managers.models import (
    Application,
    Candidate,
    Interview,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from managers.services import hiring as services
from tests.helpers import submit_scorecard
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory

pytestmark = pytest.mark.django_db

B_EVIDENCE = "Asked three open questions before pitching; the seller found the fix herself."


def _scorecard_post(scorecard, competencies, *, action="submit", recommendation="yes", summary="Clear coach."):
    # "submit" is the confirmed submit (the page asks first: see test_hiring_journeys.py); "save" a draft.
    data = {"recommendation": recommendation, "summary": summary, action: "confirmed" if action == "submit" else "1"}
    for competency, (rating, evidence) in competencies.items():
        data[f"rating_{competency.pk}"] = "" if rating is None else str(rating)
        data[f"evidence_{competency.pk}"] = evidence
    return data


def test_independence_interviewer_sees_others_feedback_only_after_submitting(client, hiring, owner, peer):
    # Given interviewer B has submitted, and interviewer A has not
    coaching, storytelling = hiring["competencies"]["coaching"], hiring["competencies"]["storytelling"]
    submit_scorecard(hiring["scorecard_b"], peer.user, {coaching: (2, B_EVIDENCE)})
    application_url = reverse("managers:application-detail", args=[hiring["application"].pk])
    client.force_login(owner.user)

    # When A opens the candidate page, then neither B's scorecard nor the aggregate shows
    page = client.get(application_url).content.decode()
    assert B_EVIDENCE not in page
    assert 'data-testid="feedback-hidden"' in page and 'data-testid="fit"' not in page
    # nor does B's scorecard page exist for A
    assert client.get(reverse("managers:scorecard-edit", args=[hiring["scorecard_b"].pk])).status_code == 404

    # When A submits through the page
    data = _scorecard_post(hiring["scorecard_a"], {coaching: (3, "Ran a tight role play."), storytelling: (None, "")})
    response = client.post(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk]), data)
    assert response.status_code == 302 and response.url == application_url

    # Then B's evidence and the profile show
    page = client.get(application_url).content.decode()
    assert B_EVIDENCE in page
    assert 'data-testid="fit"' in page and "feedback-hidden" not in page


def test_independence_recruiter_and_hiring_manager_see_everything_submitted(client, hiring, peer, leader, recruiter):
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_b"], peer.user, {coaching: (2, B_EVIDENCE)})
    for user in (recruiter, leader.user):
        client.force_login(user)
        page = client.get(reverse("managers:application-detail", args=[hiring["application"].pk])).content.decode()
        assert B_EVIDENCE in page and 'data-testid="fit"' in page


def test_scorecard_page_shows_each_focus_competency_with_its_anchors(client, hiring, owner):
    client.force_login(owner.user)
    page = client.get(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk])).content.decode()
    assert 'data-competency="coaching"' in page and 'data-competency="storytelling"' in page
    assert 'data-competency="resilience"' not in page  # not a focus of A's interview
    for level in (1, 2, 3, 4):
        assert getattr(hiring["competencies"]["coaching"], f"anchor_{level}") in page


def test_scorecard_submit_without_evidence_shows_error_and_saves_nothing(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    client.force_login(owner.user)
    data = _scorecard_post(hiring["scorecard_a"], {coaching: (3, "")})
    response = client.post(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk]), data)
    assert response.status_code == 400
    assert "Give evidence for every rating" in response.content.decode()
    scorecard = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert scorecard.status == Scorecard.Status.DRAFT
    assert scorecard.ratings.get(competency=coaching).rating is None


def test_scorecard_save_draft_keeps_partial_work(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    client.force_login(owner.user)
    data = _scorecard_post(hiring["scorecard_a"], {coaching: (3, "")}, action="save", recommendation="", summary="")
    response = client.post(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk]), data)
    assert response.status_code == 302
    scorecard = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert scorecard.status == Scorecard.Status.DRAFT and scorecard.ratings.get(competency=coaching).rating == 3


def test_submitted_scorecard_cannot_be_changed_through_the_page(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Original evidence.")})
    before = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    client.force_login(owner.user)
    data = _scorecard_post(hiring["scorecard_a"], {coaching: (1, "Rewritten.")}, recommendation="strong_no")
    response = client.post(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk]), data)
    assert 'data-testid="submitted-scorecard"' in response.content.decode()
    after = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert (after.recommendation, after.updated_at) == (before.recommendation, before.updated_at)
    assert ScorecardRating.objects.get(scorecard=after, competency=coaching).evidence == "Original evidence."


def test_scorecard_amendment_is_kept_beside_the_submitted_scorecard(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Original evidence.")})
    client.force_login(owner.user)
    url = reverse("managers:scorecard-amend", args=[hiring["scorecard_a"].pk])
    response = client.post(url, {"reason": "Mixed up two candidates", "note": "Coaching was a 2, not a 3."})
    assert response.status_code == 302
    amendment = ScorecardAmendment.objects.get(scorecard=hiring["scorecard_a"])
    assert (amendment.reason, amendment.author) == ("Mixed up two candidates", owner.user)
    assert hiring["scorecard_a"].ratings.get(competency=coaching).rating == 3  # never overwritten
    page = client.get(reverse("managers:application-detail", args=[hiring["application"].pk])).content.decode()
    assert "Mixed up two candidates" in page and "Original evidence." in page

    assert client.post(url, {"reason": "", "note": "x"}).status_code == 400
    assert ScorecardAmendment.objects.count() == 1


def test_amendment_refused_on_someone_elses_or_a_draft_scorecard(client, hiring, owner, peer):
    client.force_login(peer.user)
    response = client.post(
        reverse("managers:scorecard-amend", args=[hiring["scorecard_a"].pk]), {"reason": "r", "note": "n"}
    )
    assert response.status_code == 404
    client.force_login(owner.user)
    response = client.post(
        reverse("managers:scorecard-amend", args=[hiring["scorecard_a"].pk]), {"reason": "r", "note": "n"}
    )
    assert response.status_code == 400 and not ScorecardAmendment.objects.exists()


def test_decision_by_recruiter_hires_and_links_the_person(client, hiring, owner, recruiter):
    coaching = hiring["competencies"]["coaching"]
    submit_scorecard(hiring["scorecard_a"], owner.user, {coaching: (3, "Good.")})
    client.force_login(recruiter)
    url = reverse("managers:application-decide", args=[hiring["application"].pk])

    response = client.post(url, {"decision": "hire", "rationale": ""})
    assert response.status_code == 400 and response.context["decision_form"].errors["rationale"]
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS

    data = {"decision": "hire", "rationale": "Best coach we met.", "external_id": "HR-777", "confirmed": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    application = Application.objects.get(pk=hiring["application"].pk)
    assert (application.stage, application.decision_rationale) == (Application.Stage.HIRED, "Best coach we met.")
    person = Person.objects.get(external_id="HR-777")
    assert Candidate.objects.get(pk=hiring["candidate"].pk).person == person
    assert person.role_assignments.get(ended_on__isnull=True).role == hiring["role"]


def test_decision_refused_to_interviewers_and_leaves_application_as_is(client, hiring, owner):
    client.force_login(owner.user)
    response = client.post(
        reverse("managers:application-decide", args=[hiring["application"].pk]),
        {"decision": "reject", "rationale": "x"},
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS


def _ten_required_competencies(hiring) -> list:
    extra = [CompetencyFactory(key=f"extra-{index}") for index in range(7)]
    for competency in extra:
        RoleCompetencyFactory(role=hiring["role"], competency=competency, required_level=3, weight=2)
    return [*hiring["competencies"].values(), *extra]


def _compared_candidates(hiring, rated, *, first: int, count: int, scorecards: int = 5) -> None:
    """`count` applications on the hiring requisition, each with `scorecards` submitted scorecards rating
    every competency of `rated`."""
    interviewer, stage = hiring["scorecard_a"].interview.interviewer, hiring["stages"][0]
    now = timezone.now()
    for index in range(first, first + count):
        candidate = Candidate.objects.create(first_name=f"C{index}", last_name="Compared", email=f"c{index}@x.example")
        application = Application.objects.create(
            candidate=candidate,
            requisition=hiring["requisition"],
            stage=Application.Stage.INTERVIEWS,
            stage_changed_at=now,
        )
        for number in range(scorecards):
            interview = Interview.objects.create(
                application=application,
                stage=stage,
                interviewer=interviewer,
                scheduled_at=now - datetime.timedelta(days=2),
            )
            scorecard = Scorecard.objects.create(
                interview=interview,
                status=Scorecard.Status.SUBMITTED,
                submitted_at=now,
                recommendation="yes",
                summary="s",
            )
            ScorecardRating.objects.bulk_create(
                ScorecardRating(
                    scorecard=scorecard, competency=competency, rating=1 + (index + number) % 4, evidence="e"
                )
                for competency in rated
            )


def test_comparison_of_30_candidates_runs_a_fixed_number_of_queries(
    client, hiring, recruiter, django_assert_num_queries, django_assert_max_num_queries
):
    """Given 30 candidates with 5 scorecards of 10 competencies each, the comparison page runs as many
    queries as it does for 2."""
    url = reverse("managers:requisition-detail", args=[hiring["requisition"].pk])
    client.force_login(recruiter)
    rated = _ten_required_competencies(hiring)
    _compared_candidates(hiring, rated, first=0, count=2)
    client.get(url)  # the session and caches warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    _compared_candidates(hiring, rated, first=2, count=28)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    # a page of 8 (COMPARISON_COLUMNS) of the 31: the fixture's own candidate, longest in the stage, and 7 of these
    assert page.count("Compared</a>") == 7
    assert page.count("n=5)") == 7 * 10  # each shown one's mean over 5 ratings, for each of 10 competencies
    with django_assert_max_num_queries(20):
        client.get(url)


def test_decision_rationale_is_hidden_from_an_interviewer_still_drafting(client, hiring, owner, peer, recruiter):
    submit_scorecard(
        hiring["scorecard_b"], peer.user, {hiring["competencies"]["coaching"]: (1, B_EVIDENCE)}, "strong_no"
    )
    services.application_decide(
        application=hiring["application"], decision="reject", rationale="Peer rated coaching 1.", by=recruiter
    )
    client.force_login(owner.user)
    page = client.get(reverse("managers:application-detail", args=[hiring["application"].pk])).content.decode()
    assert "Peer rated coaching 1." not in page and 'data-testid="decision"' not in page
    assert "Submitted</span>" not in page  # nor whose scorecards are in


def test_board_and_comparison_show_no_feedback_counts_to_an_overseeing_leader_still_drafting(
    client, hiring, owner, peer, leader, recruiter
):
    # Given owner is the hiring manager, so leader oversees; leader interviews and has not submitted
    services.requisition_update(requisition=hiring["requisition"], by=recruiter, hiring_manager=owner)
    services.interview_schedule(
        application=hiring["application"],
        stage=hiring["stages"][0],
        interviewer=leader,
        scheduled_at=timezone.now(),
        by=recruiter,
    )
    submit_scorecard(hiring["scorecard_b"], peer.user, {hiring["competencies"]["coaching"]: (2, B_EVIDENCE)})
    client.force_login(leader.user)
    board = client.get(reverse("managers:pipeline-board", args=[hiring["requisition"].pk])).content.decode()
    assert "Casey Candidate" in board and "Scorecards 1/" not in board
    comparison = client.get(reverse("managers:requisition-detail", args=[hiring["requisition"].pk])).content.decode()
    assert "Submit your own scorecard first" in comparison and "2.00" not in comparison


def test_recruiter_cancels_an_interview_from_the_candidate_page(client, hiring, owner, recruiter):
    url = reverse("managers:interview-cancel", args=[hiring["scorecard_b"].interview.pk])
    client.force_login(owner.user)
    assert client.post(url).status_code == 403
    client.force_login(recruiter)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Interview.objects.filter(pk=hiring["scorecard_b"].interview.pk).exists()


def test_plan_questions_per_competency_reach_the_interviewers_scorecard(client, hiring, owner, recruiter):
    focus = hiring["stages"][0].focus.get(competency=hiring["competencies"]["coaching"])
    url = reverse("managers:interview-focus-questions", args=[focus.pk])
    client.force_login(owner.user)
    assert client.post(url, {"questions": "Nope"}).status_code == 404
    client.force_login(recruiter)
    assert client.post(url, {"questions": "Walk me through your last call review.\n\n"}).status_code == 302
    client.force_login(owner.user)
    page = client.get(reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk])).content.decode()
    assert "Walk me through your last call review." in page
    assert "Tell me about a time you did this." in page  # storytelling keeps the competency's own questions
