"""The pulse results and recognition API: exactly what the pages show under the same thresholds, never an
answer; no parameter narrows a result; what a caller may not see is a 404; scopes enforced with real tokens;
recognition listed, synced with `changed_since` and given through the service's rules."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coaching.models import Pulse, Recognition
from coaching.pulse import selectors
from coaching.recognition.services import recognition_give
from enablement.api.clients.services import api_client_create
from tests.coaching.pulse.conftest import add_manager, add_sellers, run_pulse

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()  # noqa: DTZ011 - the API uses the local day, as the pages do
DAY = datetime.timedelta(days=1)


def person_client(person) -> APIClient:
    client = APIClient()
    client.force_login(person.user)
    return client


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def token(hr_admin):
    """A real token's client, for the scopes asked, acting as an HR admin unless told otherwise."""

    def make(*scopes, hr=True):
        _client, value = api_client_create(name=f"HR {len(scopes)}", scopes=scopes, by=hr_admin, hr_admin=hr)
        return token_client(value)

    return make


@pytest.fixture
def team(org):
    """`owner`'s team of 7 and a pulse about `owner` closed yesterday that 5 answered."""
    add_sellers(org["owner"], 6, prefix="team")
    pulse = run_pulse(org["owner"], [4, 5, 4, 3, 5], closes_on=TODAY - DAY)
    return {"pulse": pulse, "series": pulse.series}


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def figures(result: dict) -> dict[str, dict]:
    return {figure["question"]["key"]: figure for figure in result["figures"]}


def assert_no_answer_in(data) -> None:
    """Nothing that names or lists an answer: no pseudonym, only counts, shares and means of a group."""
    if isinstance(data, dict):
        assert not {"respondent", "respondents", "values"} & set(data)
        assert isinstance(data.get("answers", 0), int | None)
        if set(data) == {"value", "share"}:
            assert isinstance(data["share"], float)
        for value in data.values():
            assert_no_answer_in(value)
    elif isinstance(data, list):
        for value in data:
            assert_no_answer_in(value)


# Access.


def result_urls(org, team):
    return [
        reverse("pulse-series-list"),
        reverse("pulse-series-detail", args=[team["series"].pk]),
        reverse("pulse-list"),
        reverse("pulse-detail", args=[team["pulse"].pk]),
        reverse("pulse-rollup-list"),
        reverse("pulse-rollup-detail", args=[org["leader"].pk]),
    ]


def test_every_endpoint_refuses_anonymous(org, team):
    for url in [*result_urls(org, team), reverse("recognition-list")]:
        assert APIClient().get(url).status_code == 401, url
    assert APIClient().post(reverse("recognition-list"), {}, format="json").status_code == 401


def test_scopes_are_enforced_with_real_tokens(org, team, token):
    coaching_only = token("coaching:read", "coaching:write")
    for url in [*result_urls(org, team), reverse("recognition-list")]:
        assert coaching_only.get(url).status_code == 403, url
    reader = token("pulse:read", "recognition:read")
    assert reader.get(reverse("pulse-rollup-list")).status_code == 200
    assert reader.get(reverse("recognition-list")).status_code == 200
    body = {"giver": org["seller"].pk, "recipient": org["owner"].pk, "reason": "Thanks", "tags": ["brand"]}
    assert reader.post(reverse("recognition-list"), body, format="json").status_code == 403
    assert token("recognition:write").get(reverse("recognition-list")).status_code == 403
    assert token("pulse:read").post(reverse("pulse-series-list"), {}, format="json").status_code == 405
    assert not Recognition.objects.exists()


@pytest.mark.parametrize("persona", ["peer", "seller", "outsider", "peer_seller"])
def test_what_the_caller_may_not_open_is_a_404(org, team, persona):
    client = person_client(org[persona])
    for url in result_urls(org, team)[1::2]:  # the details
        assert client.get(url).status_code == 404, (persona, url)
    for name in ("pulse-series-list", "pulse-list"):
        assert ok(client.get(reverse(name)))["results"] == [], name


def test_an_hr_systems_token_sees_org_rollups_only(org, team, token):
    api = token("pulse:read")
    rollups = ok(api.get(reverse("pulse-rollup-list")))["results"]
    assert [row["leader"]["id"] for row in rollups] == [org["leader"].pk]
    assert ok(api.get(reverse("pulse-rollup-detail", args=[org["leader"].pk])))["teams"] == []
    assert api.get(reverse("pulse-series-detail", args=[team["series"].pk])).status_code == 404
    assert api.get(reverse("pulse-detail", args=[team["pulse"].pk])).status_code == 404
    assert api.get(reverse("pulse-rollup-detail", args=[org["owner"].pk])).status_code == 404
    assert ok(api.get(reverse("pulse-series-list")))["results"] == []
    assert ok(token("pulse:read", hr=False).get(reverse("pulse-rollup-list")))["results"] == []


# Exactly what the pages show.


