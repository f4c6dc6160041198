"""The gap arithmetic on known numbers: which source counts, missing assessments, weights, the heatmap."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.impact.selectors import ManagerReads
from coaching.models import Assessment, AssessmentRating
from coaching.selectors.gaps import (
    TWO_PLACES,
    current_requirements,
    gaps_for,
    heatmap_cells,
    heatmap_roll_up,
    people_with_gap,
    top_gaps,
)
from enablement.models import Person
from managers.services.charters import role_assign
from tests.enablement.factories import PersonFactory
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db


def _assess(person, source, on, **levels):
    assessment = Assessment.objects.create(person=person, source=source, assessed_on=on)
    for key, level in levels.items():
        AssessmentRating.objects.create(
            assessment=assessment,
            competency=CompetencyFactory(key=key),
            level=Decimal(str(level)),
            evidence=f"{source} on {key}",
        )
    return assessment


@pytest.fixture
def framework(org):
    role = RoleFactory(code="fsm")
    RoleCompetencyFactory(role=role, competency=CompetencyFactory(key="coaching"), required_level=3, weight=3)
    RoleCompetencyFactory(role=role, competency=CompetencyFactory(key="storytelling"), required_level=2, weight=1)
    RoleCompetencyFactory(role=role, competency=CompetencyFactory(key="resilience"), required_level=4, weight=2)
    for person in (org["owner"], org["peer"]):
        role_assign(person=person, role=role, on=datetime.date(2026, 1, 1), by=None)
    day = datetime.date(2026, 5, 1)
    owner = org["owner"]
    _assess(owner, Assessment.Source.LEADER, day, coaching=2)  # older, but the leader's counts
    _assess(owner, Assessment.Source.SELF, day + datetime.timedelta(days=30), coaching=4, storytelling=1, resilience=2)
    _assess(owner, Assessment.Source.HIRING, day - datetime.timedelta(days=90), resilience=3.5)
    _assess(org["peer"], Assessment.Source.SELF, day, coaching=3.5)
    return role


def test_gaps_take_the_most_trusted_source_and_weigh_the_gap(framework, owner):
    gaps = {gap.competency.key: gap for gap in gaps_for(owner)}
    assert (gaps["coaching"].assessed_level, gaps["coaching"].gap, gaps["coaching"].weighted_gap) == (2, 1, 3)
    assert gaps["coaching"].rating.assessment.source == Assessment.Source.LEADER
    # hiring beats a later self-assessment
    assert (gaps["resilience"].assessed_level, gaps["resilience"].gap, gaps["resilience"].weighted_gap) == (
        Decimal("3.5"),
        Decimal("0.50"),
        Decimal("1.00"),
    )
    assert (gaps["storytelling"].gap, gaps["storytelling"].weighted_gap) == (1, 1)
    assert [gap.competency.key for gap in top_gaps(owner)] == ["coaching", "resilience", "storytelling"]


def test_gaps_of_someone_not_assessed_are_unknown_not_zero(framework, peer):
    gaps = {gap.competency.key: gap for gap in gaps_for(peer)}
    assert gaps["coaching"].gap == 0  # 3.5 is above the required 3: no gap, and no negative one
    assert gaps["storytelling"].gap is None and gaps["storytelling"].weighted_gap is None
    assert [gap.competency.key for gap in gaps_for(peer)][-2:] == ["resilience", "storytelling"]
    assert top_gaps(peer) == []


def test_a_requested_assessment_does_not_count_until_submitted(framework, peer):
    assessment = _assess(peer, Assessment.Source.LEADER, datetime.date(2026, 9, 1), coaching=1)
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.REQUESTED)
    assert {gap.competency.key: gap.gap for gap in gaps_for(peer)}["coaching"] == 0


def test_heatmap_averages_gaps_by_team_leaving_out_who_was_not_assessed(framework, org, leader):
    cells = {(cell.competency_id, cell.team_id): cell for cell in heatmap_cells(Person.objects.all())}
    team = org["team"].pk
    coaching, storytelling, resilience = (
        CompetencyFactory(key=key).pk for key in ("coaching", "storytelling", "resilience")
    )
    assert (cells[coaching, team].average_gap, cells[coaching, team].people, cells[coaching, team].assessed) == (
        Decimal("0.50"),
        2,
        2,
    )  #  # (1 + 0) / 2
    assert (cells[storytelling, team].average_gap, cells[storytelling, team].assessed) == (1, 1)
    assert (cells[resilience, team].average_gap, cells[resilience, team].assessed) == (Decimal("0.50"), 1)


def test_heatmap_drill_down_lists_people_with_their_evidence(framework, org):
    pairs = people_with_gap(Person.objects.all(), CompetencyFactory(key="coaching"))
    assert [(person, gap.gap) for person, gap in pairs] == [(org["owner"], 1), (org["peer"], 0)]
    assert pairs[0][1].rating.evidence == "leader on coaching"


def test_heatmap_runs_one_query_whatever_the_size(framework, org, django_assert_num_queries):
    with django_assert_num_queries(1):
        heatmap_cells(Person.objects.all())


def test_gap_at_the_required_level_is_zero(framework, peer):
    _assess(peer, Assessment.Source.LEADER, datetime.date(2026, 9, 1), resilience=4)
    assert {gap.competency.key: gap.gap for gap in gaps_for(peer)}["resilience"] == 0


def test_gap_reads_the_chosen_rating_once_per_requirement(framework, org, leader):
    """Given the gap rule's rows, when the gaps and the heatmaps are read, then the chosen rating's subquery
    appears once in the SQL: the gap is computed inside it, and "assessed" is tested on the gap (a CASE over
    the level outside ran it three or four times per row)."""
    with CaptureQueriesContext(connection) as queries:
        list(current_requirements(Person.objects.all()).values_list("holder", "weight", "gap"))
        heatmap_cells(Person.objects.all())
        heatmap_roll_up(Person.objects.all(), leader)
    # heatmap_cells: once in each of its two aggregates (the average and the count of who was assessed)
    assert [query["sql"].count('"coaching_assessmentrating"') for query in queries.captured_queries] == [1, 2, 1]


@pytest.mark.parametrize("seed", [3, 8])
def test_the_gap_index_summed_by_the_database_equals_the_gaps_weighed_one_by_one(org, seed):
    """`gap_index_sums` (the Manager impact figures and cards) against `gaps_for` weighed in Python: levels with
    two decimals, weights 1-5, some competencies not assessed, on whichever database runs the suite."""
    rng = random.Random(seed)
    role = RoleFactory(code=f"gx{seed}")
    keys = [f"k{seed}-{i}" for i in range(6)]
    for key in keys:
        competency = CompetencyFactory(key=key)
        RoleCompetencyFactory(
            role=role, competency=competency, required_level=rng.randint(1, 4), weight=rng.randint(1, 5)
        )
    people = [PersonFactory() for _ in range(10)]
    for person in people:
        role_assign(person=person, role=role, on=datetime.date(2026, 1, 1), by=None)
        levels = {key: Decimal(rng.randint(100, 400)) / 100 for key in rng.sample(keys, rng.randint(0, 6))}
        _assess(person, Assessment.Source.LEADER, datetime.date(2026, 5, 1), **levels)
        person.current_role_id = role.pk
    expected = {}
    for person in people:
        assessed = [gap for gap in gaps_for(person) if gap.gap is not None]
        weights = sum(gap.weight for gap in assessed)
        index = (sum(gap.gap * gap.weight for gap in assessed) / weights).quantize(TWO_PLACES) if weights else None
        expected[person.pk] = (index, len(assessed), len(keys))
    assert any(index is not None and index % Decimal("0.1") for index, _a, _r in expected.values())
    assert ManagerReads(people, datetime.date(2026, 6, 1), results=None).gap_indexes() == expected
