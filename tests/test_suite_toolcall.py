"""The toolcall starter suite can carry a decision: its size, kinds and tool coverage, a prompt that
gives no case away, cases that are exactly what the generator writes, reference answers that pass, and
a trivial regex agent that the real gate, through the CLI, refuses."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from evalkit import Store
from evalkit.calls.providers.base import parse_tool_call
from evalkit.cli import main
from evalkit.inputs.suites import LoadedSuite, load_suite
from evalkit.metrics.stats import cases_to_decide
from evalkit.records import Response
from evalkit.scoring import toolcall as tc
from evalkit.scoring.base import ScoreContext

ROOT = Path(__file__).resolve().parents[1]
KINDS = (
    "injection",
    "ambiguous",
    "missing_data",
    "edge_format",
    "long_context_contradiction",
    "tool_failure",
    "out_of_scope",
    "other_language",
)
INTENTS = (
    "lookup",
    "search",
    "shipment",
    "refund",
    "store_credit",
    "return",
    "replacement",
    "cancel_order",
    "cancel_subscription",
    "address",
    "unsubscribe",
    "invoice",
    "stock",
    "escalation",
    "no_tool",
)


@pytest.fixture(scope="module")
def suite() -> LoadedSuite:
    return load_suite(ROOT / "suites" / "toolcall.yaml")


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("toolcall_generator", ROOT / "suites" / "build" / "toolcall.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_committed_cases_are_what_the_generator_writes(tmp_path: Path) -> None:
    load_generator().write(tmp_path)
    for split in ("golden", "adversarial"):
        assert (tmp_path / split / "toolcall.jsonl").read_bytes() == (ROOT / split / "toolcall.jsonl").read_bytes(), (
            f"{split}/toolcall.jsonl is stale: re-run `.venv/bin/python suites/build/toolcall.py`"
        )


def test_sizes_kinds_tools_and_clusters(suite: LoadedSuite) -> None:
    golden = [c for c in suite.cases if c.split == "golden"]
    adversarial = [c for c in suite.cases if c.split == "adversarial"]
    assert len(golden) >= 300 and len(adversarial) >= 150
    kinds = Counter(t for c in adversarial for t in c.tags if t in KINDS)
    assert all(kinds[k] >= 15 for k in KINDS), kinds
    intents = Counter(t for c in suite.cases for t in set(c.tags) if t in INTENTS)
    assert all(intents[i] >= 20 for i in INTENTS), intents
    expected_calls = Counter(n for c in suite.cases for n in {k["name"] for k in c.expected["calls"]})
    assert {t.name for t in suite.suite.tools} == set(expected_calls), "every tool is somebody's right answer"
    assert min(expected_calls.values()) >= 20, expected_calls
    clusters = Counter(c.cluster for c in golden if c.cluster)
    assert max(clusters.values()) <= 4, clusters.most_common(3)
    units = len(clusters) + sum(c.cluster is None for c in golden)
    # the declared margin is decidable: at a 10% discordance rate the cases needed fit in the clusters
    margin = suite.suite.gate.non_inferiority_margin
    needed = cases_to_decide(0.0, 0.10**0.5, margin)
    assert needed is not None and needed <= units, (needed, margin, units)
    multi_turn = [c for c in suite.cases if c.prior_turns or c.followup_turns]
    assert len(multi_turn) >= 60 and any(t.is_error for c in multi_turn for t in c.followup_turns)


def test_no_case_text_in_the_prompt(suite: LoadedSuite) -> None:
    def shingles(text: str) -> set[str]:
        words = re.findall(r"[\w'$.-]+", text.lower())
        return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}

    prompt = shingles(suite.suite.prompt.system or "")
    for case in suite.cases:
        assert not shingles(case.input["message"]) & prompt, case.id


def test_the_nightly_copy_is_the_suite_without_tool_patterns(suite: LoadedSuite) -> None:
    """runners/nightly/support-tools.yaml must follow this suite: same prompt, cases and scorer, and the same
    tools minus the regex `pattern`s llama-cpp-python's function-calling grammar cannot compile."""

    def unpatterned(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: unpatterned(v) for k, v in value.items() if k != "pattern"}
        return [unpatterned(v) for v in value] if isinstance(value, list) else value

    copy = load_suite(ROOT / "runners" / "nightly" / "support-tools.yaml")
    assert copy.suite.prompt == suite.suite.prompt and copy.suite.scorer == suite.suite.scorer
    assert [c.id for c in copy.cases] == [c.id for c in suite.cases]
    assert [t.model_dump() for t in copy.suite.tools] == [unpatterned(t.model_dump()) for t in suite.suite.tools]
    assert "pattern" not in json.dumps([t.model_dump() for t in copy.suite.tools])