def test_the_api_shows_what_the_pages_show(client, org, team):
    client.force_login(org["leader"].user)
    page = client.get(reverse("coaching:pulse-detail", args=[team["pulse"].pk])).context["result"]
    data = ok(person_client(org["leader"]).get(reverse("pulse-detail", args=[team["pulse"].pk])))
    assert data["result"]["status"] == page.status == selectors.SHOWN
    for figure in page.figures:
        row = figures(data["result"])[figure.question.key]
        assert (row["status"], row["answers"], row["mean"]) == (
            figure.status,
            figure.tally.n,
            round(figure.tally.mean, 2),
        )
        assert [d["share"] for d in row["distribution"]] == [round(s, 3) for _v, s in figure.tally.distribution]
    assert data["response_band"] == "60-79%" and data["comments"] is None and data["state"] == "closed"
    window = client.get(reverse("coaching:pulse-series", args=[team["series"].pk])).context["window"]
    series = ok(person_client(org["leader"]).get(reverse("pulse-series-detail", args=[team["series"].pk])))
    assert [(f["question"]["key"], f["status"]) for f in series["window"]["figures"]] == [
        (f.question.key, f.status) for f in window.figures
    ]
    assert [row["id"] for row in series["pulses"]] == [team["pulse"].pk]
    assert_no_answer_in(data)
    assert_no_answer_in(series)


def test_below_the_threshold_the_api_says_not_enough_and_gives_no_figure(org):
    manager, _sellers = add_manager(org["leader"], 6, name="four")
    pulse = run_pulse(manager, [5, 5, 5, 5], closes_on=TODAY - DAY)
    data = ok(person_client(manager).get(reverse("pulse-detail", args=[pulse.pk])))
    assert data["result"]["status"] == selectors.NOT_ENOUGH
    assert data["result"]["status_text"] == "Not enough responses to show yet."
    for figure in data["result"]["figures"]:
        assert figure["status"] == selectors.NOT_ENOUGH
        assert [figure[key] for key in ("answers", "mean", "favourable", "enps", "distribution")] == [None] * 5
    assert all(lever["mean"] is None for lever in data["result"]["levers"])
    assert data["response_band"] == "60-79%"  # 4 of 6


def test_an_open_pulse_has_no_result_yet(org, team):
    from coaching.pulse import services
    from tests.coaching.pulse.conftest import bank

    pulse = services.pulse_schedule(
        subject=org["owner"], opens_on=TODAY, closes_on=TODAY + DAY, questions=bank(), by=None
    )
    data = ok(person_client(org["owner"]).get(reverse("pulse-detail", args=[pulse.pk])))
    assert data["result"]["status"] == selectors.NOT_RELEASED and data["released_at"] is None


def test_a_rollup_and_the_teams_inside_it_cannot_be_differenced_through_the_api(org):
    """owner's team: 5 answered; peer's: 3. The roll-up shows (8), peer's team does not (3), and so owner's
    team is hidden too: otherwise the roll-up minus owner's team would give peer's three."""
    add_sellers(org["owner"], 5, prefix="o")
    add_sellers(org["peer"], 3, prefix="p")
    run_pulse(org["owner"], [5, 5, 5, 5, 5], closes_on=TODAY - DAY)
    run_pulse(org["peer"], [1, 1, 1], closes_on=TODAY - DAY)
    api = person_client(org["leader"])
    rollup = ok(api.get(reverse("pulse-rollup-detail", args=[org["leader"].pk])))
    assert rollup["result"]["status"] == selectors.SHOWN
    assert {row["subject"]["id"]: row["status"] for row in rollup["teams"]} == {
        org["owner"].pk: selectors.NOT_ENOUGH,
        org["peer"].pk: selectors.NOT_ENOUGH,
    }
    for row in ok(api.get(reverse("pulse-series-list")))["results"]:
        assert all(figure["mean"] is None for figure in row["window"]["figures"])
    owner_view = ok(person_client(org["owner"]).get(reverse("pulse-series-list")))["results"]
    assert [row["window"]["status"] for row in owner_view] == [selectors.NOT_ENOUGH]


NARROWING = [
    {"team": "1"},
    {"since": "2020-01-01", "until": "2030-01-01"},
    {"question": "1"},
    {"respondents": "1"},
    {"compare": "1"},
    {"format": "json"},
    {"min": "1"},
    {"threshold": "1"},
    {"pulse": "1"},
    {"page_size": "1"},
]


@pytest.mark.parametrize("params", NARROWING)
def test_no_parameter_narrows_a_result(org, params):
    manager, _sellers = add_manager(org["leader"], 6, name="narrow")
    small = run_pulse(manager, [1, 1, 1], closes_on=TODAY - DAY)
    api = person_client(org["leader"])
    for url in (
        reverse("pulse-detail", args=[small.pk]),
        reverse("pulse-series-detail", args=[small.series_id]),
        reverse("pulse-rollup-detail", args=[org["leader"].pk]),
    ):
        plain, narrowed = api.get(url), api.get(url, params)
        if narrowed.status_code == 404:
            continue  # `format` names no renderer: nothing answered at all
        assert ok(narrowed) == ok(plain), (url, params)
        assert "'mean': 1.0" not in str(ok(narrowed))


