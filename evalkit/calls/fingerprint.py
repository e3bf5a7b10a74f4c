"""What a serving stack says about itself, beyond its model list.

Two servers can carry the same model name and still answer differently: another chat template,
another tool-call parser, another checkpoint behind the name, another engine configuration. So the
facts gathered here go into every run's manifest (`describe()` calls `stack_facts()`) and their
stable parts into the cache key (`calls/cache.py`, `server_fingerprint`); `fingerprint_endpoint()`
shows them for one endpoint without running a suite (`evalkit fingerprint ENDPOINT`).

- `local` (llama-cpp-python): the GGUF's own metadata, read from the file's header without loading
  weights or the C library (name, architecture, quantization, training context, tokenizer, sha256 of
  every `tokenizer.chat_template*`), the `--chat_format` in use ("gguf template" when none: the
  server then renders the file's template), the answer-shaping launch arguments and the
  llama-cpp-python version.
- `vllm`: `/version`; `/server_info?config_format=json` (only with `VLLM_SERVER_DEV_MODE=1`; the
  engine config, kept whole minus volatile keys); the tool-call and reasoning parsers (from
  `/server_info` when it names them, else from the launch arguments); and the chat template as
  rendered for a canonical request with tools by `POST /tokenize` (token count and sha256 of the
  token ids; the prompt text's sha256 when the server returns it).

Every probe tolerates a missing route or an error and records "not exposed (...)" without a port or
URL, so the record of an unchanged server is identical from run to run. The per-response
`system_fingerprint` is not probed here: every stored call already carries it and it enters the key.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import json
import struct
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from evalkit.calls.cache import endpoint_identity, server_fingerprint
from evalkit.calls.providers import CallError, make_provider
from evalkit.calls.servers import (
    LaunchedServer,
    current_launch,
    endpoint_server,
    local_model_path,
    local_server_args,
)
from evalkit.errors import EndpointError
from evalkit.inputs.endpoints import EndpointProfile
from evalkit.inputs.identity import digest
from evalkit.redaction import redact_data

if TYPE_CHECKING:
    import httpx

# --- local: the GGUF header ----------------------------------------------------------------------

_SCALAR = {
    0: struct.Struct("<B"),
    1: struct.Struct("<b"),
    2: struct.Struct("<H"),
    3: struct.Struct("<h"),
    4: struct.Struct("<I"),
    5: struct.Struct("<i"),
    6: struct.Struct("<f"),
    7: struct.Struct("<?"),
    10: struct.Struct("<Q"),
    11: struct.Struct("<q"),
    12: struct.Struct("<d"),
}
_STRING, _ARRAY = 8, 9
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")
_MAX_STRING = 1 << 28

# llama.h's llama_ftype: what `general.file_type` means (the quantization of most tensors).
_FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
    12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
    19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
    26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE",
}  # fmt: skip


def _read(f: IO[bytes], n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ValueError("truncated GGUF header")
    return data


def _string(f: IO[bytes]) -> str:
    (n,) = _U64.unpack(_read(f, 8))
    if n > _MAX_STRING:
        raise ValueError(f"implausible string length {n} in GGUF header")
    return _read(f, n).decode("utf-8", errors="replace")


def _value(f: IO[bytes], vtype: int) -> Any:
    """One value; arrays (token lists, merges) are skipped over and come back as None."""
    if vtype in _SCALAR:
        fmt = _SCALAR[vtype]
        return fmt.unpack(_read(f, fmt.size))[0]
    if vtype == _STRING:
        return _string(f)
    if vtype != _ARRAY:
        raise ValueError(f"unknown GGUF value type {vtype}")
    (item, n) = struct.unpack("<IQ", _read(f, 12))
    if item in _SCALAR:
        f.seek(n * _SCALAR[item].size, 1)
    elif item == _STRING:
        for _ in range(n):
            (length,) = _U64.unpack(_read(f, 8))
            f.seek(length, 1)
    else:
        for _ in range(n):
            _value(f, item)
    return None


@cache
def _gguf_metadata(path: str, size: int, mtime_ns: int) -> dict[str, Any]:
    with open(path, "rb", buffering=1 << 20) as f:
        if _read(f, 4) != b"GGUF":
            raise ValueError("not a GGUF file")
        (version,) = _U32.unpack(_read(f, 4))
        if version < 2:
            raise ValueError(f"GGUF version {version} is too old to read")
        _tensors, count = struct.unpack("<QQ", _read(f, 16))
        meta: dict[str, Any] = {}
        for _ in range(count):
            key = _string(f)
            (vtype,) = _U32.unpack(_read(f, 4))
            value = _value(f, vtype)
            if value is not None:
                meta[key] = value
        return meta


def gguf_metadata(path: Path) -> dict[str, Any]:
    """The scalar and string key/values of a GGUF file's header (arrays left out), read in pure
    Python: no weights are loaded and no llama.cpp code runs in evalkit's own process (a
    llama.cpp build this CPU cannot run would kill the run, not just the server)."""
    st = path.stat()
    return _gguf_metadata(str(path.resolve()), st.st_size, st.st_mtime_ns)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def gguf_summary(meta: dict[str, Any]) -> dict[str, Any]:
    """The answer-relevant header fields; a chat template is recorded by its sha256."""
    arch = meta.get("general.architecture")
    ftype = meta.get("general.file_type")
    return {
        "name": meta.get("general.name"),
        "architecture": arch,
        "file_type": ftype,
        "quantization": _FILE_TYPES.get(ftype, f"unknown ({ftype})") if isinstance(ftype, int) else None,
        "context_length": meta.get(f"{arch}.context_length") if arch else None,
        "tokenizer_model": meta.get("tokenizer.ggml.model"),
        "tokenizer_pre": meta.get("tokenizer.ggml.pre"),
        "chat_templates_sha256": {
            k: _sha256(v) for k, v in sorted(meta.items()) if k.startswith("tokenizer.chat_template")
        },
    }


def _flag(args: list[str], name: str) -> str | None:
    """The value of `--name X` or `--name=X` in an argument list (the last one wins, as in argparse)."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith(f"{name}="):
            found = arg.split("=", 1)[1]
    return found


