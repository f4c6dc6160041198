"""The hiring pages render only what they show (issue 17): the hiring home pages its lists, the board caps
its lanes, the comparison pages its candidates, the candidate page lists a few interviewers, and each runs
the same queries at two sizes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from managers.models import Application, Interview, Scorecard
from managers.selectors.hiring import BOARD_LANE_LIMIT
from managers.selectors.interviewers import INTERVIEWER_MATCHES
from managers.views.hiring import HOME_ROWS
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import login_as
from tests.managers.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _applications(hiring, count: int, *, pending: bool = False) -> None:
    """`count` more applications at the interviews stage; with `pending`, each with an interview two days ago
    whose scorecard is still a draft (written directly: the services are tested elsewhere)."""
    now = timezone.now()
    interviewer = hiring["scorecard_a"].interview.interviewer
    for _number in range(count):
        application = Application.objects.create(
            candidate=CandidateFactory(),
            requisition=hiring["requisition"],
            stage=Application.Stage.INTERVIEWS,
            stage_changed_at=now,
        )
        if pending:
            interview = Interview.objects.create(
                application=application,
                stage=hiring["stages"][0],
                interviewer=interviewer,
                scheduled_at=now - datetime.timedelta(days=2),
            )
            Scorecard.objects.create(interview=interview)


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_hiring_home_shows_a_page_of_pending_scorecards_with_their_count(
    client, hiring, recruiter, django_assert_max_num_queries
):
    client, url = login_as(client, recruiter), reverse("managers:hiring-home")
    _applications(hiring, 3, pending=True)
    client.get(url)
    few, _body = _queries(client, url)

    _applications(hiring, 40, pending=True)
    with django_assert_max_num_queries(few):
        many, body = _queries(client, url)

    rows = body.split('data-testid="pending-scorecards"', 1)[1].split("</table>", 1)[0].count("<tr")
    assert rows == 1 + HOME_ROWS  # the header and one page
    assert re.search(r'data-testid="pending-count">\s*45<', body)  # 43 and the fixture's 2
    assert 'data-testid="pager-pending_page"' in body
    second = client.get(url, {"pending_page": 3}).content.decode()
    assert second.split('data-testid="pending-scorecards"', 1)[1].split("</table>", 1)[0].count("<tr") == 1 + 5


def test_board_caps_each_lane_and_says_how_many(client, hiring, recruiter, django_assert_max_num_queries):
    client, url = login_as(client, recruiter), reverse("managers:pipeline-board", args=[hiring["requisition"].pk])
    _applications(hiring, 3)
    client.get(url)
    few, _body = _queries(client, url)

    _applications(hiring, 40)
    with django_assert_max_num_queries(few):
        many, body = _queries(client, url)

    lane = body.split('data-stage="interviews"', 1)[1].split('data-stage="decision"', 1)[0]
    assert lane.count('data-testid="card-') == BOARD_LANE_LIMIT
    assert re.search(r'data-testid="lane-count">\s*44<', lane) and 'data-testid="lane-more"' in lane
    assert many == few


def test_comparison_pages_its_candidates(client, hiring, recruiter, django_assert_max_num_queries):
    client = login_as(client, recruiter)
    url = reverse("managers:requisition-detail", args=[hiring["requisition"].pk])
    _applications(hiring, 3)
    client.get(url)
    few, _body = _queries(client, url)

    _applications(hiring, 40)
    with django_assert_max_num_queries(few):
        _many, body = _queries(client, url)

    assert "Candidates 1–8 of 44" in body and 'data-testid="pager-page"' in body
    last = client.get(url, {"page": 6}).content.decode()
    assert "Candidates 41–44 of 44" in last


def test_candidate_page_lists_a_few_interviewers_whatever_the_org_size(
    client, org, hiring, recruiter, django_assert_max_num_queries
):
    client = login_as(client, recruiter)
    url = reverse("managers:application-detail", args=[hiring["application"].pk])
    client.get(url)
    few, _body = _queries(client, url)

    for _number in range(60):
        PersonFactory(manager=PersonFactory(user=UserFactory()))
    with django_assert_max_num_queries(few):
        _many, body = _queries(client, url)

    picker = body.split('name="interviewer"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") <= INTERVIEWER_MATCHES + 1
