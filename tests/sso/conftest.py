"""A real OpenID provider for the SSO tests, and the helpers that drive a sign-in through it.

`idp` starts tests/sso/provider/provider.mjs (the certified oidc-provider on Node.js) on a free port of
127.0.0.1 with a signing key made here, so tests can also forge tokens the provider's keys would sign.
Without Node.js the tests skip, or fail under REQUIRE_SERVICES=1; node_modules is installed with `npm ci`
from the lock file when missing. `stub_token_endpoint` answers the token request with whatever ID token a
test forged: only for the negative cases, beside the real provider's flow.
"""

import fcntl
import json
import shutil
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.urls import reverse

from enablement.accounts.sso import provider as sso_provider
from tests.conftest import service_missing

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "enablement-platform"
CLIENT_SECRET = "test-client-secret-of-some-length"
PROVIDER_NAME = "Test IdP"
PASSWORD = "idp password"
# The Django test client's host: the redirect URI the provider sends browsers back to in these tests.
TEST_SERVER = "http://testserver"


def new_signing_key(kid: str) -> tuple[rsa.RSAPrivateKey, dict]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True)
    jwk.pop("key_ops")  # PyJWT marks a private key "sign" only; the provider verifies ID token hints with it too
    return key, {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        service_missing(
            "Node.js is not installed (apt-get install nodejs npm): the SSO tests run a real OpenID provider"
        )
    return node


def _ensure_node_modules() -> None:
    """`npm ci` from the lock file, once, even with several test processes at once."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        service_missing("npm is not installed, and tests/sso/provider/node_modules is missing")
    with open(PROVIDER_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            service_missing(f"npm ci in {PROVIDER_DIR} failed: {result.stderr[-2000:]}")


class OpenIdProvider:
    """The running provider: its issuer, its signing key (to forge with), its accounts and its browser side."""

    def __init__(self, workdir: Path, redirect_bases: list[str]):
        self.workdir = workdir
        self.private_key, self.jwk = new_signing_key(kid=f"test-{uuid.uuid4().hex[:8]}")
        self.accounts_file = workdir / "accounts.json"
        self.accounts_file.write_text("{}")
        config = {
            "jwks": {"keys": [self.jwk]},
            "accountsFile": str(self.accounts_file),
            "clients": [
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [f"{base}/oidc/callback/" for base in redirect_bases],
                    "post_logout_redirect_uris": [f"{base}/accounts/login/" for base in redirect_bases],
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "client_secret_basic",
                }
            ],
        }
        config_file = workdir / "config.json"
        config_file.write_text(json.dumps(config))
        self.log = open(workdir / "provider.log", "w+")  # noqa: SIM115 (open for the process's life)
        self.process = subprocess.Popen(
            [_node(), str(PROVIDER_DIR / "provider.mjs"), str(config_file)],
            cwd=PROVIDER_DIR,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.issuer = self._wait_for_issuer()

    def _wait_for_issuer(self) -> str:
        found: list[str] = []
        reader = threading.Thread(target=lambda: found.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=30)
        line = found[0].strip() if found else ""
        if not line.startswith("issuer "):
            self.stop()
            self.log.seek(0)
            pytest.fail(f"The test OpenID provider did not start: {line!r}\n{self.log.read()[-3000:]}")
        return line.removeprefix("issuer ")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def add_account(self, login: str, *, password: str = PASSWORD, **claims) -> dict:
        """An account at the provider; `login` is what its sign-in page takes. Claims default to a verified
        `<login>@idp.example` email, `preferred_username` = login and a name."""
        claims = {
            "sub": f"sub-{login}",
            "preferred_username": login,
            "email": f"{login}@idp.example",
            "email_verified": True,
            "given_name": login.title(),
            "family_name": "Tester",
            **claims,
        }
        accounts = json.loads(self.accounts_file.read_text())
        accounts[login] = {"password": password, "claims": claims}
        self.accounts_file.write_text(json.dumps(accounts))
        return claims

    def log_in(self, authorization_url: str, login: str, password: str = PASSWORD, *, browser=None) -> str:
        """Goes through the provider's own sign-in page as a browser would (a requests session keeps its
        cookies); returns the address it sends the browser back to (the callback, with code and state)."""
        browser = browser if browser is not None else requests.Session()
        response = self._follow(browser, browser.get(authorization_url, allow_redirects=False, timeout=10))
        if isinstance(response, str):
            return response  # the provider still had a session: no sign-in page
        assert "/interaction/" in response.url, response.text[:500]
        form_action = urljoin(response.url, f"{urlsplit(response.url).path}/login")
        posted = browser.post(
            form_action, data={"login": login, "password": password}, allow_redirects=False, timeout=10
        )
        answer = self._follow(browser, posted)
        assert isinstance(answer, str), f"the provider did not send the browser back: {answer.text[:500]}"
        return answer

    def _follow(self, browser: requests.Session, response: requests.Response) -> requests.Response | str:
        """Follows redirects within the provider; returns the first address outside it, or the last page."""
        while response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            response = browser.get(location, allow_redirects=False, timeout=10)
        return response

    def forge(self, *, key=None, kid: str | None = None, algorithm: str = "RS256", **claims) -> str:
        """An ID token as this provider would sign it (or with `key`), with `claims` over sound defaults."""
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "sub": "sub-owner", **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        headers = {"kid": kid or self.jwk["kid"]}
        return jwt.encode(payload, key or self.private_key, algorithm=algorithm, headers=headers)


def ensure_provider() -> None:
    """Node.js and the provider's packages are there (or the test skips, or fails under REQUIRE_SERVICES)."""
    _node()
    _ensure_node_modules()


