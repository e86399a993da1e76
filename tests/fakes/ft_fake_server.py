"""Run a fine-tuning fake as its own process — for tests that kill the app (kill -9) and need the
provider to live on, keeping its jobs::

    PYTHONPATH=tests python -m fakes.ft_fake_server --provider openai --api-key sk-test-1 --step-s 0.2

It prints one JSON line ``{"provider", "base_url", "pid"}`` on stdout, then serves until SIGTERM
or SIGKILL. With ``--stdin-controls`` a line ``finish`` on stdin jumps every live job to its end
(``finish_all`` of the in-process fakes, OpenAI only) and prints ``{"finished": N}``: a test that
has seen what it waits for need not sit through the rest of the simulated training. Ask it what
exists through the provider's own API (e.g. OpenAI ``GET /v1/fine_tuning/jobs``): a test
asserting "no second job" lists the jobs there.
``--provider together|fireworks`` runs those fakes (``base_url`` is the host root for their SDKs;
Fireworks uses account ``--account-id``, default ``fake-acct``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .ft_sim import Timing


def build(provider: str, **kw):
    """A started fake of *provider* (``openai``, ``together``, ``fireworks``)."""
    if provider == "openai":
        from .openai_ft_fake import OpenAIFineTuneFake as cls
    elif provider == "together":
        from .together_fake import TogetherFake as cls
    elif provider == "fireworks":
        from .fireworks_fake import FireworksFake as cls
    else:
        raise ValueError(f"provider: {provider!r}")
    return cls(**kw)


def serve_commands(fake, stdin) -> None:
    """Read test controls from *stdin* until it closes (see the module docstring)."""
    for line in stdin:
        if line.strip() == "finish":
            fake.finish_all()
            print(json.dumps({"finished": len(fake.jobs)}), flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="FineFlow fine-tuning API fake (loopback)")
    p.add_argument("--provider", choices=["openai", "together", "fireworks"], default="openai")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--api-key", default=None, help="the only key accepted (default: any)")
    p.add_argument("--account-id", default="fake-acct", help="Fireworks account id")
    p.add_argument("--validate-s", type=float, default=0.5)
    p.add_argument("--queue-s", type=float, default=0.5)
    p.add_argument("--step-s", type=float, default=0.2, help="seconds per training step")
    p.add_argument("--latency-s", type=float, default=0.0)
    p.add_argument("--stdin-controls", action="store_true", help="read test controls from stdin (module docstring)")
    a = p.parse_args(argv)
    kw = {"api_key": a.api_key, "latency_s": a.latency_s, "timing": Timing(a.validate_s, a.queue_s, a.step_s)}
    if a.provider == "fireworks":
        kw["account_id"] = a.account_id
    fake = build(a.provider, **kw)
    fake.start(a.port)
    print(json.dumps({"provider": a.provider, "base_url": fake.base_url, "pid": os.getpid()}), flush=True)
    stop = threading.Event()
    if a.stdin_controls:
        threading.Thread(target=serve_commands, args=(fake, sys.stdin), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