def local_facts(profile: EndpointProfile) -> dict[str, Any]:
    """What the embedded llama.cpp server serves: the file's metadata, chat format, arguments."""
    args = local_server_args(profile)
    facts: dict[str, Any] = {
        "server_software": {"llama_cpp_python": _version("llama_cpp_python")},
        "chat_format": _flag(args, "--chat_format") or _flag(args, "--chat-format") or "gguf template",
        "launch_args": args,
    }
    try:
        facts["gguf"] = gguf_summary(gguf_metadata(local_model_path(profile)))
    except (OSError, ValueError, EndpointError) as exc:
        facts["gguf"] = f"unreadable ({type(exc).__name__}: {exc})"
    return facts


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


# --- vLLM: what the server answers ---------------------------------------------------------------

CANONICAL_MESSAGES: list[dict[str, Any]] = [
    {"role": "system", "content": "You are a support assistant. Use the tools when they help."},
    {"role": "user", "content": "Where is my order OR-1234?"},
]
CANONICAL_TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "lookup_order",
            "description": "Look up an order by its id.",
            "parameters": {
                "type": "object",
                "properties": {"order_id": {"type": "string", "description": "The order id, e.g. OR-1"}},
                "required": ["order_id"],
            },
        },
    }
]
"""The request whose rendering stands for the chat template: a system prompt, a user turn and one
tool, the shapes every suite sends. Changing it changes every vLLM fingerprint (a one-off miss)."""

_VOLATILE = frozenset(
    {"instance_id", "cpu_info", "env_vars", "num_gpu_blocks", "num_cpu_blocks", "pid", "port", "host"}
    | {"uptime", "start_time", "started_at", "timestamp", "created", "nonce", "uuid"}
)
_VOLATILE_SUFFIXES = ("_port", "_pid", "_ip", "_time", "_timestamp", "_uuid")


def stable(obj: Any) -> Any:
    """`obj` without the keys that change between two starts of an unchanged server: random instance
    ids, ports and addresses, timestamps, the CPU clock in `cpu_info`, and the KV-cache block counts
    vLLM sizes from the free GPU memory of the moment."""
    if isinstance(obj, dict):
        return {
            k: stable(v)
            for k, v in obj.items()
            if not (k.lower() in _VOLATILE or k.lower().endswith(_VOLATILE_SUFFIXES))
        }
    if isinstance(obj, list):
        return [stable(v) for v in obj]
    return obj


class _NotExposed(str):
    """A probe's failure, worded without URL or port so that it is as stable as an answer."""


async def _probe(client: httpx.AsyncClient, method: str, url: str, body: Any = None) -> Any:
    import httpx

    try:
        resp = await client.request(method, url, json=body)
    except httpx.HTTPError as exc:
        return _NotExposed(f"not exposed ({type(exc).__name__})")
    if resp.status_code != 200:
        return _NotExposed(f"not exposed (HTTP {resp.status_code})")
    try:
        return resp.json()
    except ValueError:
        return _NotExposed("not exposed (not JSON)")


def _find(obj: Any, keys: tuple[str, ...]) -> Any:
    """The first value under any of `keys`, searching nested dicts (the config nests by section)."""
    if isinstance(obj, dict):
        for k in keys:
            if obj.get(k) is not None:
                return obj[k]
        for v in obj.values():
            if (found := _find(v, keys)) is not None:
                return found
    return None


def _parsers_from_args(args: list[str]) -> dict[str, Any]:
    return {
        "tool_call_parser": _flag(args, "--tool-call-parser"),
        "enable_auto_tool_choice": "--enable-auto-tool-choice" in args,
        "reasoning_parser": _flag(args, "--reasoning-parser"),
    }


