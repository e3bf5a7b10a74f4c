"""What every customer-support family shares: who the story is about, and common phrasings of time.

The families themselves live in summarization_orders.py (damaged items, deliveries), summarization_care.py
(warranty repairs, account access) and summarization_billing.py (charges, cancellations, SLA credits).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

C, A, S = "Customer", "Agent", "Supervisor"
DAYS_35 = ("3-5", "3 to 5", "three to five", "3 - 5")
DAYS_57 = ("5-7", "5 to 7", "five to seven", "5 - 7")
DAYS_710 = ("7-10", "7 to 10", "seven to ten", "7 - 10")
NO_RETURN = ("no need", "not need", "don't need", "doesn't need", "does not need", "no return", "keep", "keeps",
             "not required", "without returning", "not have to", "doesn't have to", "not to return")  # fmt: skip


@dataclass(frozen=True)
class Ctx:
    """The people and things one story is about."""

    customer: str
    agent: str
    supervisor: str
    company: str
    domain: str
    symbol: str
    order: str
    month: int


def _when(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    return rng.choice([("3-5 business days", DAYS_35), ("5-7 working days", DAYS_57), ("7-10 days", DAYS_710)])


def families() -> dict[str, object]:
    """Every support family by name (imported late: the family modules import this one)."""
    from summarization_billing import billing, sla, subscription
    from summarization_care import account_access, warranty
    from summarization_orders import damaged_item, delivery

    return {"damaged_item": damaged_item, "billing": billing, "delivery": delivery, "subscription": subscription,
            "account_access": account_access, "warranty": warranty, "sla": sla}  # fmt: skip
