"""The Monday-morning mix that bench/loadtest.py drives (run it through that script: it writes the plan
this file reads from LOADTEST_PLAN). Out of every 8 users: 4 managers (home, My charter, My development,
the inbox, their last team pulse), 2 sales leaders (Manager impact, the gap heatmap and one cell's
drill-down, a coaching plan, the charters), a recruiter (hiring home, a pipeline board, a candidate, the
comparison) and the HR system (incremental sync of people, 200 a page, and a bulk batch of 100 changed
rows). Every user also opens `/healthz`: the floor that each page is compared with, under the same load.
Anything but a 200 counts as an error (a redirect to the sign-in page included)."""

import itertools
import json
import os
import random
from urllib.parse import quote, urlsplit

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"]).read())  # noqa: SIM115 - read once at import
THINK = float(os.environ.get("LOADTEST_THINK", "0"))
_next = {kind: itertools.count() for kind in ("managers", "leaders", "recruiters")}


class PlatformUser(FastHttpUser):
    abstract = True
    wait_time = between(THINK * 0.5, THINK * 1.5)
    kind = ""

    def on_start(self) -> None:
        entries = PLAN[self.kind]
        self.entry = entries[next(_next[self.kind]) % len(entries)]
        self.headers = {
            "X-Forwarded-Proto": "https",  # what the TLS proxy sets (DJANGO_TRUST_X_FORWARDED_PROTO=true)
            "Cookie": f"{PLAN['session_cookie']}={self.entry['session']}",
        }

    def open(self, url: str, name: str, *, status: int = 200):
        with self.client.get(url, headers=self.headers, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != status or "/accounts/login/" in r.headers.get("Location", ""):
                r.failure(f"{r.status_code} for {url}")
            return r

    @task(1)
    def floor(self) -> None:
        self.open("/healthz", "floor: /healthz")


class Manager(PlatformUser):
    weight = 4
    kind = "managers"

    @task(3)
    def home(self) -> None:
        """The home page sends each user where they start (a manager: what waits for them, or My team)."""
        redirect = self.open("/", "manager: home (redirect)", status=302)
        if redirect.status_code == 302:
            self.open(redirect.headers["Location"], "manager: home")

    @task(2)
    def my_charter(self) -> None:
        self.open("/my-charter/", "manager: My charter")

    @task(2)
    def my_development(self) -> None:
        self.open("/coaching/my-development/", "manager: My development")

    @task(2)
    def inbox(self) -> None:
        self.open("/inbox/", "manager: inbox")

    @task(1)
    def pulse(self) -> None:
        if self.entry["pulse"]:
            self.open(f"/coaching/pulse/{self.entry['pulse']}/", "manager: pulse")


class Leader(PlatformUser):
    weight = 2
    kind = "leaders"

    def who(self) -> str:
        return "CSO" if self.entry["cso"] else "director"

    @task(2)
    def impact(self) -> None:
        self.open("/coaching/impact/", f"leader: Manager impact ({self.who()})")

    @task(2)
    def heatmap(self) -> None:
        self.open("/coaching/heatmap/", f"leader: heatmap ({self.who()})")

    @task(1)
    def drill_down(self) -> None:
        team, competency = self.entry["cell"]
        self.open(f"/coaching/heatmap/{team}/{competency}/", "leader: heatmap cell")

    @task(1)
    def plan(self) -> None:
        self.open(f"/coaching/plans/{self.entry['plan']}/", "leader: coaching plan")

    @task(1)
    def charters(self) -> None:
        self.open("/charters/", "leader: charters")


class Recruiter(PlatformUser):
    weight = 1
    kind = "recruiters"

    @task(2)
    def hiring_home(self) -> None:
        self.open("/hiring/", "recruiter: hiring home")

    @task(1)
    def board(self) -> None:
        self.open(f"/hiring/requisitions/{random.choice(self.entry['requisitions'])}/board/", "recruiter: board")

    @task(2)
    def candidate(self) -> None:
        self.open(f"/hiring/applications/{random.choice(self.entry['applications'])}/", "recruiter: candidate")

    @task(1)
    def comparison(self) -> None:
        self.open(f"/hiring/requisitions/{random.choice(self.entry['requisitions'])}/", "recruiter: comparison")


class HrSystem(FastHttpUser):
    weight = 1
    wait_time = between(THINK * 0.5, THINK * 1.5)

    def on_start(self) -> None:
        self.headers = {"X-Forwarded-Proto": "https", "Authorization": f"Bearer {PLAN['hr']['token']}"}
        self.next_page = "/api/v1/people/?changed_since=&page_size=200"
        self.batches = itertools.count()

    @task(1)
    def floor(self) -> None:
        with self.client.get("/healthz", headers=self.headers, name="floor: /healthz", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(str(r.status_code))

    @task(4)
    def sync_page(self) -> None:
        """One page of the incremental sync; once caught up, it goes on from the cursor it was given."""
        name = "hr: people sync page"
        with self.client.get(self.next_page, headers=self.headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(str(r.status_code))
                return
            body = r.json()
            if body.get("next"):
                parts = urlsplit(body["next"])
                self.next_page = f"{parts.path}?{parts.query}"
            else:  # caught up: next time, only what changed since (the bulk batches' rows)
                self.next_page = f"/api/v1/people/?changed_since={quote(body['cursor'])}&page_size=200"

    @task(1)
    def bulk(self) -> None:
        title = f"Account Executive {next(self.batches) % 2 + 1}"
        rows = [{"external_id": external_id, "title": title} for external_id in PLAN["hr"]["bulk"]]
        with self.client.post(
            "/api/v1/people/bulk/",
            json={"dry_run": False, "people": rows},
            headers=self.headers,
            name="hr: people bulk (100 rows)",
            catch_response=True,
        ) as r:
            if r.status_code != 200 or r.json()["summary"]["error"]:
                r.failure(f"{r.status_code}: {r.text[:200]}")