def _tool_parser(
    profile: EndpointProfile, server_info: Any, launch: LaunchedServer | None
) -> tuple[dict[str, Any] | str, str]:
    """The tool-call parser in use and where that was learnt."""
    parser = _find(server_info, ("tool_call_parser", "tool_parser"))
    if parser is not None:
        found = {
            "tool_call_parser": parser,
            "enable_auto_tool_choice": bool(_find(server_info, ("enable_auto_tool_choice",))),
            "reasoning_parser": _find(server_info, ("reasoning_parser",)),
        }
        return found, "/server_info"
    if launch is not None and launch.name == "vllm":
        return _parsers_from_args(launch.command), "launch arguments"
    if profile.launch is not None:
        return _parsers_from_args(profile.launch.args), "profile launch arguments (server already running: unverified)"
    return "not known", "attached server; /server_info does not name it"


async def _chat_template_probe(client: httpx.AsyncClient, root: str, profile: EndpointProfile) -> Any:
    body: dict[str, Any] = {"model": profile.model, "messages": CANONICAL_MESSAGES, "add_generation_prompt": True}
    if "chat_template_kwargs" in profile.extra_body:  # e.g. a thinking switch: render what requests render
        body["chat_template_kwargs"] = profile.extra_body["chat_template_kwargs"]
    with_tools = True
    answer = await _probe(client, "POST", f"{root}/tokenize", {**body, "tools": CANONICAL_TOOLS})
    if isinstance(answer, _NotExposed) and answer.endswith(("HTTP 400)", "HTTP 422)")):
        with_tools = False  # a vLLM older than `tools` on /tokenize: the template without them
        answer = await _probe(client, "POST", f"{root}/tokenize", body)
    if isinstance(answer, _NotExposed):
        return str(answer)
    tokens = answer.get("tokens") if isinstance(answer, dict) else None
    if not isinstance(tokens, list):
        return "not exposed (no token ids)"
    out: dict[str, Any] = {
        "with_tools": with_tools,
        "token_count": answer.get("count", len(tokens)),
        "token_ids_sha256": _sha256(json.dumps(tokens, separators=(",", ":"))),
    }
    if isinstance(answer.get("prompt"), str):
        out["prompt_sha256"] = _sha256(answer["prompt"])
    return out


async def vllm_facts(profile: EndpointProfile, base_url: str, launch: LaunchedServer | None) -> dict[str, Any]:
    """vLLM's version, engine config, parsers and rendered chat template; each probe may be absent."""
    root = base_url.rstrip("/").removesuffix("/v1")
    key = profile.api_key()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    import httpx  # here, not at the top: only vLLM is probed, and every OpenAI-compatible run imports this module

    timeout = httpx.Timeout(min(profile.timeout_s, 30.0), connect=profile.connect_timeout_s)
    async with httpx.AsyncClient(timeout=timeout, headers=headers) as client:
        version, info, template = await asyncio.gather(
            _probe(client, "GET", f"{root}/version"),
            _probe(client, "GET", f"{root}/server_info?config_format=json"),  # older vLLM ignores it: text
            _chat_template_probe(client, root, profile),
        )
    facts: dict[str, Any] = {
        "vllm_version": str(version["version"]) if isinstance(version, dict) and "version" in version else None,
        "server_info": str(info) if isinstance(info, _NotExposed) else stable(info),
        "chat_template_probe": template,
    }
    facts["tool_parser"], facts["tool_parser_source"] = _tool_parser(profile, info, launch)
    return facts


async def stack_facts(profile: EndpointProfile, base_url: str) -> dict[str, Any]:
    """Everything above for `profile`'s kind, plus the launched process (command, log) if any."""
    launch = current_launch()
    facts: dict[str, Any] = {}
    if profile.kind == "local":
        facts.update(local_facts(profile))
    elif profile.kind == "vllm":
        facts.update(await vllm_facts(profile, base_url, launch))
    if launch is not None:
        facts["launched"] = launch.record()
    return facts


async def fingerprint_endpoint(profile: EndpointProfile) -> dict[str, Any]:
    """Start (or attach to) the endpoint's server as a run would, ask what it is, stop it.

    Returns what a run's manifest would record (`server`) and the two halves of the cache key with
    their hashes, so a cache miss can be explained by diffing two outputs.
    """
    profile.require_key()
    async with endpoint_server(profile) as base_url:
        provider = make_provider(profile, base_url)
        try:
            server = redact_data(await provider.describe())
        except CallError as err:
            raise EndpointError(
                f"endpoint {profile.name!r} at {base_url or profile.base_url} is not usable: {err}"
            ) from None
        finally:
            await provider.aclose()
    identity = endpoint_identity(profile)
    fingerprint = server_fingerprint(server)
    return {
        "endpoint": profile.name,
        "kind": profile.kind,
        "model": profile.model,
        "server": server,
        "cache_key": {
            "identity": identity,
            "identity_hash": digest(identity),
            "server_fingerprint": fingerprint,
            "fingerprint_hash": digest(fingerprint),
        },
    }
