"""Hiring services, run against the database: scorecards, independence, aggregation, decisions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coaching.models import Assessment
from enablement.models import Person
from managers import policy
from managers.models import Application, Candidate, Requisition, RoleAssignment, Scorecard
from managers.selectors.hiring import candidate_profiles
from managers.services import hiring as services
from managers.services.hiring import RatingInput


def submit(scorecard, user, ratings, recommendation="yes", summary="Solid."):
    return services.scorecard_submit(
        scorecard=scorecard,
        by=user,
        ratings={competency.pk: RatingInput(*value) for competency, value in ratings.items()},
        recommendation=recommendation,
        summary=summary,
    )


def test_scorecard_submit_requires_evidence_for_every_rating_and_saves_nothing(hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    storytelling = hiring["competencies"]["storytelling"]
    with pytest.raises(ValidationError) as error:
        submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play."), storytelling: (2, "")})
    assert "Storytelling" in str(error.value.message_dict["ratings"])
    scorecard = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert scorecard.status == Scorecard.Status.DRAFT
    assert not scorecard.ratings.filter(rating__isnull=False).exists()


def test_scorecard_submit_freezes_it(hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play.")})
    with pytest.raises(ValidationError):
        submit(hiring["scorecard_a"], owner.user, {coaching: (1, "Changed my mind.")})
    assert hiring["scorecard_a"].ratings.get(competency=coaching).rating == 3


def test_scorecard_only_the_interviewer_fills_it_in(hiring, peer):
    with pytest.raises(PermissionDenied):
        services.scorecard_save_draft(scorecard=hiring["scorecard_a"], by=peer.user, ratings={})


def test_independence_before_and_after_submitting(hiring, owner, peer, leader, recruiter):
    application = hiring["application"]
    coaching = hiring["competencies"]["coaching"]
    submit(hiring["scorecard_b"], peer.user, {coaching: (2, "Told, did not ask.")})
    assert not policy.can_see_feedback(owner.user, application)
    assert list(policy.scorecards_visible_to(owner.user)) == [hiring["scorecard_a"]]
    assert policy.can_see_feedback(recruiter, application)
    assert policy.can_see_feedback(leader.user, application)

    submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play.")})
    assert policy.can_see_feedback(owner.user, application)
    assert set(policy.scorecards_visible_to(owner.user)) == {hiring["scorecard_a"], hiring["scorecard_b"]}


def test_profile_aggregates_known_numbers(hiring, owner, peer):
    coaching, storytelling, resilience = (
        hiring["competencies"][key] for key in ("coaching", "storytelling", "resilience")
    )
    submit(hiring["scorecard_a"], owner.user, {coaching: (4, "a"), storytelling: (None, "")})
    submit(hiring["scorecard_b"], peer.user, {coaching: (2, "b"), resilience: (3, "c")})
    profile = candidate_profiles([hiring["application"]])[hiring["application"].pk]
    scores = {score.competency.key: score for score in profile.scores}
    assert (scores["coaching"].mean, scores["coaching"].lowest, scores["coaching"].highest) == (3, 2, 4)
    assert scores["coaching"].count == 2 and scores["coaching"].disagreement
    assert scores["storytelling"].count == 0 and scores["storytelling"].not_covered
    assert scores["resilience"].mean == 3 and not scores["resilience"].disagreement
    # coaching 3/3 at weight 3, resilience 3/3 at weight 2: full fit over what was covered (5 of 6 weight).
    assert profile.fit == 100
    assert str(profile.coverage) == "83.33"
    assert {flag.code for flag in profile.flags} == {"disagreement", "not_covered"}


def test_decide_hire_creates_person_assigns_role_and_records_assessment(hiring, owner, peer, recruiter):
    coaching = hiring["competencies"]["coaching"]
    submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Good.")})
    submit(hiring["scorecard_b"], peer.user, {coaching: (2, "Weaker.")})
    services.application_decide(
        application=hiring["application"],
        decision="hire",
        rationale="Strong coach.",
        by=recruiter,
        external_id="HR-NEW-1",
    )
    person = Person.objects.get(external_id="HR-NEW-1")
    assert person.manager == hiring["requisition"].hiring_manager
    assert RoleAssignment.objects.get(person=person, ended_on__isnull=True).role == hiring["role"]
    assert hiring["requisition"].__class__.objects.get(pk=hiring["requisition"].pk).status == Requisition.Status.FILLED
    assessment = Assessment.objects.get(person=person)
    assert assessment.source == Assessment.Source.HIRING
    assert str(assessment.ratings.get(competency=coaching).level) == "2.50"


def test_decide_refuses_wrong_user_and_missing_rationale(hiring, owner, recruiter):
    with pytest.raises(PermissionDenied):
        services.application_decide(application=hiring["application"], decision="reject", rationale="x", by=owner.user)
    with pytest.raises(ValidationError):
        services.application_decide(application=hiring["application"], decision="reject", rationale=" ", by=recruiter)
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS


def test_candidate_upsert_deduplicates_by_email_and_external_id(db):
    first, created = services.candidate_upsert(by=None, email="Ana@Mail.example", first_name="Ana", last_name="Li")
    again, created_again = services.candidate_upsert(
        by=None, email="ana@mail.example", first_name="Ana", last_name="Li", external_id="ATS-1"
    )
    assert created and not created_again and first == again and again.external_id == "ATS-1"
    by_id, _ = services.candidate_upsert(
        by=None, email="ana.li@other.example", first_name="Ana", last_name="Li", external_id="ATS-1"
    )
    assert by_id == first


def test_interview_schedule_refuses_the_same_interview_twice(hiring, owner, recruiter):
    first_stage = hiring["stages"][0]
    with pytest.raises(ValidationError):
        services.interview_schedule(
            application=hiring["application"],
            stage=first_stage,
            interviewer=owner,
            scheduled_at=timezone.now(),
            by=recruiter,
        )
    assert hiring["application"].interviews.count() == 2


def test_scorecard_save_draft_writes_only_what_changed(hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    ratings = {coaching.pk: RatingInput(3, "Good.")}
    services.scorecard_save_draft(scorecard=hiring["scorecard_a"], by=owner.user, ratings=ratings, summary="Draft.")
    saved = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    rating = saved.ratings.get(competency=coaching)
    assert rating.updated_at > rating.created_at

    services.scorecard_save_draft(scorecard=hiring["scorecard_a"], by=owner.user, ratings=ratings, summary="Draft.")
    again = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert again.updated_at == saved.updated_at
    assert again.ratings.get(competency=coaching).updated_at == rating.updated_at


def test_load_competencies_adds_the_library_once_and_keeps_edits(db):
    from django.core.management import call_command

    from managers.models import Competency
    from managers.services.competencies import competency_update

    call_command("load_competencies")
    assert Competency.objects.count() == 12
    coaching = Competency.objects.get(key="coaching")
    competency_update(competency=coaching, by=None, anchor_1="Our own words.")
    call_command("load_competencies")
    assert Competency.objects.count() == 12
    assert Competency.objects.get(key="coaching").anchor_1 == "Our own words."


def test_profile_flags_nothing_uncovered_before_any_scorecard_is_submitted(hiring, owner):
    profile = candidate_profiles([hiring["application"]])[hiring["application"].pk]
    # both interviews were yesterday, so both scorecards are missing; nothing else is flagged yet
    assert [flag.code for flag in profile.flags] == ["missing_scorecard", "missing_scorecard"]

    submit(hiring["scorecard_a"], owner.user, {hiring["competencies"]["coaching"]: (3, "a")})
    profile = candidate_profiles([hiring["application"]])[hiring["application"].pk]
    assert [flag.code for flag in profile.flags] == ["not_covered", "not_covered", "missing_scorecard"]
    assert profile.flag_lines == [
        "Not covered: Resilience, Storytelling",
        f"Scorecard missing: {hiring['scorecard_b'].interview.interviewer}",
    ]


def test_candidate_apply_leaves_nothing_behind_when_the_application_is_refused(hiring, recruiter):
    services.requisition_update(requisition=hiring["requisition"], by=recruiter, status=Requisition.Status.ON_HOLD)
    with pytest.raises(ValidationError):
        services.candidate_apply(
            requisition=hiring["requisition"], by=recruiter, email="new@mail.example", first_name="N", last_name="N"
        )
    with pytest.raises(ValidationError):  # Casey already applied: their details stay as they were
        services.requisition_update(requisition=hiring["requisition"], by=recruiter, status=Requisition.Status.OPEN)
        services.candidate_apply(
            requisition=hiring["requisition"],
            by=recruiter,
            email="casey@mail.example",
            first_name="Casey",
            last_name="Candidate",
            external_id="ATS-NEW",
        )
    assert not Candidate.objects.filter(email="new@mail.example").exists()
    assert Candidate.objects.get(pk=hiring["candidate"].pk).external_id == ""


def test_decide_hire_refuses_a_former_employee_and_uses_the_start_date(hiring, recruiter, org):
    from enablement.org.services import person_terminate

    former = org["outsider_seller"]
    Candidate.objects.filter(pk=hiring["candidate"].pk).update(email=former.email)
    person_terminate(person=former, on=datetime.date(2026, 6, 30))
    with pytest.raises(ValidationError) as error:
        services.application_decide(application=hiring["application"], decision="hire", rationale="r", by=recruiter)
    assert "former employee" in str(error.value)
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS

    Candidate.objects.filter(pk=hiring["candidate"].pk).update(email="casey@mail.example")
    services.application_decide(
        application=hiring["application"],
        decision="hire",
        rationale="r",
        by=recruiter,
        external_id="HR-2",
        start_date=datetime.date(2027, 3, 1),
    )
    person = Person.objects.get(external_id="HR-2")
    assert person.start_date == datetime.date(2027, 3, 1)
    assert person.role_assignments.get().started_on == datetime.date(2027, 3, 1)


def test_interview_cancel_removes_a_draft_and_keeps_a_submitted_one(hiring, owner, recruiter):
    services.interview_cancel(interview=hiring["scorecard_b"].interview, by=recruiter)
    assert list(hiring["application"].interviews.all()) == [hiring["scorecard_a"].interview]
    assert "Interview cancelled" in hiring["application"].events.first().note
    submit(hiring["scorecard_a"], owner.user, {hiring["competencies"]["coaching"]: (3, "a")})
    with pytest.raises(ValidationError):
        services.interview_cancel(interview=hiring["scorecard_a"].interview, by=recruiter)
    assert Scorecard.objects.filter(pk=hiring["scorecard_a"].pk).exists()


def test_withdrawn_candidate_can_come_back_but_a_decision_is_final(hiring, recruiter):
    application = services.application_move(application=hiring["application"], to_stage="withdrawn", by=recruiter)
    application = services.application_move(application=application, to_stage="screen", by=recruiter)
    assert application.stage == Application.Stage.SCREEN
    services.application_decide(application=application, decision="reject", rationale="r", by=recruiter)
    with pytest.raises(ValidationError):
        services.application_move(application=application, to_stage="screen", by=recruiter)


def test_closed_applications_have_no_pending_or_missing_scorecards(hiring, recruiter):
    from managers.selectors.hiring import pending_scorecards_for, requisition_overview_for

    assert pending_scorecards_for(user=recruiter).count() == 2
    services.application_move(application=hiring["application"], to_stage="withdrawn", by=recruiter)
    assert pending_scorecards_for(user=recruiter).count() == 0
    assert requisition_overview_for(user=recruiter).get().overdue_count == 0
    assert (
        candidate_profiles([Application.objects.get(pk=hiring["application"].pk)])[hiring["application"].pk].flags == []
    )


def test_a_superuser_who_interviews_is_held_to_independence_too(hiring, owner, peer):
    peer.user.is_superuser = True
    peer.user.save(update_fields=["is_superuser"])
    submit(hiring["scorecard_a"], owner.user, {hiring["competencies"]["coaching"]: (3, "a")})
    assert not policy.can_see_feedback(peer.user, hiring["application"])
