"""Shipped endpoint profiles and key handling."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.calls.cache import endpoint_identity
from evalkit.errors import InputError
from evalkit.inputs.endpoints import Reasoning, available_endpoints, load_endpoint

SHIPPED = Path(__file__).resolve().parents[1] / "runners" / "endpoints"


def test_every_seed_system_has_a_profile_with_its_list_price() -> None:
    expected = {
        "gpt-5.5": (5.00, 30.00),
        "claude-opus-4.7": (5.00, 25.00),
        "gemini-3.1-pro": (2.00, 12.00),
        "deepseek-v4-flash": (0.14, 0.28),
        "together-qwen3.5-397b": (0.60, 3.60),
        "together-gpt-oss-120b": (0.15, 0.60),
        "fireworks-deepseek-v4-pro": (1.74, 3.48),
        "groq-llama-4-scout": (0.11, 0.34),
        "groq-qwen3-32b": (0.29, 0.59),
    }
    names = set(available_endpoints(SHIPPED))
    assert {*expected, "claude-sonnet-4.6", "claude-haiku-4.5", "deepseek-v4-pro", "vllm", "local"} <= names
    for name, (p_in, p_out) in expected.items():
        price = load_endpoint(name, SHIPPED).price
        assert (price.input_per_mtok, price.output_per_mtok) == (p_in, p_out), name
        assert "2026-04-30" in price.source
    for name in names:
        profile = load_endpoint(name, SHIPPED)
        assert profile.name == name
        assert profile.tier in ("frontier", "hosted", "self-hosted")


def test_missing_key_error_names_the_variable_never_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    profile = load_endpoint("deepseek-v4-flash", SHIPPED)
    with pytest.raises(InputError, match="DEEPSEEK_API_KEY"):
        profile.require_key()
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-secret-value-123")
    profile.require_key()
    assert "sk-secret-value-123" not in profile.model_dump_json()


def test_profile_errors_name_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntier: premium\nkind: openai\nmodel: x\napi_key_env: K\n")
    with pytest.raises(InputError) as info:
        load_endpoint(str(bad))
    assert (info.value.line, info.value.field) == (2, "tier")


def test_identity_separates_models_and_urls_but_not_keys() -> None:
    a = load_endpoint("together-gpt-oss-120b", SHIPPED)
    b = a.model_copy(update={"model": "other"})
    c = a.model_copy(update={"base_url": "https://elsewhere.example/v1"})
    d = a.model_copy(update={"api_key_env": "OTHER_KEY"})
    e = a.model_copy(update={"reasoning": Reasoning(effort="high")})
    assert len({str(endpoint_identity(x)) for x in (a, b, c, e)}) == 4
    assert endpoint_identity(a) == endpoint_identity(d)


def test_reasoning_budget_is_added_to_the_answer_budget() -> None:
    assert Reasoning(budget_tokens=2048).output_limit(12) == 2060
    assert Reasoning(min_output_tokens=4096).output_limit(12) == 4096
    gpt = load_endpoint("gpt-5.5", SHIPPED)
    assert gpt.reasoning is not None and gpt.reasoning.output_limit(12) >= 1024
