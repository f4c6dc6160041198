"""Requisitions for the manager roles, each with a four-interview plan, candidates at every stage, and a
scorecard per interview (drafts for interviews still to write up)."""

import datetime

from coaching.large_org.build import BATCH, EMAIL_DOMAIN, Org, Shape, _name
from coaching.large_org.charters import Framework
from managers.models import (
    Application,
    Candidate,
    Interview,
    InterviewFocus,
    InterviewStage,
    Requisition,
    Scorecard,
    ScorecardRating,
)

STAGES = ("Recruiter screen", "Hiring manager", "Coaching role-play", "Pipeline review")
# Out of every 20 applications: where they stand.
PIPELINE = ["interviews"] * 9 + ["decision"] * 5 + ["hired"] + ["rejected"] * 4 + ["withdrawn"]
RECOMMENDATIONS = ("strong_no", "no", "yes", "strong_yes")


def _requisitions(shape: Shape, org: Org, framework: Framework, now: datetime.datetime) -> list[Requisition]:
    return Requisition.objects.bulk_create(
        Requisition(
            role=framework.roles[index % len(framework.roles)],
            title=f"Frontline Sales Manager, segment {index % len(framework.roles) + 1} #{index + 1}",
            hiring_manager=org.directors[index % len(org.directors)],
            recruiter=org.recruiter_users[index % len(org.recruiter_users)],
            team=org.directors[index % len(org.directors)].team,
            status="open" if index % 10 else "on_hold",
            target_start=(now + datetime.timedelta(days=60)).date(),
            external_id=f"LREQ-{index + 1}",
            opened_by=org.recruiter_users[index % len(org.recruiter_users)],
        )
        for index in range(shape.requisitions)
    )


def build_hiring(shape: Shape, org: Org, framework: Framework, now: datetime.datetime) -> None:
    requisitions = _requisitions(shape, org, framework, now)
    stages = InterviewStage.objects.bulk_create(
        (
            InterviewStage(requisition=requisition, position=n, name=name, duration_minutes=45)
            for requisition in requisitions
            for n, name in enumerate(STAGES)
        ),
        batch_size=BATCH,
    )
    stages_of: dict[int, list[InterviewStage]] = {}
    for stage in stages:
        stages_of.setdefault(stage.requisition_id, []).append(stage)
    focus_of: dict[int, list] = {}
    focuses = []
    for requisition in requisitions:
        required = framework.required[requisition.role_id]
        for n, stage in enumerate(stages_of[requisition.pk]):
            chosen = [required[(n * 2 + k) % len(required)] for k in range(2 + n % 2)]
            focus_of[stage.pk] = chosen
            focuses += [InterviewFocus(stage=stage, competency=competency) for competency in chosen]
    InterviewFocus.objects.bulk_create(focuses, batch_size=BATCH)

    per = shape.candidates_per_requisition
    candidates = Candidate.objects.bulk_create(
        (
            Candidate(
                first_name=_name(index + 7)[0],
                last_name=_name(index + 7)[1],
                email=f"candidate{index + 1}@{EMAIL_DOMAIN}",
                external_id=f"LCAND-{index + 1}",
                phone="+1 555 0100",
            )
            for index in range(len(requisitions) * per)
        ),
        batch_size=BATCH,
    )
    applications = []
    for index, candidate in enumerate(candidates):
        stage = PIPELINE[index % len(PIPELINE)]
        decided = stage in ("hired", "rejected")
        applications.append(
            Application(
                candidate=candidate,
                requisition=requisitions[index // per],
                stage=stage,
                stage_changed_at=now - datetime.timedelta(days=index % 15),
                source=("referral", "inbound", "sourced")[index % 3],
                decision={"hired": "hire", "rejected": "reject"}.get(stage, ""),
                decision_rationale="Strong coaching evidence." if decided else "",
                decided_by=requisitions[index // per].recruiter if decided else None,
                decided_at=now - datetime.timedelta(days=2) if decided else None,
            )
        )
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    _interviews(shape, org, applications, stages_of, focus_of, now)


def _interviews(shape, org: Org, applications, stages_of, focus_of, now: datetime.datetime) -> None:
    """Four interviews per application: the hiring manager's, and three by managers under the same
    director. The last interview of an application still in interviews is in the past, its scorecard a
    draft: the pending scorecards the hiring pages and reminders chase."""
    managers_of: dict[int, list] = {}
    for manager in org.managers:
        managers_of.setdefault(manager.manager_id, []).append(manager)
    interviews = []
    for index, application in enumerate(applications):
        requisition = application.requisition
        peers = managers_of.get(requisition.hiring_manager_id) or org.managers
        for n, stage in enumerate(stages_of[requisition.pk][: shape.interviews_per_application]):
            interviewer = requisition.hiring_manager if n == 1 else peers[(index + n) % len(peers)]
            interviews.append(
                Interview(
                    application=application,
                    stage=stage,
                    interviewer=interviewer,
                    scheduled_at=now - datetime.timedelta(days=20 - n * 4, hours=index % 8),
                )
            )
    interviews = Interview.objects.bulk_create(interviews, batch_size=BATCH)
    stage_of_application = {application.pk: application.stage for application in applications}
    scorecards = Scorecard.objects.bulk_create(
        (
            Scorecard(interview=interview, status="draft")
            if stage_of_application[interview.application_id] == "interviews" and n % 4 == 3
            else Scorecard(
                interview=interview,
                status="submitted",
                recommendation=RECOMMENDATIONS[(interview.application_id + n) % 4],
                summary="Clear examples of coaching sellers through a stalled deal.",
                submitted_at=interview.scheduled_at + datetime.timedelta(hours=3),
            )
            for n, interview in enumerate(interviews)
        ),
        batch_size=BATCH,
    )
    ScorecardRating.objects.bulk_create(
        (
            ScorecardRating(
                scorecard=scorecard,
                competency=competency,
                rating=None if scorecard.status == "draft" else 1 + (scorecard.interview_id + k) % 4,
                evidence="" if scorecard.status == "draft" else "Walked through a deal review with specifics.",
            )
            for scorecard in scorecards
            for k, competency in enumerate(focus_of[scorecard.interview.stage_id])
        ),
        batch_size=BATCH,
    )
