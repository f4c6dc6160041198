"""Every scope an API token may carry, with what it lets a machine client do: the one registry the token
model, the pages, the admin and `create_api_token` validate against. A viewset names the scopes it needs in
`required_scopes` (checked by `enablement.api.base.ScopedPermission`); a scope used there must be listed here."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

API_SCOPES = {
    "people:read": _("Read people and teams."),
    "people:write": _("Create and update people and teams, one by one or in bulk."),
    "charters:read": _("Read roles, charter versions, acknowledgements and metric readings."),
    "charters:write": _("Write charter drafts, publish them, acknowledge and record metric readings."),
    "readings:write": _("Record success-metric readings in bulk (a CRM or BI system)."),
    "competencies:read": _("Read the competency framework and each role's required competencies."),
    "competencies:write": _("Change the competency framework and role requirements."),
    "hiring:read": _("Read requisitions, candidates, applications, scorecards and decisions."),
    "hiring:write": _("Open requisitions, add candidates, move applications and record decisions."),
    "coaching:read": _("Read assessments, coaching plans, goals, tasks and 1:1 sessions."),
    "coaching:write": _("Record assessments and change coaching plans, goals, tasks and sessions."),
    "pulse:read": _("Read team pulse results (only what the pages show, under the same thresholds)."),
    "recognition:read": _("Read recognition (without its reason text for API clients)."),
    "recognition:write": _("Give recognition on behalf of the person who gives it."),
    "support:read": _("Read support requests and their threads."),
    "support:write": _("Raise support requests, move them on, confirm fixes and comment (as the person signed in)."),
    "impact:read": _("Read the manager impact figures (what the Manager impact page shows)."),
    "scim": _("Provision accounts and groups through SCIM 2.0."),
}


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    """The scopes in `scopes` that the registry does not know, sorted."""
    return sorted(set(scopes) - API_SCOPES.keys())
