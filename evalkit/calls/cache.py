"""What makes an answer reusable: the endpoint's identity and the server's fingerprint.

A cached answer is only honest when nothing that can change the answer has changed. The key therefore
covers: the wire settings of the profile (kind, model, base URL, omitted parameters, response format,
extra body, reasoning budget); for the embedded model the GGUF file's sha256 and every launch argument
(chat format, context size, threads); for a scripted endpoint the script's sha256; what the server
reports about itself before any call (model list with checkpoint roots and context lengths; for the
embedded model the GGUF header, chat template hash, chat format and llama-cpp-python version; for vLLM
its version, engine config, tool-call parser and the chat template as rendered by `/tokenize`: see
`calls/fingerprint.py`); the `system_fingerprint` the server stamps on its answers; the request hash;
and the repeat index. Two serving configurations of one model never share an answer, and an upgraded
server, a changed template or parser, or a swapped checkpoint misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from evalkit.inputs.endpoints import EndpointProfile, LocalServer
from evalkit.inputs.identity import digest, file_sha256
from evalkit.requests.plan import WorkItem


@cache
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    """A model file is hundreds of MB; hash it once per process and content version."""
    return file_sha256(Path(path))


def _file_digest(path: Path) -> str:
    st = path.stat()
    return _sha256_of(str(path.resolve()), st.st_size, st.st_mtime_ns)


def endpoint_identity(profile: EndpointProfile) -> dict[str, Any]:
    """Everything about the endpoint that can change an answer, before the server is asked."""
    ident = profile.wire_settings()
    if profile.kind == "local":
        from evalkit.calls.servers import local_model_path

        launch = profile.launch or LocalServer()
        ident["model_file_sha256"] = _file_digest(local_model_path(profile))
        ident["launch"] = launch.model_dump(mode="json", exclude={"model_path", "startup_timeout_s"})
    elif profile.kind == "scripted" and profile.script is not None:
        ident["script_sha256"] = _file_digest(Path(profile.script))
    else:
        ident["base_url"] = (profile.base_url or "").rstrip("/")
        if profile.launch is not None:
            ident["launch"] = profile.launch.model_dump(mode="json", exclude={"startup_timeout_s"})
    return ident


_FINGERPRINT_KEYS = (
    # every kind: what the model list says (vLLM adds the checkpoint root and context length)
    "models",
    "model_details",
    "script_sha256",
    # local (llama-cpp-python): server version, the GGUF's header (incl. the chat template's sha256),
    # the chat format in use and the answer-shaping launch arguments
    "server_software",
    "gguf",
    "chat_format",
    "launch_args",
    # vLLM: version, engine config (volatile keys dropped), tool/reasoning parsers, rendered template
    "vllm_version",
    "server_info",
    "tool_parser",
    "chat_template_probe",
)
"""Left out on purpose: `base_url` and `launched` (port, command with the port, log path: they change
every run), `tool_parser_source` (how it was learnt, not what it is) and `models_error`."""


def server_fingerprint(server: dict[str, Any]) -> dict[str, Any]:
    """The parts of what a server said about itself that identify what it serves (not where: a
    launched server's port changes every run). See `calls/fingerprint.py` for how each is gathered."""
    return {k: server[k] for k in _FINGERPRINT_KEYS if server.get(k) is not None}


@dataclass(frozen=True)
class CacheKeys:
    identity_hash: str
    fingerprint_hash: str

    @classmethod
    def of(cls, profile: EndpointProfile, server: dict[str, Any]) -> CacheKeys:
        return cls(digest(endpoint_identity(profile)), digest(server_fingerprint(server)))

    def key(self, item: WorkItem, system_fingerprint: str | None) -> str:
        return digest([self.identity_hash, self.fingerprint_hash, system_fingerprint, item.request_hash, item.repeat])