@pytest.fixture(scope="session")
def idp_process(tmp_path_factory):
    ensure_provider()
    provider = OpenIdProvider(tmp_path_factory.mktemp("idp"), redirect_bases=[TEST_SERVER])
    yield provider
    provider.stop()


@pytest.fixture
def idp(idp_process, settings):
    """The running provider, and the platform configured to sign in through it."""
    idp_process.accounts_file.write_text("{}")
    settings.OIDC_ISSUER = idp_process.issuer
    settings.SSO_ENABLED = True
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()
    yield idp_process
    cache.clear()


def start_sign_in(client, next_url: str | None = None) -> tuple[str, dict]:
    """Starts a sign-in at the platform; returns the provider's authorization URL and its parameters."""
    response = client.get(reverse("sso:start"), {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content[:500]
    return response.url, {name: values[0] for name, values in parse_qs(urlsplit(response.url).query).items()}


def back_at(client, location: str):
    """Follows the provider's redirect back to the platform (the callback) with the Django test client."""
    assert location.startswith(f"{TEST_SERVER}/"), location
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def sso_sign_in(client, idp: OpenIdProvider, login: str, password: str = PASSWORD):
    """A whole sign-in through the provider; returns the platform's answer to the callback."""
    authorization_url, _params = start_sign_in(client)
    return back_at(client, idp.log_in(authorization_url, login, password))


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


class _TokenHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append(self.headers.get("Authorization", ""))
        body = json.dumps({"access_token": "stub", "token_type": "Bearer", "id_token": self.server.id_token}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_token_endpoint(idp):
    """A token endpoint on loopback that answers with `stub.id_token` (set by the test). `stub.take_over()` puts
    it in place of the real provider's in the cached discovery document; the keys stay the provider's, and
    userinfo is left out, so the forged ID token alone decides."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenHandler)
    server.id_token = ""
    server.requests = []

    def take_over() -> None:
        real = sso_provider.provider()
        document = {
            **real.__dict__,
            "token_endpoint": f"http://127.0.0.1:{server.server_address[1]}/token",
            "userinfo_endpoint": None,
            "token_endpoint_auth_methods": list(real.token_endpoint_auth_methods),
        }
        cache.set(sso_provider._cache_key(idp.issuer), document, None)

    server.take_over = take_over
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
