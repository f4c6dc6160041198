"""Comparing text without case, the same way on both databases.

SQLite's lower(), upper() and LIKE fold ASCII letters only, so "X-émile" and "X-ÉMILE" differ there while
PostgreSQL (with a UTF-8 ctype) finds them equal. `Casefold` is Unicode case folding in the database: on
SQLite the function `scim_casefold`, Python's `str.casefold`, registered on every connection (as Django
registers its own functions there); on PostgreSQL `lower()`. Both sides of a comparison go through it, so
each database agrees with itself.
"""

from django.db.models import CharField, Func


def casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def register_casefold(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives each new SQLite connection `scim_casefold`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("scim_casefold", 1, casefold, deterministic=True)


class Casefold(Func):
    function = "LOWER"
    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="scim_casefold", **extra_context)
