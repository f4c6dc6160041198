"""The hiring journeys as a recruiter, a hiring manager and an interviewer walk them (issue 16): the fit
figure only on enough evidence, gaps that never go negative, forms that keep their input, confirmations
before what cannot be undone, closing out a requisition after a hire, the interviewer picker that
searches, the recruiter's landing page and inbox, and the candidate chart."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enablement.models import Person
from managers.charts import competency_profile_svg
from managers.models import Application, ApplicationEvent, Interview, Requisition, Scorecard
from managers.selectors.hiring import FIT_MIN_COVERAGE, CompetencyScore
from managers.selectors.interviewers import INTERVIEWER_MATCHES
from managers.services import hiring as services
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import login_as, submit_scorecard
from tests.managers.factories import CandidateFactory, CompetencyFactory

pytestmark = pytest.mark.django_db


def _detail(hiring) -> str:
    return reverse("managers:application-detail", args=[hiring["application"].pk])


def _decide(hiring) -> str:
    return reverse("managers:application-decide", args=[hiring["application"].pk])


def _fit_cell(body: str) -> str:
    return body.split('data-testid="fit"', 1)[1].split("</div>", 1)[0]


# 1. The fit figure leads with the evidence and waits for enough of it.


def test_fit_is_not_shown_on_thin_evidence_on_the_candidate_page_or_the_comparison(client, hiring, owner, recruiter):
    # Given one scorecard of two in, rating only coaching: 3 of the 6 weight points (50%), met in full
    submit_scorecard(hiring["scorecard_a"], owner, {hiring["competencies"]["coaching"]: (4, "Strong.")})
    client = login_as(client, recruiter)

    page = client.get(_detail(hiring)).content.decode()
    comparison = client.get(reverse("managers:requisition-detail", args=[hiring["requisition"].pk])).content.decode()

    # Then the evidence leads and no "100%" fit is claimed
    assert "Not enough evidence yet" in _fit_cell(page) and "100%" not in _fit_cell(page)
    assert re.search(r'data-testid="scorecards-in">\s*1 / 2', page)
    assert re.search(r'data-testid="coverage">\s*50%', page)
    assert f"{FIT_MIN_COVERAGE}%" in page
    assert "not enough evidence" in _fit_cell(comparison) and "100%" not in _fit_cell(comparison)


def test_fit_is_shown_once_coverage_passes_the_threshold(client, hiring, owner, peer, recruiter):
    coaching, resilience = hiring["competencies"]["coaching"], hiring["competencies"]["resilience"]
    submit_scorecard(hiring["scorecard_a"], owner, {coaching: (3, "Good.")})
    submit_scorecard(hiring["scorecard_b"], peer, {coaching: (3, "Good."), resilience: (2, "Wobbly.")})

    page = login_as(client, recruiter).get(_detail(hiring)).content.decode()

    # 5 of 6 weight points rated (83%): fit = (3*1 + 2*2/3) / 5 = 87%, said to rest on the 83% rated
    assert "87%" in _fit_cell(page)
    assert "on the 83% rated" in page


def test_gap_reads_meets_or_exceeds_never_negative(client, hiring, owner, recruiter):
    coaching, storytelling = hiring["competencies"]["coaching"], hiring["competencies"]["storytelling"]
    submit_scorecard(hiring["scorecard_a"], owner, {coaching: (3, "Met."), storytelling: (4, "Above.")})

    page = login_as(client, recruiter).get(_detail(hiring)).content.decode()

    assert 'data-gap="meets"' in page and 'data-gap="exceeds"' in page
    assert "-2.00" not in page and "-1.00" not in page
    assert CompetencyScore(competency=coaching, required_level=3, weight=1, mean=1, count=1).gap_state == "short"


# 4. The chart: long names and the top value stay inside the drawing.


def test_candidate_chart_keeps_long_names_and_the_top_value_inside(hiring):
    long = CompetencyFactory(key="long", name="Pipeline and forecast discipline across every segment")
    score = CompetencyScore(competency=long, required_level=3, weight=2, mean=4, lowest=4, highest=4, count=2)

    svg = str(competency_profile_svg([score], label="chart"))

    assert "Pipeline and forecast discipline across every segment" in svg  # whole, on its own line
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    value_x = float(re.search(r'<text x="([\d.]+)"[^>]*fill="#0d6efd">4', svg).group(1))
    assert value_x + 30 <= width  # "4.00" at 12px fits right of the bar
    name_x = float(re.search(r'<text x="([\d.]+)"[^>]*fill="#212529"', svg).group(1))
    assert name_x >= 0 and 'text-anchor="end"' not in svg.split("<line", 1)[0]


# 2. Forms keep what was typed; the new hire's fields belong to Hire.


def test_decision_form_keeps_its_input_and_puts_the_error_on_the_field(client, hiring, recruiter):
    client = login_as(client, recruiter)
    data = {"decision": "hire", "rationale": "The strongest coach we met.", "confirmed": "1"}

    response = client.post(_decide(hiring), data)

    # Casey has no employee record: the HR id is needed, said beside the field, with the rest kept
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert "external_id" in form.errors and not form.non_field_errors()
    body = response.content.decode()
    assert "The strongest coach we met." in body
    assert re.search(r'value="hire"[^>]*checked', body)
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS


def test_decision_form_shows_the_hr_id_and_start_date_only_for_a_hire(client, hiring, recruiter):
    body = login_as(client, recruiter).get(_detail(hiring)).content.decode()

    hire_only = body.split('data-testid="hire-only"', 1)[1].split("</form>", 1)[0]
    assert 'name="external_id"' in hire_only and 'name="start_date"' in hire_only
    assert ".decision-form:not(:has(input[name=decision][value=hire]:checked)) .hire-only" in body


# Confirmations: a decision, a withdrawal, a scorecard's submission.


def test_recording_a_hire_asks_first_and_then_records_it(client, hiring, recruiter):
    client = login_as(client, recruiter)
    data = {"decision": "hire", "rationale": "Best coach.", "external_id": "HR-4242"}

    asked = client.post(_decide(hiring), data)

    assert asked.status_code == 200 and 'data-testid="confirm-decision"' in asked.content.decode()
    assert "cannot be undone" in asked.content.decode()
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS

    done = client.post(_decide(hiring), {**data, "confirmed": "1"})

    assert done.status_code == 302
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.HIRED
    assert Person.objects.filter(external_id="HR-4242").exists()


def test_withdrawing_a_candidate_asks_first(client, hiring, recruiter):
    client = login_as(client, recruiter)
    url = reverse("managers:application-move", args=[hiring["application"].pk])

    asked = client.post(url, {"stage": "withdrawn", "next": "board"})

    assert asked.status_code == 200 and 'data-testid="withdraw-confirm"' in asked.content.decode()
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS

    done = client.post(url, {"stage": "withdrawn", "next": "board", "note": "Took another offer", "confirmed": "1"})

    assert done.status_code == 302 and done.url.endswith("/board/")
    application = Application.objects.get(pk=hiring["application"].pk)
    assert application.stage == Application.Stage.WITHDRAWN
    assert application.events.first().note == "Took another offer"


def test_withdraw_confirmation_is_refused_to_an_interviewer(client, hiring, owner):
    url = reverse("managers:application-move", args=[hiring["application"].pk])

    assert login_as(client, owner).post(url, {"stage": "withdrawn"}).status_code == 403


def test_submitting_a_scorecard_asks_first_and_keeps_the_work_as_a_draft(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    client = login_as(client, owner)
    url = reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk])
    data = {
        "recommendation": "yes",
        "summary": "Clear coach.",
        f"rating_{coaching.pk}": "3",
        f"evidence_{coaching.pk}": "Ran a tight role play.",
        f"rating_{hiring['competencies']['storytelling'].pk}": "",
        f"evidence_{hiring['competencies']['storytelling'].pk}": "",
        "submit": "1",
    }

    asked = client.post(url, data)

    assert asked.status_code == 200, asked.context["form"].errors
    assert 'data-testid="confirm-submit"' in asked.content.decode()
    assert "Ran a tight role play." in asked.content.decode()
    scorecard = Scorecard.objects.get(pk=hiring["scorecard_a"].pk)
    assert scorecard.status == Scorecard.Status.DRAFT and scorecard.summary == "Clear coach."

    done = client.post(url, {**data, "submit": "confirmed"})

    assert done.status_code == 302
    assert Scorecard.objects.get(pk=hiring["scorecard_a"].pk).status == Scorecard.Status.SUBMITTED


def test_submitting_an_incomplete_scorecard_says_why_before_asking(client, hiring, owner):
    coaching = hiring["competencies"]["coaching"]
    url = reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk])
    data = {"recommendation": "", "summary": "", f"rating_{coaching.pk}": "3", "submit": "1"}

    response = login_as(client, owner).post(url, data)

    assert response.status_code == 400 and 'data-testid="confirm-submit"' not in response.content.decode()
    assert response.context["form"].errors["recommendation"]


# 3. A hire closes out the requisition.


@pytest.fixture
def after_hire(hiring, org, recruiter):
    """Casey hired; two other active candidates, one with an interview next week and one past draft."""
    others = []
    next_week = timezone.now() + datetime.timedelta(days=7)
    for number in range(2):
        application = services.application_create(
            candidate=CandidateFactory(first_name=f"Other{number}"), requisition=hiring["requisition"], by=recruiter
        )
        others.append(application)
    upcoming = services.interview_schedule(
        application=others[0], stage=hiring["stages"][0], interviewer=org["peer"], scheduled_at=next_week, by=recruiter
    )
    services.application_decide(
        application=hiring["application"], decision="hire", rationale="Best.", external_id="HR-5150", by=recruiter
    )
    return {
        "others": others,
        "upcoming": upcoming,
        "url": reverse("managers:requisition-close-out", args=[hiring["requisition"].pk]),
    }


def test_a_confirmed_hire_goes_on_to_close_out_the_others(client, hiring, org, recruiter):
    services.application_create(candidate=CandidateFactory(), requisition=hiring["requisition"], by=recruiter)
    data = {"decision": "hire", "rationale": "Best.", "external_id": "HR-5151", "confirmed": "1"}

    response = login_as(client, recruiter).post(_decide(hiring), data)

    assert response.url == reverse("managers:requisition-close-out", args=[hiring["requisition"].pk])


def test_close_out_lists_the_active_candidates_and_their_interviews_to_cancel(client, hiring, recruiter, after_hire):
    client = login_as(client, recruiter)

    page = client.get(after_hire["url"]).content.decode()
    banner = client.get(reverse("managers:requisition-detail", args=[hiring["requisition"].pk])).content.decode()

    for application in after_hire["others"]:
        assert f'value="{application.pk}"' in page
    assert f'value="{hiring["application"].pk}"' not in page  # the hire is not offered
    assert "Cancels Hiring manager interview" in page
    assert 'data-testid="close-out-banner"' in banner and "2 candidates are still active" in banner


def test_close_out_rejects_the_others_with_the_message_and_cancels_their_interviews(
    client, hiring, recruiter, after_hire
):
    ids = [application.pk for application in after_hire["others"]]
    data = {"applications": ids, "outcome": "rejected", "message": "We filled the role; thank you."}

    response = login_as(client, recruiter).post(after_hire["url"], data)

    assert response.status_code == 302
    for application in Application.objects.filter(pk__in=ids):
        assert application.stage == Application.Stage.REJECTED
        assert application.decision_rationale == "We filled the role; thank you."
    assert not Interview.objects.filter(pk=after_hire["upcoming"].pk).exists()
    assert ApplicationEvent.objects.filter(note__startswith="Interview cancelled").count() == 1
    assert Requisition.objects.get(pk=hiring["requisition"].pk).status == Requisition.Status.FILLED


def test_close_out_can_withdraw_instead_and_keeps_its_input_on_error(client, hiring, recruiter, after_hire):
    client = login_as(client, recruiter)
    first = after_hire["others"][0].pk

    refused = client.post(after_hire["url"], {"applications": [first], "outcome": "withdrawn", "message": ""})

    assert refused.status_code == 400 and refused.context["form"].errors["message"]
    body = refused.content.decode()
    assert re.search(rf'value="{first}"[^>]*checked', body)
    assert not re.search(rf'value="{after_hire["others"][1].pk}"[^>]*checked', body)

    client.post(after_hire["url"], {"applications": [first], "outcome": "withdrawn", "message": "Filled."})

    assert Application.objects.get(pk=first).stage == Application.Stage.WITHDRAWN
    assert Application.objects.get(pk=after_hire["others"][1].pk).stage == Application.Stage.APPLIED


def test_close_out_is_for_the_requisition_s_recruiter_and_hiring_manager(client, org, hiring, after_hire):
    assert login_as(client, org["owner"]).get(after_hire["url"]).status_code == 404  # an interviewer, not on it
    assert login_as(client, org["outsider"]).get(after_hire["url"]).status_code == 404
    assert login_as(client, org["leader"]).get(after_hire["url"]).status_code == 200  # the hiring manager


def test_close_out_before_a_hire_is_refused(client, hiring, recruiter):
    url = reverse("managers:requisition-close-out", args=[hiring["requisition"].pk])
    data = {"applications": [hiring["application"].pk], "outcome": "rejected", "message": "x"}

    response = login_as(client, recruiter).post(url, data, follow=True)

    # Not offered before a hire: back to the requisition, saying when it is, nothing closed.
    assert response.redirect_chain == [(reverse("managers:requisition-detail", args=[hiring["requisition"].pk]), 302)]
    assert "Close out the other candidates once someone is hired." in response.content.decode()
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS
    with pytest.raises(ValidationError) as refused:  # and the service refuses it on its own
        services.requisition_close_out(
            requisition=hiring["requisition"],
            applications=[hiring["application"]],
            outcome="rejected",
            message="x",
            by=recruiter,
        )
    assert refused.value.message_dict["__all__"] == ["Close out the other candidates once someone is hired."]


# 6. The interviewer picker searches; the page never lists everyone.


def test_interviewer_search_answers_a_few_matches_of_people_who_may_interview(client, org, hiring, recruiter):
    for number in range(INTERVIEWER_MATCHES + 5):
        lead = PersonFactory(first_name="Quinn", last_name=f"Interviewer{number:02d}", user=UserFactory())
        PersonFactory(manager=lead)
    PersonFactory(manager=PersonFactory(first_name="Quinn", last_name="Nologin", user=None))
    PersonFactory(first_name="Quinn", last_name="Seller", manager=org["owner"], user=UserFactory())
    url = reverse("managers:interviewer-search", args=[hiring["application"].pk])
    client = login_as(client, recruiter)

    results = client.get(url, {"q": "quinn"}).json()["results"]
    one = client.get(url, {"q": "Quinn Interviewer07"}).json()["results"]

    assert len(results) == INTERVIEWER_MATCHES
    assert all("Nologin" not in row["text"] and "Seller" not in row["text"] for row in results)
    assert [row["text"].split(" · ")[0] for row in one] == ["Quinn Interviewer07"]


def test_interviewer_search_is_for_who_schedules(client, org, hiring):
    url = reverse("managers:interviewer-search", args=[hiring["application"].pk])

    assert login_as(client, org["owner"]).get(url).status_code == 403  # an interviewer sees the candidate
    assert login_as(client, org["outsider"]).get(url).status_code == 404


def test_candidate_page_does_not_list_every_person_in_the_picker(client, org, hiring, recruiter):
    for _number in range(40):
        PersonFactory(manager=org["leader"], user=UserFactory())

    body = login_as(client, recruiter).get(_detail(hiring)).content.decode()

    picker = body.split('name="interviewer"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") <= INTERVIEWER_MATCHES + 1
    select = re.search(r'<select name="interviewer"[^>]*>', body).group(0)
    assert 'data-picker="remote"' in select and "/interviewers/" in select
    assert "/static/enablement/vendor/tom-select/" in body and "//cdn" not in body


# 5. The recruiter's landing page and inbox.


def test_recruiter_lands_on_hiring(client, recruiter):
    response = login_as(client, recruiter).get(reverse("enablement:home"))

    assert response.url == reverse("managers:hiring-home")


def test_recruiter_with_a_place_in_the_org_has_an_inbox_and_preferences(client, recruiter):
    PersonFactory(user=recruiter, title="Talent Acquisition Partner")
    client = login_as(client, recruiter)

    home = client.get(reverse("managers:hiring-home")).content.decode()

    assert 'data-testid="inbox-link"' in home
    assert client.get(reverse("enablement:inbox")).status_code == 200
    preferences = client.get(reverse("enablement:notification-preferences")).content.decode()
    assert 'data-picker="search"' in preferences  # the time zone picker searches


def test_a_hire_that_would_fail_says_why_before_asking_to_confirm(client, hiring, recruiter):
    data = {"decision": "hire", "rationale": "Best coach."}  # Casey is no employee and no HR id is given

    response = login_as(client, recruiter).post(_decide(hiring), data)

    assert response.status_code == 400 and 'data-testid="confirm-decision"' not in response.content.decode()
    assert response.context["decision_form"].errors["external_id"]


# Hostile input on the hiring pages: a form error or a 400, never a 500.

HOSTILE_IDS = ["²", "99999999999999999999", "1\x00"]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_scheduling_with_an_interviewer_that_is_no_id_is_a_form_error(client, hiring, recruiter, value):
    url = reverse("managers:interview-schedule", args=[hiring["application"].pk])
    stage = hiring["requisition"].stages.first()
    data = {"stage": stage.pk, "interviewer": value, "scheduled_at": "2027-01-05T10:00"}

    response = login_as(client, recruiter).post(url, data)

    assert response.status_code == 400
    assert response.context["schedule_form"].errors["interviewer"]
    assert Interview.objects.filter(application=hiring["application"]).count() == 2


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_closing_out_candidates_that_are_no_ids_is_a_form_error(client, hiring, recruiter, value):
    Requisition.objects.filter(pk=hiring["requisition"].pk).update(status=Requisition.Status.FILLED)
    url = reverse("managers:requisition-close-out", args=[hiring["requisition"].pk])
    data = {"applications": [value], "outcome": "rejected", "message": "Filled"}

    response = login_as(client, recruiter).post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors["applications"]
    assert Application.objects.get(pk=hiring["application"].pk).stage == Application.Stage.INTERVIEWS


def test_the_interviewer_search_refuses_a_nul(client, hiring, recruiter):
    url = reverse("managers:interviewer-search", args=[hiring["application"].pk])

    response = login_as(client, recruiter).get(url, {"q": "Qu\x00inn"})

    assert response.status_code == 400
    assert response.json() == {"errors": {"q": ["Null characters are not allowed."]}}
