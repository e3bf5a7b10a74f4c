"""The trivial baseline for the classification suite: a keyword router, the thing a team writes in an
afternoon before reaching for a model.

Thirty-one keyword rules, tried in the prompt's own priority order (escalate conditions first, then
cancel, then refund, then the problem labels, then feature requests and complaints), each a handful of
the words customers most often use for that intent; the first rule that matches anywhere in the
lower-cased ticket decides, and a ticket no rule matches is escalated. It reads the whole ticket, as a
router sitting on the inbox would. The suite is only worth gating on if this scores well below the
qualifying bar: what it gets right is what needs no model.
"""

from __future__ import annotations

import re

RULES: tuple[tuple[str, str], ...] = (
    # escalate: legal, safety, self-harm or violence, fraud, a human
    (r"\b(lawyer|solicitor|attorney|lawsuit|sue|court|legal action|trading standards|ombudsman)\b", "escalate"),
    (r"\b(fire|smok\w*|sparks?|burn\w*|shock|melt\w*|overheat\w*|injur\w*|hurt|allergic|rash)\b", "escalate"),
    (r"\b(suicide|kill myself|self-harm|don't want to be here)\b", "escalate"),
    (r"\b(fraud\w*|unauthori[sz]ed|scam|phishing|chargeback|dispute|stolen|didn't place)\b", "escalate"),
    (r"\b(manager|supervisor|real person|human|speak to someone)\b", "escalate"),
    # cancel_order
    (r"\bcancel\w*\b", "cancel_order"),
    (r"\b(unsubscribe|end my (subscription|membership)|stop my (subscription|membership))\b", "cancel_order"),
    # refund_request
    (r"\brefund\w*\b", "refund_request"),
    (r"\b(money back|reimburs\w*|return it|send it back)\b", "refund_request"),
    # account_access
    (r"\bpassword\w*\b", "account_access"),
    (r"\b(log ?in|sign ?in|logged out|locked out|account (is )?locked)\b", "account_access"),
    (r"\b(verification code|2fa|two-factor|two-step|authenticator)\b", "account_access"),
    # change_address
    (r"\baddress\b", "change_address"),
    (r"\b(postcode|zip code|house number|flat number|apartment number)\b", "change_address"),
    # product_defect
    (r"\b(broke\w*|damaged|defective|faulty|fault|crack\w*|smashed|scratch\w*|bent|snapped)\b", "product_defect"),
    (r"\b(stopped working|doesn't work|not working|won't (turn on|pair|connect|charge|close)|missing|leak\w*)\b",
     "product_defect"),
    (r"\bwrong (item|size|colou?r|one)\b", "product_defect"),
    (r"\b(replacement|replace)\b", "product_defect"),
    # order_status
    (r"\b(track\w*|where is|where's|wheres)\b", "order_status"),
    (r"\b(arriv\w*|deliver\w*|turned up|not received|haven't received|still waiting|still not here)\b", "order_status"),
    (r"\b(shipped|dispatch\w*|parcel|package|courier)\b", "order_status"),
    # technical_issue
    (r"\b(app|website|site|web page|checkout)\b", "technical_issue"),
    (r"\b(error|crash\w*|bug|glitch|loading|won't load|404|500)\b", "technical_issue"),
    # billing_question
    (r"\b(invoice|receipt|vat|tax)\b", "billing_question"),
    (r"\b(charge[ds]?|fee|price|payment|pay|billing|bill)\b", "billing_question"),
    (r"\b(promo|discount|coupon|voucher|gift card)\b", "billing_question"),
    # feature_request
    (r"\b(would be (great|nice|good|lovely)|it'd be|suggest\w*|idea|please add|could you add|would love|wish)\b",
     "feature_request"),
    (r"\b(feature|option to|consider)\b", "feature_request"),
    # complaint
    (r"\b(disappoint\w*|unacceptable|not acceptable|not good enough|terrible|awful|rude|worst|complain\w*)\b",
     "complaint"),
    (r"\b(not happy|unhappy|poor|frustrat\w*|fed up|let down)\b", "complaint"),
    (r"\b(never again|won't be ordering)\b", "complaint"),
)  # fmt: skip

_COMPILED = tuple((re.compile(pattern), label) for pattern, label in RULES)
DEFAULT = "escalate"


def route(ticket: str) -> str:
    """The first matching rule's label, or `escalate`."""
    text = ticket.casefold()
    for pattern, label in _COMPILED:
        if pattern.search(text):
            return label
    return DEFAULT
