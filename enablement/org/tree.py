"""Walking a self-referencing tree inside the database with WITH RECURSIVE (SQLite and PostgreSQL).

Table and column names come from model metadata, quoted by the backend; values are always parameters.
"""

from django.db import connection
from django.db.models import BooleanField, Expression, F, Model, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from enablement.models.lookups import among

# A guard for walks up the tree: the services refuse cycles; this keeps a bad import from looping.
MAX_TREE_DEPTH = 64


def _names(model: type[Model], parent_field: str) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), quote(meta.pk.column), quote(meta.get_field(parent_field).column)


def descendant_ids(model: type[Model], parent_field: str, root_id: int) -> RawSQL:
    """A subquery of the ids below `root_id` (not including it), following `parent_field` downwards.

    UNION (not UNION ALL) drops rows already seen, so even a cycle that slipped into the data ends.
    """
    table, pk, parent = _names(model, parent_field)
    sql = (
        f"WITH RECURSIVE subtree(node) AS ("  # noqa: S608
        f"SELECT {pk} FROM {table} WHERE {parent} = %s "
        f"UNION SELECT child.{pk} FROM {table} AS child JOIN subtree ON child.{parent} = subtree.node"
        f") SELECT node FROM subtree"
    )
    return RawSQL(sql, (root_id,))  # noqa: S611


def ancestors(model: type[Model], parent_field: str, node_id: int) -> list[Model]:
    """The node's parent, grandparent and so on up to the root, nearest first, as model instances."""
    table, pk, parent = _names(model, parent_field)
    sql = (
        f"WITH RECURSIVE chain(node, parent_node, depth) AS ("  # noqa: S608
        f"SELECT {pk}, {parent}, 0 FROM {table} WHERE {pk} = %s "
        f"UNION ALL SELECT node.{pk}, node.{parent}, chain.depth + 1 FROM {table} AS node "
        f"JOIN chain ON node.{pk} = chain.parent_node WHERE chain.depth < %s"
        f") SELECT node.*, chain.depth FROM {table} AS node JOIN chain ON node.{pk} = chain.node "
        f"WHERE chain.depth > 0 ORDER BY chain.depth"
    )
    return list(model._default_manager.raw(sql, [node_id, MAX_TREE_DEPTH]))


def ancestor_links(model: type[Model], parent_field: str, node_ids: list[int]) -> dict[int, int | None]:
    """{id: parent id} for the given nodes and every node above them, in one query: enough to follow any of
    their chains to the top in Python. UNION ends the walk even if the stored data has a cycle."""
    if not node_ids:
        return {}
    table, pk, parent = _names(model, parent_field)
    starts, params = among(pk, list(node_ids), connection.vendor)
    sql = (
        f"WITH RECURSIVE chain(node, parent_node) AS ("  # noqa: S608
        f"SELECT {pk}, {parent} FROM {table} WHERE {starts} "
        f"UNION SELECT node.{pk}, node.{parent} FROM {table} AS node JOIN chain ON node.{pk} = chain.parent_node"
        f") SELECT node, parent_node FROM chain"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


class InScope(Expression):
    """`column IN (subquery)` whose subquery (a scope such as `policy.heatmap_people_for(user).values("pk")`,
    itself a walk of the tree) is evaluated once: on PostgreSQL `column = ANY(ARRAY(subquery))`, an InitPlan
    whose result the planner probes per row, where `IN (subquery)` may become a nested-loop semi join that scans
    the walk's whole result for every outer row (3,000 plans x 1,500 people on the large org when the tables'
    statistics are missing or stale: 1.1 s against 10 ms). Elsewhere the plain `IN`."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, scope: QuerySet) -> None:
        super().__init__()
        self.column, self.scope = F(column), Subquery(scope)

    def get_source_expressions(self) -> list:
        return [self.column, self.scope]

    def set_source_expressions(self, expressions: list) -> None:
        self.column, self.scope = expressions

    def as_sql(self, compiler, connection, template: str = "%(column)s IN %(scope)s") -> tuple[str, tuple]:
        column, column_params = compiler.compile(self.column)
        scope, scope_params = compiler.compile(self.scope)  # "(SELECT ...)", parenthesised
        return template % {"column": column, "scope": scope}, (*column_params, *scope_params)

    def as_postgresql(self, compiler, connection) -> tuple[str, tuple]:
        return self.as_sql(compiler, connection, template="%(column)s = ANY(ARRAY%(scope)s)")
