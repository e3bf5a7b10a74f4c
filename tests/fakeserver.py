"""A loopback HTTP server that speaks the OpenAI Chat Completions and Anthropic Messages wire formats.

Tests script it with `Reply` objects (answers, tool calls, usage) and faults (HTTP errors with
Retry-After, hangs, connection resets, malformed bodies). The same `Reply` renders as either wire
format, streamed or not, depending on which endpoint the SDK called and whether it asked to stream,
so the real SDKs are exercised end to end over real sockets.

vLLM's side routes are opt-in, so a test that does not set them sees the plain OpenAI server it always
saw: `health` (GET /health), `server_info` (GET /server_info) and `tokenize` (POST /tokenize) answer
only when set, else 404. `python -m tests.fakeserver serve MODEL --port P ...` runs it as a stand-in
for `vllm serve` (see `main`), to test the launch path without vLLM.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    """(name, arguments); a str is sent verbatim as the raw arguments (e.g. broken JSON)."""
    finish: str | None = None
    """Wire finish reason; default: tool_calls/tool_use when there are calls, else stop/end_turn."""
    input_tokens: int = 11
    output_tokens: int = 7
    cached_tokens: int = 0
    model: str | None = None
    fingerprint: str | None = "fp_test"
    status: int = 200
    error_body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    reset: bool = False
    """Close the connection without answering."""
    malformed: bool = False
    """Answer 200 with a body that is not JSON."""


Script = Callable[[str, dict[str, Any]], Reply]


@dataclass
class Received:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]


class FakeLLMServer:
    def __init__(self, port: int = 0) -> None:
        self.received: list[Received] = []
        self._queue: list[Reply] = []
        self._script: Script | None = None
        self._lock = threading.Lock()
        self._counter = 0
        self.models: list[dict[str, Any]] = [{"id": "fake-model"}]
        """What `/models` lists; extra keys (vLLM's `root`, `max_model_len`) are served as given."""
        self.health: int | None = None
        """Status of GET /health; None: no such route (404)."""
        self.server_info: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
        """Body of GET /server_info (a callable is asked on every request); None: 404."""
        self.tokenize: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None = None
        """Body of POST /tokenize (a callable gets the request body); None: 404."""
        self.log_requests = False
        """Write one line per request to stderr (the stand-in `vllm serve` does, for its log)."""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                if outer.log_requests:
                    sys.stderr.write(f"{format % args}\n")
                    sys.stderr.flush()

            def do_GET(self) -> None:
                route = urlsplit(self.path).path
                if route == "/health" and outer.health is not None:
                    outer._json(self, outer.health, {})
                elif route == "/server_info" and outer.server_info is not None:
                    info = outer.server_info
                    outer._json(self, 200, info() if callable(info) else info)
                elif self.path.endswith("/models"):
                    outer._json(
                        self,
                        200,
                        {
                            "object": "list",
                            "data": [
                                {
                                    "object": "model",
                                    "created": 0,
                                    "owned_by": "tests",
                                    "type": "model",
                                    "display_name": "Fake",
                                    "created_at": "2026-01-01T00:00:00Z",
                                    **m,
                                }
                                for m in outer.models
                            ],
                        },
                    )
                elif self.path.endswith("/version"):
                    outer._json(self, 200, {"version": "0.0.0-fake"})
                else:
                    outer._json(self, 404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {
                    k.lower(): v for k, v in self.headers.items() if k.lower() not in ("authorization", "x-api-key")
                }
                with outer._lock:
                    outer.received.append(Received(self.path, body, headers))
                    if self.path.endswith("/tokenize"):  # never a chat answer, never takes a queued reply
                        tok = outer.tokenize
                        if tok is None:
                            outer._json(self, 404, {"error": {"message": "not found"}})
                        else:
                            outer._json(self, 200, tok(body) if callable(tok) else tok)
                        return
                    reply = outer._next(self.path, body)
                    outer._counter += 1
                    n = outer._counter
                outer._answer(self, reply, body, n)

        ThreadingHTTPServer.request_queue_size = 256  # benchmarks open many connections at once
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- scripting ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def script(self, fn: Script) -> None:
        self._script = fn

    def calls(self, path_suffix: str = "") -> list[Received]:
        return [r for r in self.received if r.path.endswith(path_suffix)]

    def _next(self, path: str, body: dict[str, Any]) -> Reply:
        if self._queue:
            return self._queue.pop(0)
        if self._script is not None:
            return self._script(path, body)
        return Reply(text="ok")

    def start(self) -> FakeLLMServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- rendering ----------------------------------------------------------------------------
    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        h.send_header("x-request-id", "req_fake")
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _answer(self, h: BaseHTTPRequestHandler, reply: Reply, body: dict[str, Any], n: int) -> None:
        if reply.delay_s:
            time.sleep(reply.delay_s)
        if reply.reset:
            h.close_connection = True
            h.connection.close()
            return
        if reply.status != 200:
            err = reply.error_body or {"error": {"type": "error", "message": f"scripted HTTP {reply.status}"}}
            if h.path.endswith("/messages"):
                err = reply.error_body or {
                    "type": "error",
                    "error": {"type": "api_error", "message": f"scripted HTTP {reply.status}"},
                }
            self._json(h, reply.status, err, reply.headers)
            return
        if reply.malformed:
            data = b"{this is not json"
            h.send_response(200)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
            return
        anthropic = h.path.endswith("/messages")
        model = reply.model or body.get("model", "fake-model")
        if body.get("stream"):
            events = (
                anthropic_events(reply, model, n)
                if anthropic
                else openai_chunks(reply, model, n, bool(body.get("stream_options", {}).get("include_usage")))
            )
            h.send_response(200)
            h.send_header("content-type", "text/event-stream")
            h.send_header("x-request-id", "req_fake_stream")
            h.send_header("connection", "close")
            h.end_headers()
            for event in events:
                h.wfile.write(event.encode())
                h.wfile.flush()
            h.close_connection = True
            return
        obj = anthropic_message(reply, model, n) if anthropic else openai_completion(reply, model, n)
        self._json(h, 200, obj, reply.headers)


def _args_str(args: dict[str, Any] | str) -> str:
    return args if isinstance(args, str) else json.dumps(args)


def openai_completion(r: Reply, model: str, n: int) -> dict[str, Any]:
    finish = r.finish or ("tool_calls" if r.tool_calls else "stop")
    message: dict[str, Any] = {"role": "assistant", "content": r.text or None}
    if r.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{n}_{i}", "type": "function", "function": {"name": name, "arguments": _args_str(a)}}
            for i, (name, a) in enumerate(r.tool_calls)
        ]
    return {
        "id": f"chatcmpl-{n}",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "system_fingerprint": r.fingerprint,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": r.input_tokens,
            "completion_tokens": r.output_tokens,
            "total_tokens": r.input_tokens + r.output_tokens,
            "prompt_tokens_details": {"cached_tokens": r.cached_tokens},
        },
    }


