"""A real SMTP server on a free loopback port, for the integration tests' workers to send mail to.

    with smtp_server() as smtp:
        with running_worker(broker, tmp_path, env=smtp.worker_env) as worker:
            ...
        smtp.wait_for_messages(1)

Only messages the server accepted (250) are recorded. `stall_first_data_for` makes the first DATA hang
that many seconds and then refuse the message with a 451, so a test can kill a worker mid-delivery.
"""

import asyncio
import email
import email.policy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def body(self, content_type: str) -> str:
        part = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        assert part is not None and part.get_content_type() == content_type, f"no {content_type} part"
        return part.get_content()


@dataclass
class RecordingHandler:
    stall_first_data_for: float = 0
    accepted: list[ReceivedMail] = field(default_factory=list)
    data_commands: int = 0
    data_seen: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.data_commands += 1
            first = self.data_commands == 1
        self.data_seen.set()
        if first and self.stall_first_data_for:
            await asyncio.sleep(self.stall_first_data_for)
            return "451 4.3.0 Stalled on purpose; try again later"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.accepted.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 Message accepted for delivery"


class _FreePortController(Controller):
    """Listens on port 0 and learns the port the kernel chose before aiosmtpd's start-up self-test
    connects to it (no window in which another process could take the port)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler

    @property
    def messages(self) -> list[ReceivedMail]:
        with self.handler.lock:
            return list(self.handler.accepted)

    @property
    def worker_env(self) -> dict[str, str]:
        """What a worker process needs to send its mail here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(self.port),
        }

    def wait_for_messages(self, count: int, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return True
            time.sleep(0.1)
        return False


@contextmanager
def smtp_server(*, stall_first_data_for: float = 0) -> Iterator[SmtpServer]:
    handler = RecordingHandler(stall_first_data_for=stall_first_data_for)
    controller = _FreePortController(handler, hostname=HOST, port=0, server_hostname="localhost")
    controller.start()
    try:
        yield SmtpServer(port=controller.port, handler=handler)
    finally:
        controller.stop()
