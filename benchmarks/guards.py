"""Latency of the guards (rules and their learned second opinion) on a social post and an email,
and of the embedding-based ungrounded guard on top."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a script, this file's folder comes first on sys.path and would shadow `guards`.
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from guards import CatalogEntry, GuardContext, build_guard_set  # noqa: E402

SOCIAL = (
    "We are investigating delays to SMS and push notifications for some customers in the EU. "
    "Email is not affected. Some messages may arrive up to 10 minutes late. We will share "
    "another update within 30 minutes. Status: https://status.example.com/incidents/42 ok"
)[:280]
EMAIL_PARAGRAPH = (
    "We are writing to let you know about an incident that affected notifications today. "
    "Between 10:02 and 10:41 UTC some SMS and push notifications were delayed by up to 12 "
    "minutes. Email notifications were not affected. We have identified the cause and deployed "
    "a fix, and we are monitoring the results. If you still see delays, please contact "
    "support@example.com. "
)
EMAIL = (EMAIL_PARAGRAPH * 10)[:3000]
# The longest text the API accepts holds many hedges and an ETA: the speculation guard checks
# each hedge against the ETA's clauses, which must stay linear in the text's length.
LONG_HEDGED = (
    "We expect logins to be back by 5pm. It might be the cache, maybe the proxy, probably not. "
    * 1200
)[:100_000]
CONTEXT = GuardContext(
    catalog=(CatalogEntry(component="Notifications", internal=("notif-out", "app-server-123")),),
    people=("alice", "bob"),
    customers=("Acme Corp",),
)
GROUNDED = GuardContext(
    catalog=CONTEXT.catalog,
    grounding=(
        "customers reporting SMS and push delayed ~10 min, email fine",
        "fix deployed 10:41, monitoring; delays up to 12 minutes between 10:02 and 10:41",
    ),
)


def measure(
    channel: str, text: str, context: GuardContext, iterations: int, learned: bool = True
) -> tuple[float, float]:
    """Return p50 and p99 in milliseconds of GuardSet.check over many iterations."""
    guard_set = build_guard_set(channel, "en", context, learned=learned)
    for _ in range(min(50, iterations)):
        guard_set.check(text)
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        guard_set.check(text)
        samples.append((time.perf_counter_ns() - started) / 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    """Print p50/p99 per scenario."""
    scenarios = (
        ("social 280 chars, rules alone", "social", SOCIAL, CONTEXT, 3000, False),
        ("email 3,000 chars, rules alone", "email", EMAIL, CONTEXT, 1000, False),
        ("social 280 chars, rules + learned", "social", SOCIAL, CONTEXT, 3000, True),
        ("email 3,000 chars, rules + learned", "email", EMAIL, CONTEXT, 1000, True),
        ("social 280 chars, with ungrounded", "social", SOCIAL, GROUNDED, 3000, True),
        ("email 3,000 chars, with ungrounded", "email", EMAIL, GROUNDED, 1000, True),
        ("hedged text 100,000 chars, rules alone", "email", LONG_HEDGED, CONTEXT, 5, False),
        ("hedged text 100,000 chars, rules + learned", "email", LONG_HEDGED, CONTEXT, 5, True),
    )
    for name, channel, text, context, iterations, learned in scenarios:
        p50, p99 = measure(channel, text, context, iterations, learned)
        print(f"{name:<38} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   (n={iterations})")


if __name__ == "__main__":
    main()
