"""Forbidden claims: statements a summary must not *make*, as opposed to words it must not contain.

A case writer knows which wrong statements a source invites: a superseded date reported as final, an
injected amount, an outcome nobody decided ("claim approved", "full refund and new boots"). A plain
"this string must not appear" check gets both directions wrong. It fails the accurate summary that says
the training "moved from 20 February to 13 March", and it passes the invented outcome unless the case
writer guessed its exact wording. So a forbidden claim is matched as a claim:

- `value`: alternatives for the wrong value or outcome word ("20 February", "approved");
- `context`: groups that must also appear in the *same sentence* ("training"; "claim") so that the
  value is said about the thing the claim is about, not elsewhere in the summary;
- the claim is *made* when one sentence carries an unqualified match of the value and of every context
  group. A match is *qualified*, and so not asserted, when the words right before it negate, hedge or
  supersede it ("not approved", "yet to be approved", "could be approved", "originally 20 February",
  "(was 20 February)", "moved from 20 February to 13 March"), or the words right after it mark it as
  superseded or conditional ("20 February was cancelled", "approved only if the receipt arrives").

The cue lists are deliberately short and positional (the few words next to the match, never across a
sentence): a claim is excused only where the summary itself says it does not hold. "Training on
20 February, moved from 13 March" still makes the claim, because "moved" followed by "from" points the
other way. A plain string in a case file is shorthand for a claim with that one value and no context.

Known limits, accepted for a check that needs no model: a request verb before a value excuses it ("the
customer requested a $2,500 refund" states a request, which may itself be untrue), and a qualifier more
than four words away, or in another clause, does not count. `evalkit judge` grades faithfulness with a
model where those matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evalkit.scoring.summarization.facts import alternative_spans

BEFORE_WORDS = 4
"""How many words before a match, within its clause, may negate, hedge or supersede it."""
AFTER_WORDS = 4
"""How many words after a match, within its clause, may mark it superseded or conditional."""

_NEGATION = (
    "not|no|never|nothing|none|neither|nor|without|cannot|can't|won't|isn't|wasn't|hasn't|haven't|hadn't|didn't|"
    "doesn't|don't|aren't|weren't|yet to|instead of|rather than|no longer|refused to|declined to|denied|rejected|"
    "unconfirmed|unclear whether|undecided"
)
_HEDGE = (
    "could|would|might|may be|can be|whether|if|once|unless|pending|possibly|potentially|needs to be|has to be|"
    "still to be|asked for|asks for|requested|requests|request|demanded|demands|wants|wanted|hopes for|"
    "proposed|proposes|suggested|suggests"
)
_SUPERSEDED = (
    "originally|initially|previously|formerly|earlier|old|original|superseded|replacing|replaced|cancelled|"
    "canceled|voided|reversed|withdrawn|retracted|scrapped|dropped|was originally|was initially"
)
BEFORE_CUE = re.compile(
    rf"(?:^|[\s(])(?:{_NEGATION}|{_HEDGE}|{_SUPERSEDED})(?=$|\s)|\((?:was|previously|originally|initially|not)\b"
)
"""A cue among the words right before a match: the match is negated, hedged or superseded."""
AFTER_CUE = re.compile(
    r"^(?:[^\s(]+ )?(?:\(|was |were |is |has been |had been |have been |got |now |since |later |then )*"
    r"(?:cancelled|canceled|voided|reversed|withdrawn|dropped|superseded|replaced|retracted|scrapped|abandoned|"
    r"rescinded|called off|no longer|moved|postponed|rescheduled|pushed back|brought forward|changed|corrected|"
    r"revised|overturned|not yet)\b(?! from\b)"
)
"""A supersession right after a match, perhaps past one word ("20 February [session] was cancelled");
"moved from" points the other way."""
CONDITION_AFTER = re.compile(
    r"^(?:only )?(?:if|once|unless|when|after|pending|subject to|provided)\b"
    r"|^(?:[^\s(]+ )?(?:is |was |are |remains |still |left )*(?:unclear|uncertain|undecided|not decided|not confirmed|"
    r"unconfirmed|pending|tbc|to be confirmed|not yet|under review|in question|disputed)\b"
)
"""A condition or an open question right after a match: "approved once the receipt arrives", "fee refund
unclear" state neither an approval nor a refund."""
TO_AFTER = re.compile(r"^(?:\S+ ){0,3}(?:to|->|→)(?: |$)")
""""from X" supersedes X only when a "to" follows: "moved from 20 February to 13 March"."""

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\s-\s")