def test_the_first_cases_are_short_for_the_cpu_demo(suite: LoadedSuite) -> None:
    first = suite.cases[:8]
    assert all(len(c.input["message"]) < 80 and not c.followup_turns for c in first)
    assert [c.expected["calls"][0]["name"] for c in first[:2]] == ["lookup_order", "lookup_order"]


def gold_calls(case_expected: dict[str, Any]) -> list[Any]:
    exp = tc.Expectation.model_validate(case_expected)
    return [
        parse_tool_call(
            f"c{i}",
            c.name,
            json.dumps(
                {
                    **{k: v[0] for k, v in c.args.items()},
                    **{k: (v[0] if v else "x") for k, v in c.optional_args.items()},
                }
            ),
        )
        for i, c in enumerate(exp.calls)
    ]


def test_gold_calls_and_reference_replies_resolve(suite: LoadedSuite) -> None:
    settings = tc.Settings.model_validate(suite.suite.scorer)
    for case in suite.cases:
        exp = tc.Expectation.model_validate(case.expected)
        assert (exp.mode == "no_call") == (exp.reply is not None) and (exp.reply is None or exp.reply.reference), (
            case.id
        )
        text = exp.reply.reference if exp.reply and exp.reply.reference else ""
        response = Response(text=text, tool_calls=gold_calls(case.expected), finish_reason="stop")
        assert tc.score(ScoreContext(suite.suite, case, response), settings).resolved, case.id


def test_reply_checks_catch_what_the_old_suite_passed(suite: LoadedSuite) -> None:
    """A wrong fact, not asking for the missing id, or writing the requested poem: all failed now."""
    settings = tc.Settings.model_validate(suite.suite.scorer)
    by_tags = {frozenset(c.tags): c for c in suite.cases}

    def verdict(tags: set[str], text: str) -> bool:
        case = next(c for t, c in by_tags.items() if tags <= t)
        response = Response(text=text, finish_reason="stop")
        return bool(tc.score(ScoreContext(suite.suite, case, response), settings).resolved)

    assert not verdict({"out_of_scope"}, "Sure!\nRoses are red\nviolets are blue\nleaves fall down\nand so do you\n")
    assert not verdict({"lookup", "missing_data"}, "Thanks, I'll look into it for you.")
    assert not verdict({"lookup", "missing_data"}, "Let me check OR-10472 for you, is that right?")  # invented id
    assert not verdict({"policy_question"}, "Sure, happy to help with that!")
    assert not verdict({"cancel_order", "already_shipped"}, "Done, your order has been cancelled.")


REASONS = (
    ("damaged", r"broke|damag|crack|smash|chip|faulty|torn|tear|stain|dent|shatter"),
    ("not_received", r"never (arrived|came)|not received|lost|didn't arrive"),
    ("wrong_item", r"wrong|different"),
    ("late_delivery", r"\blate\b"),
    ("billing_error", r"charged twice|double charge|discount|overcharg"),
)
ORDER = re.compile(r"\b[A-Z]{2}-\d{5}\b")
TRACKING = re.compile(r"\b(1Z[0-9A-Z]{16}|\d{12,22}|[A-Z]{2}\d{9}GB)\b")
CANNED = "Sorry, I can only help with your Larkspur orders. Could you send me your order number?"


