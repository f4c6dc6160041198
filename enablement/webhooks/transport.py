"""One POST to a receiver, within one overall deadline, to an address checked before connecting.

The deadline covers the whole attempt: connecting, the TLS handshake, sending, and reading the status,
headers and start of the body (the host's lookup counts towards it, but a resolver that hangs is stopped
only by its own timeout: getaddrinfo cannot be interrupted). Every blocking socket call waits only for
what is left of it, so a receiver that trickles its answer (a byte a second, each read well within a per-read
timeout) cannot keep an attempt going past WEBHOOK_CLAIM_LEASE_SECONDS, when the sweep would hand the
delivery to a second worker and the event would go out twice.

The host name is looked up once per attempt; every address it resolves to is checked against the
private-network rule, and the connection goes to one of those addresses, never to a second lookup's
answer (a DNS server that answers a public address to the check and a private one to the connect, "DNS
rebinding", reaches nothing). The request still names the host: the `Host` header, and for https the
SNI and the certificate check are against the URL's host name, not the address.
"""

import contextlib
import functools
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

RESPONSE_BODY_LIMIT = 1024

AddressInfo = tuple  # one entry of socket.getaddrinfo(): (family, type, proto, canonname, sockaddr)


@dataclass(frozen=True)
class Response:
    """What one POST gave: a status code and the start of the body, or the error that stopped it."""

    status_code: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AddressRefused(Exception):
    """The host resolves to an address the worker may not call."""


def checked_addresses(hostname: str, port: int) -> list[AddressInfo]:
    """Every address `hostname` resolves to, looked up once: the attempt connects to one of these. Raises
    AddressRefused if any is loopback, private, link-local or reserved (unless WEBHOOK_ALLOW_PRIVATE_HOSTS:
    all of them are checked, so a name cannot mix one in), OSError if the name does not resolve."""
    addresses = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return addresses
    ips = {info[4][0].split("%")[0] for info in addresses}
    private = sorted(ip for ip in ips if not ipaddress.ip_address(ip).is_global)
    if private:
        raise AddressRefused(f"Refused: {hostname} resolves to a private or local address ({', '.join(private)}).")
    return addresses


class _Deadline:
    """Every blocking call on the socket waits at most until `deadline` (time.monotonic()), in total."""

    deadline: float | None = None

    def _arm(self) -> None:
        if self.deadline is None:
            return
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("timed out")
        self.settimeout(remaining)

    def connect(self, *args):
        self._arm()
        return super().connect(*args)

    def recv_into(self, *args, **kwargs):
        self._arm()
        return super().recv_into(*args, **kwargs)

    def send(self, *args, **kwargs):
        self._arm()
        return super().send(*args, **kwargs)

    def sendall(self, *args, **kwargs):
        # A plain socket's sendall takes its timeout as the limit for all of it; TLS calls send() in turn.
        self._arm()
        return super().sendall(*args, **kwargs)


class _DeadlineSocket(_Deadline, socket.socket):
    pass


class _DeadlineSSLSocket(_Deadline, ssl.SSLSocket):
    pass


def tls_context(*, cafile: str | None = None) -> ssl.SSLContext:
    """Certificate verification against the system's CAs (or `cafile`) and the URL's host name."""
    context = ssl.create_default_context(cafile=cafile)
    context.sslsocket_class = _DeadlineSSLSocket
    return context


@functools.cache
def default_tls_context() -> ssl.SSLContext:
    return tls_context()


class _PinnedConnection(http.client.HTTPConnection):
    """http.client's request and response, over a connection to addresses checked beforehand rather than
    to whatever a fresh lookup of `host` answers; `host` still names the receiver in the Host header,
    and for TLS in the SNI and the certificate check."""

    def __init__(
        self, host: str, port: int, *, addresses: list[AddressInfo], deadline: float, tls: ssl.SSLContext | None
    ):
        super().__init__(host, port)
        self.default_port = 443 if tls else 80  # so the Host header leaves out a default port, as usual
        self.addresses, self.deadline, self.tls = addresses, deadline, tls

    def connect(self) -> None:
        self.sock = self._open()
        if self.tls is not None:
            self.sock._arm()  # the handshake runs inside wrap_socket, with the socket's timeout as its limit
            self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)
            self.sock.deadline = self.deadline

    def _open(self) -> _DeadlineSocket:
        failure: OSError = OSError(f"{self.host} has no address")
        for family, kind, proto, _name, sockaddr in self.addresses:
            sock = _DeadlineSocket(family, kind, proto)
            sock.deadline = self.deadline
            try:
                sock.connect(sockaddr)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except OSError as error:
                sock.close()
                failure = error
        raise failure


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Response:
    """POSTs once, all of it within `timeout` seconds. Redirects are not followed (a 3xx is a failure like
    any other non-2xx). Reads at most RESPONSE_BODY_LIMIT bytes of the answer; once the status and headers
    are in, the status decides, and the body is what arrived by the deadline. Never raises for the
    receiver's or the network's errors: they are the Response's `error`."""
    started = time.monotonic()
    parts = urlsplit(url)
    https = parts.scheme == "https"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection, step = None, "looking the host up"
    try:
        hostname, port = parts.hostname or "", parts.port or (443 if https else 80)
        addresses = checked_addresses(hostname, port)
        connection = _PinnedConnection(
            hostname,
            port,
            addresses=addresses,
            deadline=started + timeout,
            tls=default_tls_context() if https else None,
        )
        step = "connecting"
        connection.connect()
        step = "sending"
        connection.request("POST", path, body=body, headers=headers)
        step = "waiting for the answer"
        answer = connection.getresponse()
        status, text, error = answer.status, _start_of_body(answer), ""
    except AddressRefused as refusal:
        status, text, error = None, "", str(refusal)
    except TimeoutError:
        status, text, error = None, "", f"TimeoutError: no answer within {timeout:g} s ({step})"
    except (OSError, http.client.HTTPException, ValueError) as failure:
        status, text, error = None, "", failure_message(failure, parts.hostname or "", step)[:500]
    finally:
        if connection is not None:
            connection.close()
    return Response(status, text, error, duration_ms=round((time.monotonic() - started) * 1000))


def failure_message(failure: Exception, hostname: str, step: str) -> str:
    """What went wrong, in words an HR admin can act on (the exception's name stays at the end, for support)."""
    detail = f"({type(failure).__name__}: {failure})"
    if isinstance(failure, socket.gaierror):
        return f"Could not resolve host {hostname}: the name does not exist or DNS did not answer. {detail}"
    if isinstance(failure, ConnectionRefusedError):
        return f"{hostname} refused the connection: nothing listens on that port. {detail}"
    if isinstance(failure, ssl.SSLCertVerificationError):
        return f"{hostname}'s TLS certificate could not be verified. {detail}"
    if isinstance(failure, ssl.SSLError):
        return f"The TLS handshake with {hostname} failed. {detail}"
    if isinstance(failure, ConnectionResetError):
        return f"{hostname} closed the connection while {step}. {detail}"
    if isinstance(failure, http.client.HTTPException):
        return f"{hostname} did not answer in HTTP. {detail}"
    return f"Failed while {step} ({hostname}). {detail}"


def _start_of_body(answer: http.client.HTTPResponse) -> str:
    data = bytearray()
    with contextlib.suppress(TimeoutError):  # the deadline came while the body was arriving: keep what did
        while len(data) < RESPONSE_BODY_LIMIT and (chunk := answer.read1(RESPONSE_BODY_LIMIT - len(data))):
            data += chunk
    # NUL cannot be stored in a PostgreSQL text column: a binary answer must not stop the attempt's record.
    return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
