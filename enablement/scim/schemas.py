"""What the SCIM service publishes: its resource models, resource types and capabilities.

The models are the RFC 7643 User, enterprise extension and Group cut down to the attributes the
platform really keeps. A schema that announced `nickName` or `addresses` would promise to store them;
announcing only what is stored means every attribute an identity provider reads back is the one it wrote.
Attributes an identity provider sends that are not declared here are accepted and dropped (the policy's
`unknown=ignore`), so Entra ID's and Okta's default mappings work unchanged.
"""

from typing import Annotated, Any

from pydantic import EmailStr, Field
from scim2_models import (
    URN,
    AnyExtension,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    Extension,
    External,
    Filter,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models import Schema as SchemaResource

MAX_RESULTS = 200  # a page never holds more, whatever `count` asks: bounded work per request
MAX_BODY_BYTES = 1024 * 1024
WORK = "work"
MEMBER_TYPE = "User"


class Name(ComplexAttribute):
    given_name: Annotated[str | None, Required.true] = None
    """The first name of the person."""

    family_name: Annotated[str | None, Required.true] = None
    """The last name of the person."""


class Email(ComplexAttribute):
    value: Annotated[EmailStr | None, Required.true] = None
    """The person's work email: unique across people, compared without case."""

    type: str | None = Field(None, examples=[WORK])
    """Always "work": the platform keeps one address per person. Of several sent, the one marked
    primary is kept (`primary` itself is not stored: the one address is always the primary one)."""


class Manager(ComplexAttribute):
    value: Annotated[str | None, Required.true, CaseExact.true] = None
    """The id of the User who is this person's manager."""

    ref: Annotated[Reference["User"] | None, Required.false] = Field(  # noqa: F821 - resolved by name
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The URI of the manager's User resource."""


class EnterpriseUser(Extension):
    __schema__ = URN("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")

    employee_number: Annotated[str | None, CaseExact.true] = None
    """The HR system's key for the person (their external id), unique."""

    department: str | None = None
    """The name of the person's team."""

    manager: Manager | None = None
    """The person's manager."""


class GroupMembership(ComplexAttribute):
    value: Annotated[str | None, Mutability.read_only, CaseExact.true] = None
    """The id of a Group the User is a member of."""

    ref: Annotated[Reference["Group"] | None, Mutability.read_only] = Field(  # noqa: F821 - resolved by name
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The URI of the Group."""

    display: Annotated[str | None, Mutability.read_only] = None
    """The Group's name."""


class User(Resource[AnyExtension]):
    """A person in the sales org with a login."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The username of the person's login; unique without case, never containing ":"."""

    name: Annotated[Name | None, Required.true] = None
    """The person's name."""

    display_name: Annotated[str | None, Mutability.read_only] = None
    """The person's full name."""

    title: str | None = None
    """The person's job title."""

    active: bool | None = None
    """Whether the person may sign in. Never ends employment: HR does that."""

    emails: Annotated[list[Email] | None, Required.true] = None
    """The person's work email."""

    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None
    """The access groups the login is in; change them through the Group's members."""


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    """The id of a member User."""

    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(  # noqa: F821 - resolved by name
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    """The URI of the member User."""

    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=[MEMBER_TYPE])
    """Always "User": groups do not nest."""


class Group(Resource[Any]):
    """An access group: what its members may do on the platform."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:Group")

    display_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    """The group's name, unique."""

    members: list[GroupMember] | None = None
    """The Users in the group."""


UserResource = User[EnterpriseUser]

BEARER_SCHEME = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauthbearertoken,
    name="API client token",
    description="An API client token with the scim scope: Authorization: Bearer ema_<prefix>_<secret>.",
    spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
    primary=True,
)

CONFIG = ServiceProviderConfig(
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[BEARER_SCHEME],
)

# Entra ID sends a `value` with PATCH `remove` and expects a filtered path that matches nothing to add
# the entry; both are unambiguous, so they are accepted. Undeclared attributes are dropped, not refused.
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

USER_TYPE = ResourceType.from_resource(UserResource)
GROUP_TYPE = ResourceType.from_resource(Group)

PROVIDER = ScimProvider(
    # The discovery schemas are listed too: RFC 7643 §7 has /Schemas describe them as well.
    models=[User, EnterpriseUser, Group, SchemaResource, ResourceType, ServiceProviderConfig],
    resource_types=[USER_TYPE, GROUP_TYPE],
    config=CONFIG,
    policy=POLICY,
)