def _sse(obj: Any, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(obj)}\n\n"


def openai_chunks(r: Reply, model: str, n: int, include_usage: bool) -> list[str]:
    base = {
        "id": f"chatcmpl-{n}",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "system_fingerprint": r.fingerprint,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        return _sse({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]})

    out = [chunk({"role": "assistant", "content": ""})]
    text = r.text
    for piece in [text[i : i + 4] for i in range(0, len(text), 4)]:
        out.append(chunk({"content": piece}))
    for i, (name, a) in enumerate(r.tool_calls):
        raw = _args_str(a)
        half = len(raw) // 2
        out.append(
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": f"call_{n}_{i}",
                            "type": "function",
                            "function": {"name": name, "arguments": raw[:half]},
                        }
                    ]
                }
            )
        )
        out.append(chunk({"tool_calls": [{"index": i, "function": {"arguments": raw[half:]}}]}))
    out.append(chunk({}, r.finish or ("tool_calls" if r.tool_calls else "stop")))
    if include_usage:
        out.append(
            _sse(
                {
                    **base,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": r.input_tokens,
                        "completion_tokens": r.output_tokens,
                        "total_tokens": r.input_tokens + r.output_tokens,
                        "prompt_tokens_details": {"cached_tokens": r.cached_tokens},
                    },
                }
            )
        )
    out.append("data: [DONE]\n\n")
    return out


