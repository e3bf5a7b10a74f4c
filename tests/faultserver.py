"""A loopback server that injects infrastructure faults, one request at a time, in both wire formats.

Built on `tests/fakeserver.py`: a `Fault` is a `Reply`, so it is queued or scripted exactly like an
answer, and everything that is not a fault is answered by the fake server as before. Each fault is
one precise way a real endpoint fails — an HTTP error, a hang, a drip, a reset, a body that is not what
was asked for — rendered for whichever wire format (OpenAI Chat Completions or Anthropic Messages,
streamed or not) the SDK called. `FAULTS` says which faults apply to which format and which error
kind evalkit must turn each into.

`plan(fn)` decides per request from (the prompt, how many times this prompt was asked before), so a
test can make a fault transient (first attempt only) or persistent, or draw faults from a seeded
random stream that does not depend on the order concurrent requests arrive in.

`python -m tests.faultserver serve MODEL --port P` runs it as a stand-in for `vllm serve` that, like a
careless server, logs every request's credentials (for the canary test of the kept server log).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import socket
import struct
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakeserver import (
    FakeLLMServer,
    Reply,
    anthropic_events,
    anthropic_message,
    openai_chunks,
    openai_completion,
)

ECHO = "{credential}"
"""In a healthy `Reply`'s text: replaced by the credential the request carried."""

WRONG = "other"
"""The text any fault that carries text answers with: a valid label but the wrong one, so a fault that
slipped through to scoring would show as a wrong answer instead of hiding as a right one."""


@dataclass(frozen=True)
class FaultSpec:
    kind: str
    """The CallError kind evalkit must classify it as (all of them retryable)."""
    openai: bool = True
    anthropic: bool = True
    stream: bool = True
    plain: bool = True
    """Applies to non-streamed requests."""
    needs_deadline: bool = False
    """Only the per-attempt deadline (the engine's) catches it; a bare provider call would wait it out."""


FAULTS: dict[str, FaultSpec] = {
    "http-429": FaultSpec("rate_limit"),
    "http-429-no-retry-after": FaultSpec("rate_limit"),
    "http-500": FaultSpec("server"),
    "http-502": FaultSpec("server"),
    "http-503": FaultSpec("server"),
    "http-529": FaultSpec("server"),
    "hang": FaultSpec("timeout"),
    "drip": FaultSpec("timeout", needs_deadline=True),
    "reset": FaultSpec("connection"),
    "malformed-json": FaultSpec("malformed"),
    "truncated-json": FaultSpec("malformed", stream=False),
    "short-body": FaultSpec("connection", stream=False),
    "cut-stream": FaultSpec("malformed", plain=False),
    "empty-choices": FaultSpec("malformed", anthropic=False, stream=False),
    "null-message": FaultSpec("malformed"),
    "wrong-content-type": FaultSpec("malformed"),
    "negative-usage": FaultSpec("malformed"),
}


def faults_for(wire: str, stream: bool, *, deadline: bool = True) -> list[str]:
    """The fault names that apply to a wire format ("openai" or "anthropic"), streamed or not."""
    return [
        name
        for name, spec in FAULTS.items()
        if getattr(spec, wire)
        and (spec.stream if stream else spec.plain)
        and (deadline or not spec.needs_deadline)
    ]


@dataclass
class Fault(Reply):
    fault: str = ""
    """A name from FAULTS."""
    echo_key: bool = False
    """Error bodies repeat the credential the request carried (as some providers do)."""


Plan = Callable[[str, int], Reply]
"""(prompt, how many requests for this prompt came before) -> what to answer."""


def prompt_of(body: dict[str, Any]) -> str:
    """The last user turn's text, in either wire format: what tells one case from another."""
    content = (body.get("messages") or [{}])[-1].get("content", "")
    if isinstance(content, list):
        return "".join(str(block.get("text", "")) for block in content if isinstance(block, dict))
    return str(content)


def credential(h: BaseHTTPRequestHandler) -> str:
    return h.headers.get("authorization") or h.headers.get("x-api-key") or ""