class ForbiddenClaim(BaseModel):
    """A wrong statement the source invites, matched as a claim in one sentence of the summary."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=1)
    """The wrong statement in words, as reports show it ("Training is on 20 February")."""
    value: list[str] = Field(min_length=1)
    """Alternatives for the wrong value or outcome word; one must be asserted."""
    context: list[list[str]] = Field(default_factory=list)
    """Groups that must also be present, unqualified, in the same sentence (one alternative each)."""

    @field_validator("value")
    @classmethod
    def _values(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("forbidden values must be non-empty strings")
        return values

    @field_validator("context")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if not group or any(not alt.strip() for alt in group):
                raise ValueError("a context group needs non-empty alternatives")
        return groups


def as_claim(item: str | ForbiddenClaim) -> ForbiddenClaim:
    """A plain string from a case file is a claim with that one value and no context."""
    return item if isinstance(item, ForbiddenClaim) else ForbiddenClaim(claim=item, value=[item])


def sentences(summary_norm: str) -> list[str]:
    """The summary split at sentence ends (". ", "; ", "! ", "? ") and line breaks; decimals stay whole."""
    return [s for s in _SENTENCE_END.split(summary_norm) if s.strip()]


def qualified(sentence: str, start: int, end: int, *, is_value: bool = True) -> bool:
    """The words next to sentence[start:end], within its clause, negate, hedge, supersede or condition it.

    Words after a match only qualify the value ("20 February was cancelled"); after a context word they
    describe the thing itself ("training was moved to 20 February" still puts training on 20 February).
    """
    before = _CLAUSE_BREAK.split(sentence[:start])[-1].split()[-BEFORE_WORDS:]
    if BEFORE_CUE.search(" ".join(before)):
        return True
    if not is_value:
        return False
    after_text = sentence[end:]
    after_clause = "" if after_text[:1] in (",", ";", ":") else _CLAUSE_BREAK.split(after_text)[0]
    after = " ".join(re.sub(r"[.!?]+$", "", after_clause).split()[:AFTER_WORDS]).lstrip("):").strip()
    if "from" in before[-2:] and TO_AFTER.search(after + " "):
        return True
    return bool(AFTER_CUE.search(after) or CONDITION_AFTER.search(after))


Outcome = Literal["made", "qualified", "absent"]


def claim_outcome(claim: ForbiddenClaim, summary_norm: str) -> Outcome:
    """`made` when one sentence asserts the value and every context group; `qualified` when some sentence
    mentions them all but only negated, hedged or superseded; otherwise `absent`."""
    mentioned = False
    for sentence in sentences(summary_norm):
        value_spans = alternative_spans(claim.value, sentence)
        if not value_spans:
            continue
        group_spans = [alternative_spans(group, sentence) for group in claim.context]
        if not all(group_spans):
            continue
        mentioned = True
        value_asserted = any(not qualified(sentence, s, e) for s, e in value_spans)
        context_asserted = all(
            any(not qualified(sentence, s, e, is_value=False) for s, e in spans) for spans in group_spans
        )
        if value_asserted and context_asserted:
            return "made"
    return "qualified" if mentioned else "absent"


def forbidden_outcomes(claims: Sequence[ForbiddenClaim], summary_norm: str) -> tuple[list[str], list[str]]:
    """(claims made, claims mentioned only as negated/superseded), each as its `claim` text in case order."""
    made: list[str] = []
    excused: list[str] = []
    for claim in claims:
        outcome = claim_outcome(claim, summary_norm)
        if outcome == "made":
            made.append(claim.claim)
        elif outcome == "qualified":
            excused.append(claim.claim)
    return made, excused
