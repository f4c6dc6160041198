"""SCIM ids: unique across every resource the service provider has (RFC 7643 §3.1), in a root search too.

A User's id is its person's primary key ("16"), as it always was: identity providers have stored it, and
managers and group members refer to it. A Group's id is its access group's primary key behind "g-"
("g-16"), so a User and a Group can never share one. A Group id from before the prefix ("16") still finds
its group in a path (/Groups/16), where the resource type is not in doubt, so an identity provider that
stored one keeps working and reads the new id back; in a filter, where several types may match, only
"g-16" names the group.

Only plain ASCII digits are read: `str.isdigit` also takes "²", which `int` refuses, and "١", which it
reads as 1; and at most 18 of them, which a bigint holds. Anything else names no resource.
"""

import re

GROUP_PREFIX = "g-"
DIGITS = re.compile(r"[0-9]{1,18}")


def _number(value: object) -> int | None:
    return int(value) if isinstance(value, str) and DIGITS.fullmatch(value) else None


def user_id(pk: int) -> str:
    return str(pk)


def user_pk(value: object) -> int | None:
    """The person a User id stands for; None if it names none."""
    return _number(value)


def group_id(pk: int) -> str:
    return f"{GROUP_PREFIX}{pk}"


def group_pk(value: object, *, legacy: bool = False) -> int | None:
    """The access group a Group id stands for; None if it names none. `legacy`: a path's id, where a
    bare number (an id issued before the prefix) is read as a group's too."""
    if isinstance(value, str) and value.startswith(GROUP_PREFIX):
        return _number(value.removeprefix(GROUP_PREFIX))
    return _number(value) if legacy else None
