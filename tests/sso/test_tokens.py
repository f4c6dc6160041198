"""ID tokens that must not sign anyone in: a wrong audience or issuer, an expired one, a bad signature, a
replayed nonce, an unsigned or HMAC-signed one. Each is forged with the real provider's key (or a second
key under its kid) and handed back by a stub token endpoint, while the real provider's discovery document
and keys are used; the first test shows a sound token passes the same way, so the others fail for their
own reason. The last replays a genuine token of the real provider."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import reverse

from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, new_signing_key, signed_in_user_id, sso_sign_in, start_sign_in

pytestmark = [pytest.mark.sso, pytest.mark.django_db]


def _callback_with(client, stub, forge):
    """Starts a sign-in, has the stub answer with `forge(nonce)`, and brings the browser back."""
    stub.take_over()
    _url, params = start_sign_in(client)
    stub.id_token = forge(params["nonce"])
    return client.get(reverse("sso:callback"), {"code": "stub-code", "state": params["state"]})


def _assert_refused(response, client, caplog, because: str):
    assert response.status_code == 400, response.content[:300]
    assert 'data-reason="invalid_response"' in response.content.decode()
    assert signed_in_user_id(client) is None
    assert because in caplog.text  # refused for this reason, not another


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def test_a_sound_forged_token_passes_the_same_way(client, idp, stub_token_endpoint, org):
    response = _callback_with(
        client, stub_token_endpoint, lambda nonce: idp.forge(nonce=nonce, preferred_username="owner")
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == org["owner"].user.pk
    # The client authenticated at the token endpoint with HTTP Basic, as discovery allows.
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert stub_token_endpoint.requests == [f"Basic {expected}"]


@pytest.mark.parametrize(
    ("claims", "because"),
    [
        pytest.param({"aud": "another-client"}, "Audience doesn't match", id="wrong audience"),
        pytest.param({"aud": ["another-client", CLIENT_ID]}, "authorized party is None", id="audiences without azp"),
        pytest.param({"aud": [CLIENT_ID, "x"], "azp": "x"}, "authorized party is 'x'", id="azp another client"),
        pytest.param({"iss": "https://evil.example"}, "Invalid issuer", id="wrong issuer"),
        pytest.param({"exp": int(time.time()) - 120, "iat": int(time.time()) - 600}, "expired", id="expired"),
        pytest.param({"exp": None}, 'missing the "exp" claim', id="no expiry"),
        pytest.param({"iat": int(time.time()) + 3600, "exp": int(time.time()) + 7200}, "not yet valid", id="future"),
    ],
)
def test_id_token_with_a_bad_claim_is_refused(client, idp, stub_token_endpoint, org, caplog, claims, because):
    response = _callback_with(
        client, stub_token_endpoint, lambda nonce: idp.forge(nonce=nonce, preferred_username="owner", **claims)
    )
    _assert_refused(response, client, caplog, because)


def test_id_token_signed_by_another_key_under_the_providers_kid_is_refused(
    client, idp, stub_token_endpoint, org, caplog
):
    other_key, _jwk = new_signing_key(kid=idp.jwk["kid"])
    response = _callback_with(
        client, stub_token_endpoint, lambda nonce: idp.forge(key=other_key, nonce=nonce, preferred_username="owner")
    )
    _assert_refused(response, client, caplog, "Signature verification failed")


def test_id_token_naming_a_key_the_provider_does_not_have_is_refused(client, idp, stub_token_endpoint, org, caplog):
    other_key, _jwk = new_signing_key(kid="unknown")
    response = _callback_with(
        client,
        stub_token_endpoint,
        lambda nonce: idp.forge(key=other_key, kid="unknown", nonce=nonce, preferred_username="owner"),
    )
    _assert_refused(response, client, caplog, "No single signing key of the provider matches")


def test_unsigned_and_hmac_signed_tokens_are_refused(client, idp, stub_token_endpoint, org, caplog):
    def unsigned(nonce):
        sound = idp.forge(nonce=nonce, preferred_username="owner").split(".")[1].encode()
        return b".".join([_b64(json.dumps({"alg": "none"}).encode()), sound, b""]).decode()

    def hmac_with_the_public_key(nonce):
        # The classic confusion: the provider's public key taken as an HMAC secret.
        public_pem = idp.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = _b64(json.dumps({"alg": "HS256", "kid": idp.jwk["kid"]}).encode())
        body = idp.forge(nonce=nonce, preferred_username="owner").split(".")[1].encode()
        signature = hmac.new(public_pem, header + b"." + body, hashlib.sha256).digest()
        return b".".join([header, body, _b64(signature)]).decode()

    for forge, because in ((unsigned, "Signed with 'none'"), (hmac_with_the_public_key, "Signed with 'HS256'")):
        _assert_refused(_callback_with(client, stub_token_endpoint, forge), client, caplog, because)


def test_id_token_with_another_sign_ins_nonce_is_refused(client, idp, stub_token_endpoint, org, caplog):
    _url, earlier = start_sign_in(client)
    response = _callback_with(
        client, stub_token_endpoint, lambda _nonce: idp.forge(nonce=earlier["nonce"], preferred_username="owner")
    )
    _assert_refused(response, client, caplog, "nonce is not the one")


def test_id_token_without_a_nonce_is_refused(client, idp, stub_token_endpoint, org, caplog):
    response = _callback_with(client, stub_token_endpoint, lambda _nonce: idp.forge(preferred_username="owner"))
    _assert_refused(response, client, caplog, "nonce is not the one")


def test_a_genuine_id_token_replayed_into_another_sign_in_is_refused(client, idp, stub_token_endpoint, org, caplog):
    """The real provider's own token from a finished sign-in, handed back for a new one: its nonce is the
    old sign-in's, so it signs nobody in, though its signature, issuer, audience and expiry are sound."""
    idp.add_account("owner")
    sso_sign_in(client, idp, "owner")
    genuine = client.session["oidc_id_token"]
    assert jwt.decode(genuine, options={"verify_signature": False})["iss"] == idp.issuer
    client.post(reverse("logout"))

    response = _callback_with(client, stub_token_endpoint, lambda _nonce: genuine)

    _assert_refused(response, client, caplog, "nonce is not the one")
