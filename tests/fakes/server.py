"""Shared plumbing of the loopback API fakes: threaded HTTP/1.1 server, latency, failure mix,
request log. The provider-specific fakes (``openai_fake``, ``anthropic_fake``) subclass
``FakeAPI`` and implement ``route(req) -> Reply`` plus ``error_body(status, kind, message)``.

Failure kinds (``FAILURE_KINDS``), applied to requests whose path matches ``failure_paths``:

- ``"429"``        rate limited: status 429 + ``Retry-After: <retry_after_s>`` header
- ``"500"``        server error (Anthropic fake: ``"529"`` overloaded is also available)
- ``"timeout"``    the handler sleeps ``hang_s`` seconds (past the client's timeout), then
                   answers into a closed socket
- ``"disconnect"`` the status line and part of the body are sent, then the socket is closed
- ``"malformed"``  a normal 200 whose *model output text* is not the JSON asked for

Use ``fail_next(kind, n=1)`` for deterministic scripts, ``failure_mix={"429": .05, ...}`` with
``seed`` for random mixes (decided per request, thread-safe; the draws have a generator of
their own, so a seed gives the same failures for the same number of requests whatever ids
were minted in between). ``latency_s`` delays every
answer on the matched paths, measured from the request's arrival, so the fake's own work
(validation, token counting) is inside it (sleeps are interrupted when the server stops).
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

FAILURE_KINDS = ("429", "500", "529", "timeout", "disconnect", "malformed", "quota")


@dataclass
class Request:
    """One received request as the fake saw it."""

    method: str
    path: str  # without query string
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    json: Any = None
    t: float = field(default_factory=time.monotonic)


@dataclass
class Reply:
    """What to send back. ``drop=True`` sends part of the answer and closes the socket;
    ``hang_s`` sleeps before answering (simulated timeout)."""

    status: int = 200
    body: Any = None  # dict/list → JSON; bytes/str sent as-is
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    drop: bool = False
    hang_s: float = 0.0


@dataclass
class LogEntry:
    """Request log row: what came in, what went out, which failure (if any) was injected."""

    method: str
    path: str
    status: int
    failure: str | None
    headers: dict[str, str]
    json: Any
    t_start: float
    t_end: float


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs
    server: "_Server"

    def log_message(self, *args):  # silence stderr
        pass

    def setup(self):
        super().setup()
        # Without this, Nagle + delayed ACK add ~40 ms to every small response on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self):
        app = self.server.app
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request(self.command, parts.path, parse_qs(parts.query), headers, body)
        if body and "json" in headers.get("content-type", ""):
            try:
                req.json = json.loads(body)
            except ValueError:
                req.json = None
        app._handle(self, req)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

    def send_reply(self, reply: Reply) -> None:
        if isinstance(reply.body, (dict, list)):
            data = json.dumps(reply.body).encode()
        elif isinstance(reply.body, str):
            data = reply.body.encode()
        else:
            data = reply.body or b""
        try:
            if reply.drop:
                # Headers promise more than we send, then the connection dies mid-response.
                head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\nContent-Length: {len(data) + 100}\r\n\r\n"
                self.wfile.write(head.encode() + data[: max(1, len(data) // 3)])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(data)))
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self._headers_buffer.append(b"\r\n" + data)  # headers + body in one write
            self.flush_headers()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128
    app: "FakeAPI"


class FakeAPI:
    """Base of the fakes. Start with ``start()`` or ``with Fake() as fake:``; ``base_url``.

    Knobs (attributes, may be changed while running): ``latency_s``, ``failure_mix``,
    ``retry_after_s``, ``hang_s``, ``failure_paths`` (path prefixes failures/latency apply to),
    ``api_key`` (``None`` accepts any non-empty key). Inspection: ``log`` (``LogEntry`` list),
    ``violations`` (spec violations, should stay empty), ``counts()`` (status/failure counter),
    ``max_concurrent`` (peak parallel requests seen).
    """

    base_path = ""  # e.g. "/v1"
    default_failure_paths: tuple[str, ...] = ()

    def __init__(self, *, api_key: str | None = None, latency_s: float = 0.0, failure_mix: dict[str, float] | None = None,
                 seed: int = 0, retry_after_s: float = 1.0, hang_s: float = 30.0, failure_paths: tuple[str, ...] | None = None):
        self.api_key = api_key
        self.latency_s = latency_s
        self.failure_mix = dict(failure_mix or {})
        self.retry_after_s = retry_after_s
        self.hang_s = hang_s
        self.failure_paths = tuple(failure_paths) if failure_paths is not None else self.default_failure_paths
        self.log: list[LogEntry] = []
        self.violations: list[dict] = []
        self.down = threading.Event()  # set while ``restart`` has the port closed
        self.max_concurrent = 0
        self._active = 0
        self._rng = random.Random(seed)
        self._failure_rng = random.Random(seed)  # ids drawn by concurrent requests must not shift the mix
        self._scripted: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = Counter()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, port: int = 0) -> "FakeAPI":
        """Listen on 127.0.0.1:*port* (0 = any free port) in a daemon thread."""
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.app = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def restart(self, down_s: float = 0.3) -> None:
        """Close the port for *down_s* seconds, then serve again on the same port with the same
        state (a provider restart: clients see refused connections meanwhile)."""
        port = self.port
        self._server.shutdown()
        self._server.server_close()
        self.down.set()
        time.sleep(down_s)
        self.start(port)
        self.down.clear()

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give the SDK as ``base_url``."""
        return self.root_url + self.base_path

    # -- knobs -------------------------------------------------------------------------------
    def fail_next(self, kind: str, n: int = 1) -> None:
        """Inject failure *kind* into the next *n* requests on ``failure_paths``."""
        if kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; one of {FAILURE_KINDS}")
        with self._lock:
            self._scripted.extend([kind] * n)

    def counts(self) -> Counter:
        """Counter of ``status`` codes and injected failure kinds over the log."""
        c: Counter = Counter()
        with self._lock:
            for e in self.log:
                c[e.status] += 1
                if e.failure:
                    c[e.failure] += 1
        return c

    def requests_to(self, path_suffix: str, method: str | None = None) -> list[LogEntry]:
        """Log entries whose path ends with *path_suffix* (and *method*)."""
        with self._lock:
            return [e for e in self.log if e.path.endswith(path_suffix) and (method is None or e.method == method)]

    def new_id(self, prefix: str) -> str:
        with self._lock:
            self._ids[prefix] += 1
            return f"{prefix}{self._ids[prefix]:06d}{self._rng.getrandbits(32):08x}"

    # -- request flow ------------------------------------------------------------------------
    def mix_failures(self, mix: dict[str, float], seed: int | None = None) -> None:
        """Set ``failure_mix`` while the server runs; with *seed*, restart its draws from that seed
        (a test that needs both kinds in its first few requests picks a seed that gives them)."""
        with self._lock:
            self.failure_mix = dict(mix)
            if seed is not None:
                self._failure_rng = random.Random(seed)

    def _pick_failure(self, req: Request) -> str | None:
        if not any(req.path.startswith(self.base_path + p) for p in self.failure_paths):
            return None
        with self._lock:
            if self._scripted:
                return self._scripted.pop(0)
            if self.failure_mix:
                x = self._failure_rng.random()
                for kind, p in self.failure_mix.items():
                    if x < p:
                        return kind
                    x -= p
        return None

    def wait(self, seconds: float) -> None:
        """Sleep that ends early when the server stops."""
        if seconds > 0:
            self._stop.wait(seconds)

    def _handle(self, handler: _Handler, req: Request) -> None:
        entry = LogEntry(req.method, req.path, 0, None, req.headers, req.json, req.t, 0.0)  # status 0 = in flight
        with self._lock:
            self._active += 1
            self.max_concurrent = max(self.max_concurrent, self._active)
            self.log.append(entry)
        failure = None
        try:
            auth_reply = self.check_auth(req)
            if auth_reply is not None:
                reply = auth_reply
            else:
                failure = entry.failure = self._pick_failure(req)
                reply = self.failure_reply(req, failure) if failure and failure != "malformed" else None
                if reply is None:
                    reply = self.route(req, malformed=(failure == "malformed"))
                if any(req.path.startswith(self.base_path + p) for p in self.failure_paths):
                    # latency_s is the server-side time to answer, including the fake's own work
                    self.wait(self.latency_s - (time.monotonic() - req.t))
            if reply.hang_s:
                entry.status = reply.status = 408  # logged as a client-side timeout
                self.wait(reply.hang_s)
            entry.status = reply.status  # logged before the client can see the reply (no race in tests)
            handler.send_reply(reply)
        except Exception as exc:  # a bug in the fake must show up as a 500 + violation, not a hang
            self.record_violation(req, f"fake crashed: {type(exc).__name__}: {exc}")
            handler.send_reply(Reply(500, self.error_body(500, "api_error", f"fake crashed: {exc}")))
            reply = Reply(500)
        finally:
            with self._lock:
                self._active -= 1
        entry.status, entry.t_end = reply.status, time.monotonic()

    def failure_reply(self, req: Request, kind: str) -> Reply:
        if kind == "429":
            return Reply(429, self.error_body(429, "rate_limit", "Rate limit reached (fake)."),
                         headers={"Retry-After": f"{self.retry_after_s:g}"})
        if kind == "quota":
            return Reply(429, self.error_body(429, "insufficient_quota", "You exceeded your current quota (fake)."))
        if kind in ("500", "529"):
            status = int(kind)
            return Reply(status, self.error_body(status, "server", "The server had an error (fake)."))
        if kind == "timeout":
            return Reply(200, {"late": True}, hang_s=self.hang_s)
        if kind == "disconnect":
            return Reply(200, self.route(req, malformed=False).body, drop=True)
        raise ValueError(kind)

    def record_violation(self, req: Request, message: str) -> None:
        with self._lock:
            self.violations.append({"method": req.method, "path": req.path, "error": message})

    # -- to implement ------------------------------------------------------------------------
    def check_auth(self, req: Request) -> Reply | None:
        """``None`` if the request may proceed, else the error reply."""
        raise NotImplementedError

    def route(self, req: Request, malformed: bool = False) -> Reply:
        raise NotImplementedError

    def error_body(self, status: int, kind: str, message: str) -> dict:
        raise NotImplementedError


def bearer_or_key(headers: dict[str, str]) -> str | None:
    """The API key from ``Authorization: Bearer`` or ``x-api-key``."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return headers.get("x-api-key") or None


def fake_mask(key: str) -> str:
    """How OpenAI echoes a wrong key in its 401 message (``sk-test-*****3456``)."""
    return key[:8] + "*" * 5 + key[-4:] if len(key) > 12 else "*" * len(key)


Responder = Callable[[dict], "str | dict"]
