"""Development gaps: for each person and each competency their role requires, the required level minus
the assessed level, weighted by the requirement's weight. Computed from the data, never stored.

How sources combine: for each person and competency the platform takes ONE rating, from the most
trusted source that has one, the most recent within that source:

    leader  >  hiring interviews  >  self  >  peer  >  pulse survey

A leader's assessment is first-hand observation of the person in the role; hiring ratings come from
structured interviews with evidence; self-assessments are informative but known to run high. Only
submitted assessments count. A competency nobody assessed has no gap (it is "not assessed", shown so,
and left out of averages) rather than a made-up one. A level above the requirement is a gap of 0:
strength in one person does not hide another's shortfall in a team average.

    gap           = max(required level - assessed level, 0)
    weighted gap  = gap x weight (1-5)         (ranks a person's gaps; plans start from the largest)

The same rule runs inside the database for the heatmap (one query for any org size) and for one person.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from coaching.models import Assessment, AssessmentRating
from enablement.models import Person
from managers.models import Competency, RoleAssignment, RoleCompetency

SOURCE_PRIORITY = (
    Assessment.Source.LEADER,
    Assessment.Source.HIRING,
    Assessment.Source.SELF,
    Assessment.Source.PEER,
    Assessment.Source.SURVEY,
)
LEVEL = DecimalField(max_digits=4, decimal_places=2)
TWO_PLACES = Decimal("0.01")


def chosen_ratings(person, competency, as_of: datetime.date | None = None) -> QuerySet[AssessmentRating]:
    """The submitted ratings of `person` on `competency` (values or OuterRefs), the one that counts first; with
    `as_of`, only assessments made by that day (the gap as it stood then)."""
    priority = Case(
        *(When(assessment__source=source, then=Value(rank)) for rank, source in enumerate(SOURCE_PRIORITY)),
        output_field=IntegerField(),
    )
    ratings = AssessmentRating.objects.filter(
        assessment__person=person, competency=competency, assessment__status=Assessment.Status.SUBMITTED
    )
    if as_of is not None:
        ratings = ratings.filter(assessment__assessed_on__lte=as_of)
    return ratings.annotate(priority=priority).order_by("priority", "-assessment__assessed_on", "-assessment_id")


def _chosen_gap(chosen: QuerySet[AssessmentRating], required: OuterRef) -> Subquery:
    """The gap of the chosen rating, computed inside its subquery: NULL when nobody assessed (no row), else
    max(required - level, 0). Written on the outer side as a CASE over the assessed level, the subquery ran
    once for every mention of it (three in the CASE, four with the level itself beside it)."""
    gap = Case(
        When(level__gte=required, then=Value(Decimal(0), output_field=LEVEL)),
        default=ExpressionWrapper(required - F("level"), output_field=LEVEL),
        output_field=LEVEL,
    )
    return Subquery(chosen.annotate(gap=gap).values("gap")[:1], output_field=LEVEL)


def current_requirements(people: QuerySet[Person], as_of: datetime.date | None = None) -> QuerySet[RoleCompetency]:
    """One row per (person, required competency) of the people's current roles, with the assessed level,
    the id of the rating it comes from, and the gap (NULL exactly when the level is: test `gap` for "assessed"
    and the level's subquery is left out of the SQL). Person id is `holder`. With `as_of`, the assessed level
    and gap from the assessments made by that day (against what the current role requires now)."""
    holder = "role__assignments__person"
    chosen = chosen_ratings(OuterRef(holder), OuterRef("competency"), as_of)
    return RoleCompetency.objects.filter(
        role__assignments__in=RoleAssignment.objects.current(), role__assignments__person__in=people
    ).annotate(
        holder=F(holder),
        assessed=Subquery(chosen.values("level")[:1], output_field=LEVEL),
        rating_id=Subquery(chosen.values("pk")[:1]),
        gap=_chosen_gap(chosen, OuterRef("required_level")),
    )


def gap_index_sums(people: QuerySet[Person], as_of: datetime.date | None = None) -> list[tuple[int, ...]]:
    """Per person, summed by the database over their `current_requirements` rows: (person id, Σ weight × gap in
    hundredths of a level, Σ weight of the assessed, how many assessed, how many required). One row per person
    rather than one per requirement (4,000 at 500 managers). Levels have two decimal places, so the hundredths are
    whole on either database (SQLite's floats included) and the weighted sum is exact."""
    rows = current_requirements(people, as_of).order_by().values("holder", "weight", "gap")
    inner, params = rows.query.sql_with_params()
    # A fence, so the database evaluates each row's gap (a correlated subquery) once, not once per use below.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1"
    sql = (
        "SELECT holder, SUM(CAST(ROUND(gap * 100) AS INTEGER) * weight),"  # noqa: S608 (Django's own SQL inside)
        " SUM(CASE WHEN gap IS NULL THEN 0 ELSE weight END), COUNT(gap), COUNT(*)"
        f" FROM ({inner}{fence}) AS requirement GROUP BY holder"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Gap:
    competency: Competency
    required_level: int
    weight: int
    assessed_level: Decimal | None
    rating: AssessmentRating | None  # the evidence behind the assessed level: source, date, text

    def __post_init__(self) -> None:
        # SQLite hands the subquery's decimal back unquantized (2.33000000000000).
        if self.assessed_level is not None:
            object.__setattr__(self, "assessed_level", Decimal(self.assessed_level).quantize(TWO_PLACES))

    @property
    def gap(self) -> Decimal | None:
        if self.assessed_level is None:
            return None
        return max(Decimal(self.required_level) - self.assessed_level, Decimal(0)).quantize(TWO_PLACES)

    @property
    def weighted_gap(self) -> Decimal | None:
        return None if self.gap is None else (self.gap * self.weight).quantize(TWO_PLACES)


def gaps_for(person: Person) -> list[Gap]:
    """The person's gaps against their current role, largest weighted gap first, then the competencies
    not assessed yet. Three queries."""
    rows = list(current_requirements(Person.objects.filter(pk=person.pk)).select_related("competency"))
    ratings = AssessmentRating.objects.select_related("assessment__assessor").in_bulk(
        [row.rating_id for row in rows if row.rating_id]
    )
    gaps = [
        Gap(row.competency, row.required_level, row.weight, row.assessed, ratings.get(row.rating_id)) for row in rows
    ]
    return sorted(gaps, key=lambda gap: (gap.gap is None, -(gap.weighted_gap or 0), gap.competency.name))


def top_gaps(person: Person, limit: int = 3) -> list[Gap]:
    """The largest weighted gaps above zero: what a plan started from the gaps sets goals for."""
    return [gap for gap in gaps_for(person) if gap.gap][:limit]


@dataclass(frozen=True)
class HeatmapCell:
    team_id: int | None
    competency_id: int
    average_gap: Decimal | None
    people: int
    assessed: int


def heatmap_cells(people: QuerySet[Person]) -> list[HeatmapCell]:
    """Average gap by team and competency over `people` who hold a role, in one query: the blind spots.
    Averages leave out people not assessed on the competency; `assessed` of `people` counts them."""
    rows = (
        current_requirements(people)
        .values("role__assignments__person__team", "competency")
        .annotate(
            average_gap=Avg("gap", output_field=LEVEL),
            people=Count("role__assignments__person", distinct=True),
            assessed_people=Count("role__assignments__person", filter=Q(gap__isnull=False), distinct=True),
        )
        .order_by()
    )
    return [
        HeatmapCell(
            team_id=row["role__assignments__person__team"],
            competency_id=row["competency"],
            average_gap=None if row["average_gap"] is None else Decimal(str(row["average_gap"])).quantize(TWO_PLACES),
            people=row["people"],
            assessed=row["assessed_people"],
        )
        for row in rows
    ]


def gap_rows(people: QuerySet[Person], competency: Competency) -> QuerySet[RoleCompetency]:
    """The requirement rows behind one heatmap cell, largest gap first, then not assessed, then by name:
    ordered in the database, so a page of them can be sliced off."""
    return (
        current_requirements(people)
        .filter(competency=competency)
        .select_related("competency")
        .order_by(
            F("gap").desc(nulls_last=True),
            "role__assignments__person__last_name",
            "role__assignments__person__first_name",
            "role__assignments__person",
        )
    )


def people_with_gap(
    people: QuerySet[Person], competency: Competency, rows: list[RoleCompetency] | None = None
) -> list[tuple[Person, Gap]]:
    """Drill-down of one heatmap cell: each of `people` whose role requires `competency` (or just those of
    `rows`, a page of `gap_rows`), with their gap and the rating behind it, largest gap first. Three queries."""
    rows = list(gap_rows(people, competency)) if rows is None else list(rows)
    persons = Person.objects.select_related("team").in_bulk([row.holder for row in rows])
    ratings = AssessmentRating.objects.select_related("assessment__assessor").in_bulk(
        [row.rating_id for row in rows if row.rating_id]
    )
    return [
        (
            persons[row.holder],
            Gap(row.competency, row.required_level, row.weight, row.assessed, ratings.get(row.rating_id)),
        )
        for row in rows
    ]


def current_role_assignments(people: QuerySet[Person]) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.current().filter(person__in=people)


@dataclass(frozen=True)
class RollUpCell:
    """The average gap on one competency over one row's people (`head` and everyone below them, in scope);
    `head` None is the average row, over every row's people."""

    head_id: int | None
    competency_id: int
    average_gap: Decimal | None
    people: int
    assessed: int


def _row_heads_sql(table: str, pk: str, parent: str) -> str:
    """(node, head) for every person below the root (its first parameter): head is the root's direct report
    they are under, themselves for a direct report. UNION ends the walk even on a cycle in the data."""
    return (
        f"rowof(node, head) AS ("  # noqa: S608
        f"SELECT {pk}, {pk} FROM {table} WHERE {parent} = %s "
        f"UNION SELECT child.{pk}, rowof.head FROM {table} AS child JOIN rowof ON child.{parent} = rowof.node)"
    )


def heatmap_roll_up(people: QuerySet[Person], root: Person) -> list[RollUpCell]:
    """The heatmap one level below `root`: a row per direct report of `root` averaging the gaps of everyone
    in their sub-tree (themselves included) who is among `people` and holds a role, a row for `root`'s own
    gaps (when `root` is among `people`: a leader drilling into a director sees the director's own row), and
    the average row (head None) over all of them, by competency. One query, whatever the size of the tree:
    rows grow with `root`'s direct reports, never with the people below them. People not assessed on a
    competency are left out of its average and counted apart, as in `heatmap_cells`."""
    quote = connection.ops.quote_name
    meta = Person._meta
    table, pk, parent = quote(meta.db_table), quote(meta.pk.column), quote(meta.get_field("manager").column)
    gaps = current_requirements(people).annotate(skill=F("competency")).values("holder", "skill", "gap")
    compiler = gaps.order_by().query.get_compiler(connection=connection)
    gaps_sql, gaps_params = compiler.as_sql()
    # The inner select's columns named for the outer one, in whatever order the compiler put them.
    columns = ", ".join(alias for _, _, alias in compiler.select)
    aggregates = (
        "AVG(gaps.gap), COUNT(DISTINCT gaps.holder), "
        "COUNT(DISTINCT CASE WHEN gaps.gap IS NOT NULL THEN gaps.holder END)"
    )
    sql = (
        f"WITH RECURSIVE {_row_heads_sql(table, pk, parent)}, "  # noqa: S608
        f"heads(node, head) AS (SELECT node, head FROM rowof UNION ALL SELECT %s, %s), "
        f"gaps({columns}) AS ({gaps_sql}) "
        f"SELECT heads.head, gaps.skill, {aggregates} FROM gaps JOIN heads ON heads.node = gaps.holder "
        f"GROUP BY heads.head, gaps.skill "
        f"UNION ALL SELECT NULL, gaps.skill, {aggregates} FROM gaps "
        f"JOIN heads ON heads.node = gaps.holder GROUP BY gaps.skill"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root.pk, root.pk, root.pk, *gaps_params])
        rows = cursor.fetchall()
    return [
        RollUpCell(
            head_id=head,
            competency_id=competency,
            average_gap=None if average is None else Decimal(str(average)).quantize(TWO_PLACES),
            people=count,
            assessed=assessed,
        )
        for head, competency, average, count, assessed in rows
    ]