class FaultServer(FakeLLMServer):
    def __init__(self, port: int = 0, *, hang_s: float = 5.0, drip_interval_s: float = 0.15) -> None:
        super().__init__(port)
        self.hang_s = hang_s
        self.drip_interval_s = drip_interval_s
        self.stopping = threading.Event()
        """Set on stop: hangs and drips end at once instead of holding a handler thread."""
        self.asked: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.log_credentials = False
        """Write each request's credential to stderr, as a careless server's log would."""

    def plan(self, fn: Plan) -> None:
        def script(path: str, body: dict[str, Any]) -> Reply:
            key = prompt_of(body)
            n = self.asked[key]
            self.asked[key] += 1  # under the server's lock: requests are counted in arrival order
            reply = fn(key, n)
            if isinstance(reply, Fault):
                self.injected[reply.fault] += 1
            return reply

        self.script(script)

    def stop(self) -> None:
        self.stopping.set()
        super().stop()

    # --- rendering ----------------------------------------------------------------------------
    def _answer(self, h: BaseHTTPRequestHandler, reply: Reply, body: dict[str, Any], n: int) -> None:
        if self.log_credentials:
            sys.stderr.write(f"{h.command} {h.path} credential={credential(h)!r}\n")
            sys.stderr.flush()
        if not isinstance(reply, Fault):
            if ECHO in reply.text:  # a server that puts the credential into a 200 answer
                reply = dataclasses.replace(reply, text=reply.text.replace(ECHO, credential(h)))
            super()._answer(h, reply, body, n)
            return
        anthropic = h.path.endswith("/messages")
        streamed = bool(body.get("stream"))
        name = reply.fault
        if name.startswith("http-"):
            self._status(h, reply, anthropic)
        elif name == "hang":
            self.stopping.wait(self.hang_s)
            self._reset(h)
        elif name == "reset":
            self._reset(h)
        elif name == "drip":
            self._drip(h, self._healthy(reply, body, n, anthropic, streamed), streamed)
        elif name == "malformed-json":
            self._raw(h, 200, b"data: {this is not json\n\n" if streamed else b"{this is not json", streamed)
        elif name == "truncated-json":
            whole = self._healthy(reply, body, n, anthropic, streamed)
            self._raw(h, 200, whole[: len(whole) // 2], streamed)
        elif name == "short-body":
            whole = self._healthy(reply, body, n, anthropic, streamed)
            self._raw(h, 200, whole[: len(whole) // 2], streamed, length=len(whole))
            self._reset(h)
        elif name == "cut-stream":
            self._raw(h, 200, self._cut_stream(reply, body, n, anthropic), True)
            self._reset(h)
        elif name == "empty-choices":
            self._raw(h, 200, json.dumps({**self._completion(reply, body, n), "choices": []}).encode(), False)
        elif name == "null-message":
            self._raw(h, 200, self._null_message(reply, body, n, anthropic, streamed), streamed)
        elif name == "wrong-content-type":
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            self._raw(h, 200, page, streamed, content_type="text/html")
        elif name == "negative-usage":
            bad = Reply(text=reply.text or WRONG, input_tokens=-5, output_tokens=-3)
            super()._answer(h, bad, body, n)
        else:
            raise ValueError(f"unknown fault {name!r}")

    def _status(self, h: BaseHTTPRequestHandler, reply: Fault, anthropic: bool) -> None:
        status = int(reply.fault.split("-")[1])
        echo = f" (key {credential(h)})" if reply.echo_key else ""
        message = f"injected HTTP {status}{echo}"
        err: dict[str, Any] = (
            {"type": "error", "error": {"type": "api_error", "message": message}}
            if anthropic
            else {"error": {"type": "server_error", "message": message}}
        )
        headers = {"retry-after-ms": "20"} if reply.fault == "http-429" else {}
        self._json(h, status, err, headers)

    @staticmethod
    def _reset(h: BaseHTTPRequestHandler) -> None:
        """Close with a TCP reset (SO_LINGER 0), as a crashed proxy does, not a polite FIN."""
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        except OSError:
            pass

    @staticmethod
    def _raw(
        h: BaseHTTPRequestHandler,
        status: int,
        data: bytes,
        streamed: bool,
        *,
        content_type: str | None = None,
        length: int | None = None,
    ) -> None:
        h.send_response(status)
        h.send_header("content-type", content_type or ("text/event-stream" if streamed else "application/json"))
        h.send_header("content-length", str(len(data) if length is None else length))
        h.send_header("x-request-id", "req_fault")
        h.send_header("connection", "close")  # else the client pools a connection this server drops
        h.end_headers()
        try:
            h.wfile.write(data)
            h.wfile.flush()
        except OSError:
            pass
        h.close_connection = True

    def _drip(self, h: BaseHTTPRequestHandler, data: bytes, streamed: bool) -> None:
        """A whole, valid answer — one byte every `drip_interval_s`. No single read ever waits long, so
        only a deadline on the whole attempt stops it."""
        h.send_response(200)
        h.send_header("content-type", "text/event-stream" if streamed else "application/json")
        h.send_header("content-length", str(len(data)))
        h.send_header("connection", "close")
        h.end_headers()
        h.close_connection = True
        try:
            h.wfile.flush()
            for i in range(len(data)):
                if self.stopping.wait(self.drip_interval_s):
                    return
                h.wfile.write(data[i : i + 1])
                h.wfile.flush()
        except OSError:  # the client gave up: what the deadline is for
            return

    def _completion(self, reply: Reply, body: dict[str, Any], n: int) -> dict[str, Any]:
        return openai_completion(Reply(text=reply.text or WRONG), body.get("model", "fake-model"), n)

    def _healthy(self, reply: Reply, body: dict[str, Any], n: int, anthropic: bool, streamed: bool) -> bytes:
        """What a healthy answer's body would have been (with the wrong label: it must never count)."""
        r = Reply(text=reply.text or WRONG)
        model = body.get("model", "fake-model")
        if streamed:
            events = anthropic_events(r, model, n) if anthropic else openai_chunks(r, model, n, True)
            return "".join(events).encode()
        return json.dumps(anthropic_message(r, model, n) if anthropic else openai_completion(r, model, n)).encode()

    def _cut_stream(self, reply: Reply, body: dict[str, Any], n: int, anthropic: bool) -> bytes:
        """The first events of a healthy stream: text arrives, then the connection drops before the
        finish reason (OpenAI: finish chunk, usage, [DONE]; Anthropic: message_delta, message_stop)."""
        r = Reply(text=reply.text or WRONG)
        model = body.get("model", "fake-model")
        if anthropic:
            events = anthropic_events(r, model, n)
            kept = [e for e in events if not e.startswith(("event: message_delta", "event: message_stop"))]
            kept = [e for e in kept if not e.startswith("event: content_block_stop")]
        else:
            kept = openai_chunks(r, model, n, True)[:-3]
        return "".join(kept).encode()

    def _null_message(self, reply: Reply, body: dict[str, Any], n: int, anthropic: bool, streamed: bool) -> bytes:
        r = Reply(text=reply.text or WRONG)
        model = body.get("model", "fake-model")
        if anthropic and not streamed:
            return json.dumps({**anthropic_message(r, model, n), "content": None}).encode()
        if anthropic:  # a content block whose delta is null
            events = anthropic_events(r, model, n)
            broken = json.dumps({"type": "content_block_delta", "index": 0, "delta": None})
            at = next(i for i, e in enumerate(events) if e.startswith("event: content_block_delta"))
            return "".join([*events[:at], f"event: content_block_delta\ndata: {broken}\n\n", *events[at:]]).encode()
        if not streamed:
            completion = openai_completion(r, model, n)
            completion["choices"][0]["message"] = None
            return json.dumps(completion).encode()
        chunks = openai_chunks(r, model, n, True)
        broken = {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": None, "finish_reason": None}],
        }
        return "".join([chunks[0], f"data: {json.dumps(broken)}\n\n", *chunks[1:]]).encode()


def main(argv: list[str] | None = None) -> int:
    """A stand-in for `vllm serve MODEL --port P`: healthy answers, a request log that shows each
    request's credential on stderr (the launcher keeps it as the run's server log). Runs until
    signalled."""
    parser = argparse.ArgumentParser(prog="fault-vllm")
    parser.add_argument("words", nargs="*", help="serve MODEL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--served-model-name")
    args, _ = parser.parse_known_args(argv)
    model = args.words[-1] if args.words else "fake-model"
    server = FaultServer(port=args.port)
    server.log_requests = True
    server.log_credentials = True
    server.models = [{"id": args.served_model_name or model, "root": model}]
    server.health = 200
    server.script(lambda path, body: Reply(text="refund"))
    print(f"fault vllm: serving {model} on {args.host}:{args.port}", flush=True)
    server.httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
