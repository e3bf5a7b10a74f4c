"""A minimal OpenAI-compatible stub server for benchmarks, run as its own process.

Why not tests/fakeserver.py: that server records every request and serves each one on a thread, which
is right for tests and wrong for a benchmark (its own cost and memory would be measured). This one is
stdlib asyncio, keep-alive HTTP/1.1, no per-request state: the harness being measured is the only
thing that does work per call. It must run in a separate process so its CPU is not billed to the
client under test (on a 2-core machine it still competes for a core; both sides of a comparison run
against the same server, side by side).

Answers:
- GET  .../models            -> one model, `fake-model`
- GET  /stats                -> `{"completions": N}`: chat completions answered so far (the scale
  benchmark checks that a resumed run calls nothing that was already answered)
- POST .../chat/completions  -> a completion after `--delay` seconds: a tool call of the request's
  first tool (arguments `{}`) when the request offers tools, `{}` when it asks for a JSON schema,
  else the text given by `--text` (default `refund`).

Run: `python benchmarks/stubserver.py --port 0 [--delay 0.2]`; it prints `port N` on stdout once
listening, and serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys

_MODELS = json.dumps(
    {"object": "list", "data": [{"id": "fake-model", "object": "model", "created": 0, "owned_by": "bench"}]}
).encode()


def _completion(message: dict[str, object], finish: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 0,
            "model": "fake-model",
            "system_fingerprint": "fp_bench",
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
    ).encode()


def _answer(body: bytes, text: bytes) -> bytes:
    # A cheap sniff rather than a full JSON parse of every request: the server must stay out of the way.
    if b'"tools"' in body:
        req = json.loads(body)
        name = req["tools"][0]["function"]["name"]
        call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": "{}"}}
        return _completion({"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls")
    if b'"response_format"' in body:
        return _completion({"role": "assistant", "content": "{}"}, "stop")
    return text


_served = {"completions": 0}


class _Http(asyncio.Protocol):
    def __init__(self, delay: float, text: bytes) -> None:
        self.delay = delay
        self.text = text
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4 : end + 4 + length]
            self.buf = self.buf[end + 4 + length :]
            method, path = head.split(" ", 2)[:2]
            if method == "GET" and path.endswith("/models"):
                self._send(200, _MODELS, 0.0)
            elif method == "GET" and path == "/stats":
                self._send(200, json.dumps(_served).encode(), 0.0)
            elif method == "POST" and path.endswith("/chat/completions"):
                _served["completions"] += 1
                self._send(200, _answer(body, self.text), self.delay)
            else:
                self._send(404, b'{"error": {"message": "not found"}}', 0.0)

    def _send(self, status: int, payload: bytes, delay: float) -> None:
        reason = b"OK" if status == 200 else b"Not Found"
        head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % (
            status,
            reason,
            len(payload),
        )
        if delay:
            asyncio.get_running_loop().call_later(delay, self._write, head + payload)
        else:
            self._write(head + payload)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


async def serve(port: int, delay: float, text: str) -> None:
    answer = _completion({"role": "assistant", "content": text}, "stop")
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Http(delay, answer), "127.0.0.1", port, backlog=1024)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each completion is sent")
    parser.add_argument("--text", default="refund", help="the answer to plain chat requests")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.delay, args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
