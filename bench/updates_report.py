"""What bench/updates.py prints: bot-side latency per second and overall, throughput, CPU per
update and, for the pacing run, tap-to-reply and the Bot API calls made."""

from __future__ import annotations

import argparse
import bisect
import statistics
from typing import Any

TARGET_P99_MS = 50.0
TARGET_RATE = 300.0
TARGET_TAP_P99_MS = 300.0  # tap-to-reply, production pacing, 30 partners at once
BOT_API_CALLS = ("send", "edit", "delete", "answercallbackquery", "copymessage", "forward")
SETUP_CALLS = ("deletewebhook", "deletemycommands")


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(
    args: argparse.Namespace,
    outcome: dict[str, object],
    timings: list[dict[str, float]],
    database_url: str,
) -> None:
    answered = [t for t in timings if t.get("first_reaction_at") and t.get("delivered_at")]
    latency = {id(t): (t["first_reaction_at"] - t["delivered_at"]) * 1000 for t in answered}
    latencies = list(latency.values())
    delivered = sorted(t["delivered_at"] for t in answered)
    if not delivered:
        print("no update was answered", outcome.get("failures"))
        return
    print("second  updates  p50 ms  max ms")
    per_second: dict[int, list[float]] = {}
    for t in answered:
        per_second.setdefault(int(t["delivered_at"] - delivered[0]), []).append(latency[id(t)])
    for second, values in sorted(per_second.items()):
        print(f"{second:6d}  {len(values):7d}  {_percentile(values, 0.5):6.1f}  {max(values):6.1f}")
    window = max(delivered[-1] - delivered[0], 1.0)
    peak = max(bisect.bisect_left(delivered, start + 10) - i for i, start in enumerate(delivered))
    p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
    cpu = float(outcome["bot_cpu"])  # type: ignore[arg-type]
    print(f"database            {database_url.split(':')[0]}")
    print(
        f"people              {outcome['people']} ({outcome['completed']} completed onboarding); "
        f"arriving over {args.ramp:g} s, {args.think:g} s between taps"
    )
    print(f"updates answered    {len(latencies)} of {len(timings)}")
    print(
        f"throughput          {len(delivered) / window:.0f} updates/s average, "
        f"{peak / 10:.0f} updates/s peak (10 s)"
    )
    print(
        f"bot-side latency    p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(latencies):.1f} ms, "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )
    print(
        f"against target      p99/{TARGET_P99_MS:.0f} ms = {p99 / TARGET_P99_MS:.2f}; "
        f"peak/{TARGET_RATE:.0f} updates/s = {peak / 10 / TARGET_RATE:.2f}"
    )
    print(f"bot process CPU     {cpu:.1f} s, {cpu * 1000 / len(latencies):.2f} ms per update")
    if "router_cpu" in outcome:
        router = float(outcome["router_cpu"])  # type: ignore[arg-type]
        print(
            f"processes           {args.processes} workers behind `tandem route` (CPU above); "
            f"router {router:.1f} s, {router * 1000 / len(latencies):.2f} ms per update"
        )
    if sql := outcome.get("sql"):
        each = {k: v / len(latencies) for k, v in sql.items()}
        print(
            f"SQL                 {each['statements']:.1f} statements, "
            f"{each['transactions']:.2f} transactions per update"
        )
    _report_pacing(args, outcome, len(timings), window)
    if outcome.get("failures"):
        print(f"failures            {outcome['failures']}")


def _report_pacing(
    args: argparse.Namespace, outcome: dict[str, Any], updates: int, window: float
) -> None:
    """What a person waits for after a tap, and what the bot asked of Telegram for it."""
    steps: list[tuple[str, float]] = outcome.get("tap_to_reply_ms") or []
    waits = [ms for _, ms in steps]
    stats = outcome.get("stats") or {"requests": {}, "errors": {}}
    calls = {
        method: count
        for method, count in stats["requests"].items()
        if method.lower().startswith(BOT_API_CALLS) and method.lower() not in SETUP_CALLS
    }
    refused = sum(stats["errors"].get(method, 0) for method in calls)
    taps = stats["requests"].get("answerCallbackQuery", 0)
    pacing = "production (rate limiter on, limits enforced)" if args.production_pacing else "off"
    print(f"pacing              {pacing}")
    print(f"updates             {updates}, {updates / window:.1f} updates/s over {window:.0f} s")
    if waits:
        p50, p99 = _percentile(waits, 0.50), _percentile(waits, 0.99)
        print(
            f"tap-to-reply        p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(waits):.0f} ms "
            f"({len(waits)} taps and messages); p99/{TARGET_TAP_P99_MS:.0f} ms = "
            f"{p99 / TARGET_TAP_P99_MS:.2f}"
        )
        by_step: dict[str, list[float]] = {}
        for label, ms in steps:
            by_step.setdefault(label, []).append(ms)
        slowest = sorted(by_step.items(), key=lambda item: -_percentile(item[1], 0.5))[:4]
        print(
            "slowest steps       "
            + "; ".join(f"{label[:24]} p50 {_percentile(ms, 0.5):.0f} ms" for label, ms in slowest)
        )
    total = sum(calls.values())
    print(
        f"Bot API calls       {total}, {total / max(updates, 1):.2f} per update; "
        f"{taps} taps answered; "
        + ", ".join(f"{method} {count}" for method, count in sorted(calls.items()))
    )
    print(f"refused calls       {refused} (target 0): {stats['errors'] or 'none'}")