# Pulses sync.


def test_pulses_sync_with_changed_since_and_a_release_moves_a_pulse(org, team, settings):
    from coaching.pulse import services
    from tests.coaching.pulse.conftest import bank

    settings.API_SYNC_SETTLE_SECONDS = 0
    api = person_client(org["owner"])
    first = ok(api.get(reverse("pulse-list"), {"changed_since": ""}))
    assert [row["id"] for row in first["results"]] == [team["pulse"].pk]
    assert ok(api.get(reverse("pulse-list"), {"changed_since": first["cursor"]}))["results"] == []
    pulse = services.pulse_schedule(subject=org["owner"], opens_on=TODAY, closes_on=TODAY, questions=bank(), by=None)
    services.pulse_close(pulse=pulse)
    later = ok(api.get(reverse("pulse-list"), {"changed_since": first["cursor"]}))
    assert [(row["id"], row["state"]) for row in later["results"]] == [(pulse.pk, Pulse.State.CLOSED)]


# Recognition.


def give(giver, recipient, **extra):
    return recognition_give(giver=giver, recipient=recipient, reason="Great discovery call", tags=["customer"], **extra)


def test_recognition_lists_what_the_feed_shows(org):
    teammate = add_sellers(org["owner"], 1)[0]
    private = give(org["peer_seller"], org["seller"], visibility=Recognition.Visibility.PRIVATE)
    public = give(org["peer"], org["seller"])
    for viewer, sees in ((org["owner"], [public, private]), (teammate, [public]), (org["outsider"], [])):
        rows = ok(person_client(viewer).get(reverse("recognition-list")))["results"]
        assert [row["id"] for row in rows] == [r.pk for r in sees], viewer
    rows = ok(person_client(teammate).get(reverse("recognition-list")))["results"]
    assert rows[0]["reason"] == "Great discovery call" and rows[0]["tags"] == ["customer"]


def test_recognition_filters_by_recipient_and_refuses_a_bad_filter(org):
    to_seller = give(org["owner"], org["seller"])
    give(org["seller"], org["owner"])
    api = person_client(org["owner"])
    rows = ok(api.get(reverse("recognition-list"), {"recipient": org["seller"].pk}))["results"]
    assert [row["id"] for row in rows] == [to_seller.pk]
    for bad in ("me", "-1", "\u0661", " 1", "9" * 30):
        response = api.get(reverse("recognition-list"), {"recipient": bad})
        assert response.status_code == 400 and set(response.json()["errors"]) == {"recipient"}, bad


def test_a_person_gives_recognition_through_the_api_under_the_rules(org, settings):
    api = person_client(org["seller"])
    body = {"recipient": org["owner"].pk, "reason": "Unblocked legal", "tags": ["collaboration"]}
    response = api.post(reverse("recognition-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["giver"]["id"], response.json()["reason"]) == (org["seller"].pk, "Unblocked legal")
    refusals = [
        ({**body, "recipient": org["seller"].pk}, "recipient"),
        ({**body, "tags": []}, "tags"),
        ({**body, "tags": ["gossip"]}, "tags"),
        ({**body, "reason": ""}, "reason"),
        ({**body, "giver": org["peer"].pk}, "giver"),
    ]
    for refused, field in refusals:
        response = api.post(reverse("recognition-list"), refused, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], (refused, response.content)
    settings.RECOGNITION_DAILY_CAP = 1
    capped = api.post(reverse("recognition-list"), {**body, "recipient": org["leader"].pk}, format="json")
    assert capped.status_code == 400 and "today's limit" in capped.json()["detail"]
    assert Recognition.objects.count() == 1


def test_an_integration_gives_on_behalf_and_an_hr_system_syncs_without_reasons(org, token, settings):
    settings.API_SYNC_SETTLE_SECONDS = 0
    integration = token("recognition:read", "recognition:write", hr=False)
    body = {
        "giver": org["seller"].pk,
        "recipient": org["owner"].pk,
        "reason": "Shared the pricing insight",
        "tags": ["insight"],
        "visibility": "private",
    }
    response = integration.post(reverse("recognition-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["giver"]["id"], response.json()["reason"]) == (org["seller"].pk, None)
    without_giver = {key: value for key, value in body.items() if key != "giver"}
    assert integration.post(reverse("recognition-list"), without_giver, format="json").status_code == 400
    assert ok(integration.get(reverse("recognition-list")))["results"] == []  # no HR access: sees none

    hr_system = token("recognition:read")
    first = ok(hr_system.get(reverse("recognition-list"), {"changed_since": ""}))
    assert [(row["giver"]["id"], row["reason"], row["visibility"]) for row in first["results"]] == [
        (org["seller"].pk, None, "private")
    ]
    returned = give(org["owner"], org["seller"])
    later = ok(hr_system.get(reverse("recognition-list"), {"changed_since": first["cursor"]}))
    assert [(row["id"], row["counts"], row["flag"]) for row in later["results"]] == [(returned.pk, False, "returned")]
    assert "Shared the pricing insight" not in str(first) + str(later)