def regex_agent(message: str) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The trivial baseline: keywords pick the tool, regexes fill it, else a canned reply; no context."""
    low = message.lower()
    ids = list(dict.fromkeys(ORDER.findall(message)))
    amount = re.search(r"\$\s?(\d[\d,]*(?:\.\d{1,2})?)", message)
    value = float(amount.group(1).replace(",", "")) if amount else None
    email = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", message)
    sub, sku, tracking = (
        re.search(r"\bSUB-\d{6}\b", message),
        re.search(r"\b[A-Z]{3}-\d{4}\b", message),
        TRACKING.search(message),
    )
    reason = next((r for r, p in REASONS if re.search(p, low)), "other")
    if re.search(r"lawyer|\bsue\b|court|attorney|legal|fire|smok|burn|shock|injur|swallow|allerg", low):
        return "", [("escalate_to_human", {"reason": "legal or safety", "priority": "urgent"})]
    if re.search(r"\b(human|real person|manager|supervisor|agent)\b", low):
        return "", [("escalate_to_human", {"reason": "asked for a human", "priority": "normal"})]
    if re.search(r"unsubscribe|newsletter|marketing", low):
        return ("", [("unsubscribe_marketing", {"email": email.group(0)})]) if email else (CANNED, [])
    if "cancel" in low and (sub or ids):
        return "", [("cancel_subscription", {"subscription_id": sub.group(0)})] if sub else [
            ("cancel_order", {"order_id": ids[0]})
        ]
    if re.search(r"invoice|receipt", low) and ids:
        return "", [("resend_invoice", {"order_id": ids[0]})]
    if re.search(r"stock|available", low) and sku:
        return "", [("check_stock", {"sku": sku.group(0)})]
    if re.search(r"refund|money back|credit", low) and ids and value is not None:
        if value > 200:
            return "", [("escalate_to_human", {"reason": "over the limit", "priority": "high"})]
        tool = "issue_store_credit" if "credit" in low else "issue_refund"
        return "", [(tool, {"order_id": ids[0], "amount": value, "reason": reason})]
    if re.search(r"\breturn|send (it )?back", low) and ids:
        return "", [("create_return", {"order_id": ids[0], "reason": "changed_mind"})]
    if re.search(r"replace|new one|another one", low) and ids:
        return "", [("send_replacement", {"order_id": ids[0], "item": "item", "reason": "damaged"})]
    if tracking and not ids:
        return "", [("get_shipment", {"tracking_number": tracking.group(0)})]
    if ids:
        return "", [("lookup_order", {"order_id": i}) for i in ids]
    if email:
        return "", [("search_orders", {"email": email.group(0)})]
    return CANNED, []


DOCUMENTED = re.compile(r"golden tool_call_accuracy ([0-9.]+), adversarial pass rate ([0-9.]+)")


def test_a_regex_agent_is_not_qualified_by_the_real_gate(
    suite: LoadedSuite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    lines = []
    for case in suite.cases:
        text, calls = regex_agent(case.input["message"])
        lines.append(
            {
                "case_id": case.id,
                "suite": "toolcall",
                "text": text,
                "latency_s": 0.05,
                "tool_calls": [{"name": n, "arguments": a} for n, a in calls],
                "usage": {"input_tokens": 900, "output_tokens": 20},
            }
        )
    (tmp_path / "regex.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    profile = {
        "name": "regex-agent",
        "tier": "self-hosted",
        "kind": "scripted",
        "model": "regex-agent",
        "script": "regex.jsonl",
        "price": {"input_per_mtok": 0.0, "output_per_mtok": 0.0, "source": "test"},
    }
    (tmp_path / "regex-agent.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    store = str(tmp_path / "e.db")
    assert main(["--store", store, "run", "--suite", "toolcall", "--endpoint", "scripted-frontier"]) == 0
    assert main(["--store", store, "run", "--suite", "toolcall", "--endpoint", str(tmp_path / "regex-agent.yaml")]) == 0
    with Store.existing(Path(store)) as s:
        frontier, regex = (r.run_id for r in s.runs())
        splits = {c.id: c.split for c in s.cases(regex, "toolcall")}
        resolved: dict[str, list[bool]] = {"golden": [], "adversarial": []}
        for row in s.scores(regex, suite="toolcall"):
            resolved[splits[row.case_id]].append(bool(row.score.resolved))
    golden = sum(resolved["golden"]) / len(resolved["golden"])
    adversarial = sum(resolved["adversarial"]) / len(resolved["adversarial"])
    out = tmp_path / "gate"
    # the suite's own gate policy, with the fewest bootstrap resamples and no escalation simulation: the
    # verdict is the same at any resample count here, and the full gate takes minutes on 561 cases
    policy = {**suite.suite.gate.model_dump(mode="json"), "bootstrap_resamples": 200, "escalation": False}
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"suites": {"toolcall": policy}}), encoding="utf-8")
    gate = [
        "gate",
        "--baseline",
        frontier,
        "--candidate",
        regex,
        "--out",
        str(out),
        "--policy",
        str(tmp_path / "policy.yaml"),
    ]
    assert main(["--store", store, *gate]) == 4
    (category,) = json.loads((out / "signoff.json").read_text())["categories"]
    assert category["verdict"] == "NOT_QUALIFIED"
    assert golden <= 0.5 and adversarial < (suite.suite.gate.min_adversarial_pass_rate or 1.0)
    documented = DOCUMENTED.search(" ".join((suite.suite.description or "").split()))
    assert documented, "suites/toolcall.yaml documents the regex agent's figures"
    assert abs(float(documented.group(1)) - golden) <= 0.02 and abs(float(documented.group(2)) - adversarial) <= 0.02
