"""How long the safeguarding check takes per message (it runs on every message a partner
sends). Prints microseconds per check for typical, long and worst-case messages.

Run: python bench/safeguarding.py
"""

from __future__ import annotations

import time

from bot.domain.safeguarding import default_rules

LINE = "Thanks for the papers, see you on Thursday at the board. "
POLISH = "Dziękuję za dokumenty, do zobaczenia w czwartek na posiedzeniu zarządu. "
ARABIC = "شكرا على الأوراق، أراكم يوم الخميس في اجتماع المجلس. "
# Every message is checked in every language (issue 19), so each kind is timed in each.
CASES = {
    "short message": "Thanks, see you on Thursday at the board.",
    "4096 chars, plain": (LINE * 80)[:4096],
    "4096 chars, emoji": (LINE.replace(",", " 😊") * 80)[:4096],
    "4096 chars, service words": (
        "Suicide rates, self-harm services and domestic abuse service. " * 70
    )[:4096],
    "a distress phrase": "Honestly I can't cope any more with any of it.",
    "short message, Polish": "Dzięki, do zobaczenia w czwartek.",
    "4096 chars, Polish": (POLISH * 60)[:4096],
    "a distress phrase, Polish": "Szczerze mówiąc, już nie daję rady z niczym.",
    "short message, Arabic": "شكرا، أراكم يوم الخميس.",
    "4096 chars, Arabic": (ARABIC * 80)[:4096],
    "a distress phrase, Arabic": "بصراحة لم أعد أحتمل أي شيء.",
}


def main() -> None:
    rules = default_rules()
    print(f"{'message':<28} {'µs per check':>14}")
    for name, text in CASES.items():
        rounds = 2000 if len(text) < 100 else 200
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(rounds):
                rules.check(text)
            best = min(best, (time.perf_counter() - start) / rounds)
        print(f"{name:<28} {best * 1e6:>14.1f}")


if __name__ == "__main__":
    main()
