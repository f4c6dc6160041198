"""A real HTTP receiver on loopback, in a thread, for webhook tests: records every request and answers
with the status codes it is told (then 200), at once or a byte at a time, over http or https."""

import contextlib
import shutil
import ssl
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    port: int = 0
    statuses: list[int] = field(default_factory=list)  # answered in turn; then `default_status`
    default_status: int = 200
    response_body: bytes = b"ok"
    redirect_to: str = ""
    trickle_seconds: float = 0  # above 0, the answer goes out one byte at a time, this long apart
    trickle_body_only: bool = False  # then the status and headers at once, only the body a byte at a time
    tls: ssl.SSLContext | None = None  # https, with this server context
    requests: list[Received] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)  # the SNI of each TLS handshake
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return self.url_at("127.0.0.1")

    def url_at(self, host: str) -> str:
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/hooks/enablement"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else receiver.default_status
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    receiver.requests.append(Received(self.path, headers, body, status))
                if receiver.trickle_seconds:
                    self.answer_slowly(status)
                    return
                self.send_response(status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", str(len(receiver.response_body)))
                self.end_headers()
                self.wfile.write(receiver.response_body)

            def answer_slowly(self, status: int) -> None:
                body = receiver.response_body
                head = (
                    f"HTTP/1.1 {status} {self.responses[status][0]}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                ).encode()
                self.close_connection = True
                with contextlib.suppress(OSError):  # the sender gave up
                    if receiver.trickle_body_only:
                        self.wfile.write(head)
                    for byte in body if receiver.trickle_body_only else head + body:
                        self.wfile.write(bytes([byte]))
                        time.sleep(receiver.trickle_seconds)

            def log_message(self, format, *args) -> None:  # noqa: A002
                """Quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if self.tls is not None:
            self.tls.sni_callback = lambda connection, name, context: self.server_names.append(name)
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        # `stop` waits for the serving loop's next poll: half a second, left at socketserver's default, after
        # every test that runs a receiver (over 20 s of a worker's time a run).
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Receiver":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def accepted(self) -> list[Received]:
        with self._lock:
            return [request for request in self.requests if 200 <= request.status < 300]

    def accepted_ids(self) -> Counter:
        """How many times each `webhook-id` was accepted (2xx): exactly once each, when all is well."""
        return Counter(request.headers["webhook-id"] for request in self.accepted())


def make_certificates(directory: Path, names: list[str]) -> Path:
    """A throwaway CA (`ca.pem`) and, for each name, `<name>.pem` and `<name>.key` it signed, by the
    openssl command. Returns `directory`."""
    if shutil.which("openssl") is None:
        raise FileNotFoundError("openssl")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)  # noqa: S603, S607

    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    ca_extensions = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"]
    openssl(
        "req", "-x509", *new_key, *ca_extensions, "-subj", "/CN=Webhook test CA", "-keyout", "ca.key", "-out", "ca.pem"
    )
    signed_by_ca = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2"]
    for name in names:
        (directory / f"{name}.ext").write_text(f"subjectAltName=DNS:{name}\nextendedKeyUsage=serverAuth\n")
        openssl("req", *new_key, "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.csr")
        openssl("x509", "-req", *signed_by_ca, "-in", f"{name}.csr", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    return directory


def server_tls(directory: Path, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(directory / f"{name}.pem", directory / f"{name}.key")
    return context


def free_port() -> int:
    """A loopback port nothing listens on (yet): connecting to it is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
