"""The loopback fake server plus the providers' batch APIs: OpenAI Files + Batches, Anthropic Message Batches.

`BatchLLMServer` is a `FakeLLMServer` (it still answers live chat and messages calls, streamed or not)
whose batch endpoints answer every batched request with the very same scripting (`enqueue`, `script`,
`Reply`) and rendering (`openai_completion`, `anthropic_message`) as a live call, so a suite run in batch
mode and live against one server must store the same answers. A batch ends after `polls_to_end`
retrieves (never while `hold` is set); `fate(custom_id, body)` can make a request `expired`, `canceled`
or `missing` (the batch ends without a line for it); a `Reply` with an error status makes it errored.
The real SDKs talk to it over real HTTP, unmodified: files are multipart uploads, results are JSONL.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.fakeserver import FakeLLMServer, anthropic_message, openai_completion

Fate = Callable[[str, dict[str, Any]], str | None]


@dataclass
class FakeBatch:
    id: str
    provider: str
    """"openai" or "anthropic"."""
    requests: list[tuple[str, dict[str, Any]]]
    """(custom_id, request body) as submitted."""
    created_at: float
    input_file_id: str | None = None
    polls: int = 0
    ended: bool = False
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    """custom_id -> the rendered outcome: {"status", "body"} or {"fate"}."""
    output_file_id: str | None = None
    error_file_id: str | None = None
    failed: str | None = None
    """OpenAI only: the batch ended `failed` (validation) with this message and no files."""


class BatchLLMServer(FakeLLMServer):
    def __init__(self, port: int = 0) -> None:
        super().__init__(port)
        self.polls_to_end = 2
        self.hold = False
        """While True, no batch ends (a test kills the client meanwhile)."""
        self.fate: Fate | None = None
        self.fail_validation: str | None = None
        """OpenAI: batches created while set end `failed` with this message (no output at all)."""
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, FakeBatch] = {}
        self.created: list[str] = []
        """Batch ids in the order they were created: a second submission shows here."""
        self._ids = 0
        self._batch_lock = threading.Lock()
        outer = self
        live = self.httpd.RequestHandlerClass

        class Handler(live):  # type: ignore[valid-type, misc]
            def do_GET(self) -> None:
                if not outer._get(self):
                    super().do_GET()

            def do_POST(self) -> None:
                if not outer._post(self):
                    super().do_POST()

        self.httpd.RequestHandlerClass = Handler

    # --- what tests read --------------------------------------------------------------------------
    def batch_custom_ids(self, batch_id: str) -> list[str]:
        return [cid for cid, _ in self.batches[batch_id].requests]

    def _new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids:04d}"

    # --- routing ----------------------------------------------------------------------------------
    def _get(self, h: BaseHTTPRequestHandler) -> bool:
        route = urlsplit(h.path).path
        parts = route.strip("/").split("/")
        with self._batch_lock:
            if route == "/v1/batches":
                self._json(h, 200, self._page([self._openai_batch(b) for b in self._newest("openai")]))
            elif len(parts) == 3 and parts[:2] == ["v1", "batches"] and parts[2] in self.batches:
                self._json(h, 200, self._openai_batch(self._poll(self.batches[parts[2]])))
            elif len(parts) == 4 and parts[:2] == ["v1", "files"] and parts[3] == "content" and parts[2] in self.files:
                self._bytes(h, self.files[parts[2]])
            elif route == "/v1/messages/batches":
                self._json(h, 200, self._page([self._anthropic_batch(b) for b in self._newest("anthropic")]))
            elif len(parts) == 4 and parts[:3] == ["v1", "messages", "batches"] and parts[3] in self.batches:
                self._json(h, 200, self._anthropic_batch(self._poll(self.batches[parts[3]])))
            elif len(parts) == 5 and parts[:3] == ["v1", "messages", "batches"] and parts[4] == "results":
                batch = self.batches.get(parts[3])
                if batch is None or not batch.ended:
                    self._json(h, 404, {"type": "error", "error": {"type": "not_found_error", "message": "no results"}})
                else:
                    self._bytes(h, self._anthropic_results(batch))
            else:
                return False
        return True

    def _post(self, h: BaseHTTPRequestHandler) -> bool:
        route = urlsplit(h.path).path
        if route not in ("/v1/files", "/v1/batches", "/v1/messages/batches"):
            return False
        raw = h.rfile.read(int(h.headers.get("content-length", "0")))
        with self._batch_lock:
            if route == "/v1/files":
                file_id = self._new_id("file-")
                self.files[file_id] = _multipart_file(h.headers.get("content-type", ""), raw)
                self._json(h, 200, self._file_object(file_id, "batch"))
            elif route == "/v1/batches":
                body = json.loads(raw)
                lines = [json.loads(x) for x in self.files[body["input_file_id"]].decode().splitlines() if x.strip()]
                batch = self._create("openai", [(x["custom_id"], x["body"]) for x in lines], body["input_file_id"])
                self._json(h, 200, self._openai_batch(batch))
            else:
                body = json.loads(raw)
                batch = self._create("anthropic", [(r["custom_id"], r["params"]) for r in body["requests"]], None)
                self._json(h, 200, self._anthropic_batch(batch))
        return True

    # --- batches ------------------------------------------------------------------------------------
    def _create(self, provider: str, requests: list[tuple[str, dict[str, Any]]], input_file: str | None) -> FakeBatch:
        batch_id = self._new_id("batch_" if provider == "openai" else "msgbatch_")
        batch = FakeBatch(batch_id, provider, requests, time.time(), input_file)
        batch.failed = self.fail_validation if provider == "openai" else None
        path = "/v1/chat/completions" if provider == "openai" else "/v1/messages"
        for cid, body in requests:
            fate = self.fate(cid, body) if self.fate is not None else None
            if fate is not None:
                batch.results[cid] = {"fate": fate}
                continue
            with self._lock:  # the live server's own answering: the same queue or script, same counter
                reply = self._next(path, body)
                self._counter += 1
                n = self._counter
            model = reply.model or body.get("model", "fake-model")
            if reply.status != 200:
                batch.results[cid] = {"status": reply.status, "body": {"message": f"scripted HTTP {reply.status}"}}
            elif provider == "openai":
                batch.results[cid] = {"status": 200, "body": openai_completion(reply, model, n)}
            else:
                batch.results[cid] = {"status": 200, "body": anthropic_message(reply, model, n)}
        self.batches[batch_id] = batch
        self.created.append(batch_id)
        return batch

    def _poll(self, batch: FakeBatch) -> FakeBatch:
        batch.polls += 1
        if not batch.ended and not self.hold and batch.polls >= self.polls_to_end:
            batch.ended = True
            if batch.provider == "openai" and batch.failed is None:
                self._openai_files(batch)
        return batch

    def _newest(self, provider: str) -> list[FakeBatch]:
        return [self.batches[i] for i in reversed(self.created) if self.batches[i].provider == provider]

    def _openai_files(self, batch: FakeBatch) -> None:
        out: list[str] = []
        err: list[str] = []
        for i, (cid, _) in enumerate(batch.requests):
            result = batch.results[cid]
            line: dict[str, Any] = {"id": f"batch_req_{i}", "custom_id": cid, "response": None, "error": None}
            fate = result.get("fate")
            if fate == "missing":
                continue
            if fate is not None:
                code = "batch_expired" if fate == "expired" else "batch_cancelled"
                line["error"] = {"code": code, "message": f"this request was {fate}"}
                err.append(json.dumps(line))
            elif result["status"] != 200:
                body = {"error": {"message": result["body"]["message"], "type": "server_error"}}
                line["response"] = {"status_code": result["status"], "request_id": f"req_{i}", "body": body}
                err.append(json.dumps(line))
            else:
                line["response"] = {"status_code": 200, "request_id": f"req_{i}", "body": result["body"]}
                out.append(json.dumps(line))
        for lines, attr in ((out, "output_file_id"), (err, "error_file_id")):
            if lines:
                file_id = self._new_id("file-")
                self.files[file_id] = ("\n".join(lines) + "\n").encode()
                setattr(batch, attr, file_id)

    def _counts(self, batch: FakeBatch) -> dict[str, int]:
        fates = [r.get("fate") or ("ok" if r["status"] == 200 else "errored") for r in batch.results.values()]
        return {f: sum(x == f for x in fates) for f in ("ok", "errored", "expired", "canceled", "missing")}

    def _openai_batch(self, batch: FakeBatch) -> dict[str, Any]:
        counts = self._counts(batch)
        done = counts["ok"] if batch.ended else 0
        status = ("failed" if batch.failed else "completed") if batch.ended else "in_progress"
        errors = {"object": "list", "data": [{"code": "invalid", "message": batch.failed, "line": 1}]}
        return {
            "id": batch.id,
            "object": "batch",
            "errors": errors if batch.failed and batch.ended else None,
            "endpoint": "/v1/chat/completions",
            "input_file_id": batch.input_file_id,
            "completion_window": "24h",
            "status": status,
            "created_at": int(batch.created_at),
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "request_counts": {"total": len(batch.requests), "completed": done, "failed": len(batch.requests) - done}
            if batch.ended
            else {"total": len(batch.requests), "completed": 0, "failed": 0},
            "metadata": {"created_by": "evalkit"},
        }

    def _anthropic_batch(self, batch: FakeBatch) -> dict[str, Any]:
        created = datetime.fromtimestamp(batch.created_at, UTC)
        counts = self._counts(batch)
        n = len(batch.requests)
        request_counts = (
            {
                "processing": 0,
                "succeeded": counts["ok"],
                "errored": counts["errored"] + counts["missing"],
                "canceled": counts["canceled"],
                "expired": counts["expired"],
            }
            if batch.ended
            else {"processing": n, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        )
        return {
            "id": batch.id,
            "type": "message_batch",
            "processing_status": "ended" if batch.ended else "in_progress",
            "request_counts": request_counts,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "expires_at": (created + timedelta(hours=24)).isoformat().replace("+00:00", "Z"),
            "ended_at": created.isoformat().replace("+00:00", "Z") if batch.ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.root_url}/v1/messages/batches/{batch.id}/results" if batch.ended else None,
        }

    def _anthropic_results(self, batch: FakeBatch) -> bytes:
        lines: list[str] = []
        for cid, _ in reversed(batch.requests):  # results come in no particular order
            result = batch.results[cid]
            fate = result.get("fate")
            if fate == "missing":
                continue
            if fate is not None:
                outcome: dict[str, Any] = {"type": fate}
            elif result["status"] != 200:
                error = {"type": "api_error", "message": result["body"]["message"]}
                outcome = {"type": "errored", "error": {"type": "error", "error": error}}
            else:
                outcome = {"type": "succeeded", "message": result["body"]}
            lines.append(json.dumps({"custom_id": cid, "result": outcome}))
        return ("\n".join(lines) + "\n").encode()

    # --- rendering ------------------------------------------------------------------------------------
    @staticmethod
    def _page(data: list[dict[str, Any]]) -> dict[str, Any]:
        first = data[0]["id"] if data else None
        last = data[-1]["id"] if data else None
        return {"object": "list", "data": data, "has_more": False, "first_id": first, "last_id": last}

    @staticmethod
    def _file_object(file_id: str, purpose: str) -> dict[str, Any]:
        return {
            "id": file_id,
            "object": "file",
            "bytes": 0,
            "created_at": int(time.time()),
            "filename": "input.jsonl",
            "purpose": purpose,
            "status": "processed",
        }

    @staticmethod
    def _bytes(h: BaseHTTPRequestHandler, data: bytes) -> None:
        h.send_response(200)
        h.send_header("content-type", "application/octet-stream")
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


def _multipart_file(content_type: str, raw: bytes) -> bytes:
    """The `file` field of a multipart/form-data upload (the SDK's `files.create`)."""
    message = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise ValueError("no file field in the upload")
