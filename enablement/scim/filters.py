"""SCIM filters (RFC 7644 §3.4.2.2) as Django `Q` objects, so the database filters and counts.

scim2-models has parsed and type-checked the filter against the published schema; this walks its tree.
Each filterable attribute maps to a model field and a kind that says how its values compare: strings
without case (Unicode case folding, on SQLite too) unless the schema says `caseExact`, ids as integers,
constants (`emails.type` is always "work") as true or false. An attribute the schema declares but no
field backs is an `invalidFilter`, as is a filter of more than MAX_TERMS comparisons, a dateTime the
databases cannot hold in UTC, or a value holding a NUL or a lone surrogate (which no query can carry).
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Value
from django.db.models.lookups import Contains, EndsWith, Exact, StartsWith
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from enablement.scim.casefold import Casefold
from enablement.scim.guards import unstorable
from enablement.scim.ids import group_pk, user_pk

Op = CompareOperator
ALWAYS = Q(pk__isnull=False)
NEVER = Q(pk__isnull=True)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
CORE_URNS = frozenset({"urn:ietf:params:scim:schemas:core:2.0:user", "urn:ietf:params:scim:schemas:core:2.0:group"})

# Without case: both sides case-folded in the database (see enablement.scim.casefold).
STRING_LOOKUPS = {Op.eq: Exact, Op.co: Contains, Op.sw: StartsWith, Op.ew: EndsWith}
EXACT_LOOKUPS = {Op.eq: "exact", Op.co: "contains", Op.sw: "startswith", Op.ew: "endswith"}
ORDER_LOOKUPS = {Op.gt: "gt", Op.ge: "gte", Op.lt: "lt", Op.le: "lte"}
# An identity provider's filter has a handful of comparisons. SQLite refuses a WHERE clause nested past
# 1,000 levels (a chain of 1,100 `or`s is a 500 there); scim2-models already caps the nesting at 32.
MAX_TERMS = 100


@dataclass(frozen=True)
class Field:
    """How one SCIM attribute is filtered: `kind` is string, exact, bool, id (a User's), group_id, datetime
    or constant.

    `lookup` is the ORM path (or the constant's value). `scope`, when set, wraps the condition in a
    subquery over that relation, so a multi-valued attribute never duplicates rows."""

    kind: str
    lookup: Any
    scope: Callable[[Q], Q] | None = None


Fields = Mapping[tuple[str, str, str], Field]


def _key(attr_path: AttrPath, parent: AttrPath | None) -> tuple[str, str, str]:
    if parent is not None:
        return _key(AttrPath(parent.attr, attr_path.attr, parent.uri), None)
    uri = (attr_path.uri or "").lower()
    return ("" if uri in CORE_URNS else uri, attr_path.attr.lower(), (attr_path.sub_attr or "").lower())


UNKNOWN = Field("constant", object())  # equal to no value, and never present


def _field(fields: Fields, attr_path: AttrPath, parent: AttrPath | None, *, lenient: bool) -> Field:
    key = _key(attr_path, parent)
    field = fields.get(key) or (fields.get((*key[:2], "value")) if not key[2] else None)
    if field is None and lenient:
        return UNKNOWN
    if field is None:
        raise InvalidFilterException(detail=f"Filtering on {attr_path} is not supported.")
    return field


def _datetime(value: Any) -> datetime.datetime:
    """The instant `value` names, in UTC: the databases store UTC, and a time whose UTC falls outside
    years 1 to 9999 ("0001-01-01T00:00:00+14:00") cannot be compared there."""
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidFilterException(detail=f"{value!r} is not a dateTime.") from error
    try:
        return parsed.astimezone(datetime.UTC) if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
    except OverflowError as error:
        raise InvalidFilterException(
            detail=f"{value!r} is out of the range of dateTimes (years 1 to 9999, UTC)."
        ) from error


def _compare(field: Field, op: Op, value: Any) -> Q:
    if isinstance(value, str) and unstorable(value):  # "a\u0000b" in a filter is a NUL once parsed
        raise InvalidFilterException(detail="A filter cannot compare with a NUL character or a lone surrogate.")
    lookup = field.lookup
    if field.kind == "constant":
        matches = {Op.eq: value == lookup, Op.ne: value != lookup}.get(op)
        if matches is None:
            raise InvalidFilterException(detail=f"{op.value} is not supported here.")
        return ALWAYS if matches else NEVER
    if op == Op.ne:
        return ~_compare(field, Op.eq, value) | Q(**{f"{lookup}__isnull": True})
    if field.kind == "string" and op in STRING_LOOKUPS:
        return Q(STRING_LOOKUPS[op](Casefold(F(lookup)), Casefold(Value(str(value)))))
    if field.kind in ("string", "exact"):
        suffix = EXACT_LOOKUPS.get(op) or ORDER_LOOKUPS[op]
        return Q(**{f"{lookup}__{suffix}": str(value)})
    if field.kind == "bool":
        if not isinstance(value, bool):
            raise InvalidFilterException(detail="Compare a boolean attribute with true or false, not a string.")
        return Q(**{lookup: value})
    if field.kind in ("id", "group_id"):
        if op != Op.eq:
            raise InvalidFilterException(detail=f"Ids compare with eq or ne only, not {op.value}.")
        pk = user_pk(str(value)) if field.kind == "id" else group_pk(str(value))
        return Q(**{lookup: pk}) if pk is not None else NEVER
    if field.kind == "datetime":
        suffix = ORDER_LOOKUPS.get(op, "exact")
        if op not in ORDER_LOOKUPS and op != Op.eq:
            raise InvalidFilterException(detail=f"{op.value} does not apply to a dateTime.")
        return Q(**{f"{lookup}__{suffix}": _datetime(value)})
    raise InvalidFilterException(detail="Unsupported attribute.")


def _present(field: Field) -> Q:
    if field is UNKNOWN:
        return NEVER
    if field.kind == "constant":
        return ALWAYS
    condition = Q(**{f"{field.lookup}__isnull": False})
    if field.kind in ("string", "exact"):
        condition &= ~Q(**{field.lookup: ""})
    return condition


@dataclass
class Budget:
    """The comparisons a filter may still hold, shared by the builders of one filter."""

    left: int = MAX_TERMS

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise InvalidFilterException(detail=f"A filter may hold at most {MAX_TERMS} comparisons.")


class QueryBuilder(FilterVisitor[Q]):
    def __init__(
        self, fields: Fields, parent: AttrPath | None = None, *, lenient: bool = False, budget: Budget | None = None
    ):
        self.fields = fields
        self.parent = parent
        self.lenient = lenient
        self.budget = budget if budget is not None else Budget()

    def _scoped(self, field: Field, condition: Q) -> Q:
        return field.scope(condition) if field.scope else condition

    def visit_comparison(self, node: Comparison) -> Q:
        self.budget.spend()
        field = _field(self.fields, node.attr_path, self.parent, lenient=self.lenient)
        return self._scoped(field, _compare(field, node.op, node.value))

    def visit_present(self, node: Present) -> Q:
        self.budget.spend()
        field = _field(self.fields, node.attr_path, self.parent, lenient=self.lenient)
        return self._scoped(field, _present(field))

    def visit_not(self, node: Not) -> Q:
        return ~self.visit(node.expr)

    def visit_logical_expr(self, node: LogicalExpr) -> Q:
        terms = [self.visit(term) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == LogicalOperator.and_ else combined | term
        return combined

    def visit_value_path(self, node: ValuePath) -> Q:
        # The platform keeps one value per multi-valued attribute row (one email, one member per
        # membership), so "some value matches every condition" is the conditions on that row.
        builder = QueryBuilder(self.fields, parent=node.attr_path, lenient=self.lenient, budget=self.budget)
        return builder.visit(node.val_filter)


def filter_to_q(scim_filter: ScimFilter | None, fields: Fields, *, lenient: bool = False) -> Q:
    """The condition `scim_filter` stands for. Raises InvalidFilterException for an attribute `fields`
    lacks, unless `lenient` (a search of several resource types), where it matches nothing."""
    if scim_filter is None:
        return Q()
    return QueryBuilder(fields, lenient=lenient).visit(scim_filter.ast)