def _anthropic_blocks(r: Reply, n: int) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if r.text:
        blocks.append({"type": "text", "text": r.text})
    for i, (name, a) in enumerate(r.tool_calls):
        blocks.append(
            {"type": "tool_use", "id": f"toolu_{n}_{i}", "name": name, "input": a if isinstance(a, dict) else {}}
        )
    return blocks


def anthropic_message(r: Reply, model: str, n: int) -> dict[str, Any]:
    return {
        "id": f"msg_{n}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": _anthropic_blocks(r, n),
        "stop_reason": r.finish or ("tool_use" if r.tool_calls else "end_turn"),
        "stop_sequence": None,
        "usage": {
            "input_tokens": r.input_tokens - r.cached_tokens,
            "output_tokens": r.output_tokens,
            "cache_read_input_tokens": r.cached_tokens,
            "cache_creation_input_tokens": 0,
        },
    }


def anthropic_events(r: Reply, model: str, n: int) -> list[str]:
    msg = anthropic_message(r, model, n)
    start = {**msg, "content": [], "stop_reason": None, "usage": {**msg["usage"], "output_tokens": 1}}
    out = [_sse({"type": "message_start", "message": start}, "message_start")]
    for i, block in enumerate(msg["content"]):
        if block["type"] == "text":
            out.append(
                _sse(
                    {"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}},
                    "content_block_start",
                )
            )
            text = block["text"]
            for piece in [text[j : j + 4] for j in range(0, len(text), 4)]:
                out.append(
                    _sse(
                        {"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": piece}},
                        "content_block_delta",
                    )
                )
        else:
            out.append(
                _sse(
                    {"type": "content_block_start", "index": i, "content_block": {**block, "input": {}}},
                    "content_block_start",
                )
            )
            raw = json.dumps(block["input"])
            half = len(raw) // 2
            for part in (raw[:half], raw[half:]):
                out.append(
                    _sse(
                        {
                            "type": "content_block_delta",
                            "index": i,
                            "delta": {"type": "input_json_delta", "partial_json": part},
                        },
                        "content_block_delta",
                    )
                )
        out.append(_sse({"type": "content_block_stop", "index": i}, "content_block_stop"))
    out.append(
        _sse(
            {
                "type": "message_delta",
                "delta": {"stop_reason": msg["stop_reason"], "stop_sequence": None},
                "usage": {"output_tokens": r.output_tokens},
            },
            "message_delta",
        )
    )
    out.append(_sse({"type": "message_stop"}, "message_stop"))
    return out


def main(argv: list[str] | None = None) -> int:
    """A stand-in for `vllm serve MODEL --host H --port P --served-model-name N [...]`.

    Serves the model list (root = MODEL), /version, /tokenize and /server_info like vLLM (the latter
    with a random `instance_id`, as vLLM's config has), logs every request to stderr, and answers
    /health with 503 until `FAKESERVER_HEALTH_AFTER_S` seconds (default 0) have passed while
    /v1/models answers at once: only a launcher that waits for /health waits long enough. Runs until
    it is signalled.
    """
    parser = argparse.ArgumentParser(prog="fake-vllm")
    parser.add_argument("words", nargs="*", help="serve MODEL")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--served-model-name")
    args, rest = parser.parse_known_args(argv)
    model = args.words[-1] if args.words else "fake-model"
    name = args.served_model_name or model
    server = FakeLLMServer(port=args.port)
    server.log_requests = True
    server.models = [{"id": name, "root": model, "max_model_len": 4096}]
    server.server_info = lambda: {
        "vllm_config": {"model_config": {"model": model, "max_model_len": 4096}, "instance_id": uuid.uuid4().hex[:5]},
        "vllm_env": {"VLLM_PORT": args.port},
    }
    server.tokenize = lambda body: {"count": 3, "max_model_len": 4096, "tokens": [1, len(json.dumps(body)), 2]}
    server.health = 503
    ready_after = float(os.environ.get("FAKESERVER_HEALTH_AFTER_S", "0"))
    print(f"fake vllm: serving {model} as {name} on {args.host}:{args.port}; other arguments {rest}", flush=True)

    def ready() -> None:
        time.sleep(ready_after)
        server.health = 200
        print("fake vllm: engine ready, /health is 200", flush=True)

    threading.Thread(target=ready, daemon=True).start()
    server.httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
