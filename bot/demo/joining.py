"""How the demo's people join and what they do next, scripted through the real chat.

Each partner's `how` says how they answer onboarding (a typed name, a city, a pause, no
answers kept) and the steps they take afterwards: a debrief, a briefing and a question.
"""

from __future__ import annotations

from bot.sandbox import ChatUser

__all__ = ["PARTNERS", "Step", "join_as_board", "join_as_partner", "join_as_staff"]

# A scripted step: ("send" | "press" | "voice", what, the reply to wait for).
Step = tuple[str, str, str]

DEBRIEF: tuple[Step, ...] = (
    ("send", "/reflect", "What would you like to reflect on?"),
    ("press", "After the meeting · 5 min", "question 1 of"),
    ("press", "4", "equal partner"),
    ("press", "2", "get in touch"),
    ("press", "Yes", "What did you learn?"),
    ("send", "That the discharge letters are written by three different teams.", "surprise"),
    ("voice", "18", "differently"),
    ("press", "Skip", "raise at the next meeting"),
    ("send", "Ask who will rewrite the discharge letters, and when.", "troubling"),
    ("press", "Skip", "who can see this reflection?"),
    ("press", "My facilitators (suggested)", "Thank you"),
)
BRIEFING_AND_QUESTION: tuple[Step, ...] = (
    ("send", "/library", "The library"),
    ("press", "How the system works (3)", "Tap a briefing"),
    ("press", "How the NHS in England is organised · 4 min", "Page 1 of"),
    ("press", "Next ›", "Page 2 of"),
    ("press", "I have a question", "What would you like to ask"),
    ("send", "Who actually decides the budget for our area?", "I've passed your question"),
)
JOURNAL: tuple[Step, ...] = (
    ("send", "/reflect", "What would you like to reflect on?"),
    ("press", "Write in my journal", "What's on your mind?"),
    ("send", "Nervous about speaking at the board. Writing it down helps.", "who can see"),
    ("press", "Just me", "Thank you"),
)
CHECK_IN: tuple[Step, ...] = (
    ("send", "/reflect", "What would you like to reflect on?"),
    ("press", "Monthly check-in · 4 min", "How confident"),
    ("press", "3", "grown in this month"),
    ("press", "☐ Reading board papers", "grown in this month"),
    ("press", "Done", "proud of"),
    ("press", "Skip", "What support would help"),
    ("press", "A one-to-one briefing", "a little more"),
    ("send", "How the money for community services is decided.", "feeling about the role"),
    ("press", "4", "who can see"),
    ("press", "Anonymised for the board", "Thank you"),
)
UNFINISHED: tuple[Step, ...] = (
    ("send", "/reflect", "What would you like to reflect on?"),
    ("press", "After the meeting · 5 min", "question 1 of"),
    ("press", "5", "equal partner"),
    ("press", "5", "What did you learn?"),
    ("press", "Finish later", "Your answers so far are saved"),
)

# name, what the web chat says about them, and how they went through onboarding
PARTNERS: tuple[tuple[str, str, dict[str, object]], ...] = (
    (
        "Amina",
        "Carer; read a briefing, asked a question, shared a debrief",
        {"history": BRIEFING_AND_QUESTION + DEBRIEF},
    ),
    ("Dev", "Shift worker; has paused messages for two weeks", {"pause": "2 weeks"}),
    (
        "Grace",
        "Typed a different name; keeps a private journal",
        {"typed_name": "Grace O.", "history": JOURNAL, "quiet": "No quiet hours"},
    ),
    ("Tomasz", "Chose not to have his answers kept", {"keep": "No, don't keep them"}),
    (
        "Priya",
        "Asked a question before agreeing; did her monthly check-in",
        {"question": True, "history": CHECK_IN, "quiet": "No quiet hours"},
    ),
    (
        "Kwame",
        "In Lagos for a month; left a debrief half done",
        {"city": "Lagos", "history": UNFINISHED},
    ),
)

_AGREEMENT = (
    ("Tell me more", "Your role"),
    ("Next", "How we work together"),
    ("Next", "Payment, expenses and support"),
    ("Next", "What we ask"),
)


async def join_as_staff(user: ChatUser, code: str) -> None:
    """A facilitator or coordinator joins with their invite, taking the suggested answers."""
    await user.send(f"/start {code}")
    await user.expect("You're joining as", timeout=15)
    await user.press("I understand")
    await user.expect("call you?")
    await user.press(f"Call me {user.first_name}")
    await user.expect("Which time zone")
    await user.press("UK time")
    await user.expect("When should I stay quiet?")
    await user.press("9pm to 8am (suggested)")
    await user.expect("You're set up as")


async def join_as_partner(user: ChatUser, code: str, how: dict[str, object]) -> None:
    """A partner joins with their invite, as `how` says, then does what their history says."""
    await user.send(f"/start {code}")
    await user.expect("welcome to Tandem", timeout=15)
    for label, expected in _AGREEMENT:
        await user.press(label)
        await user.expect(expected)
    if how.get("question"):
        await user.press("I have a question")
        await user.expect("When you're ready")
    await user.press("I agree")
    await user.expect("Your reflections")
    await user.press(str(how.get("keep", "Yes, keep my answers")))
    await user.expect("call you?")
    if "typed_name" in how:
        await user.send(str(how["typed_name"]))
    else:
        await user.press(f"Call me {user.first_name}")
    await user.expect("Which time zone")
    if "city" in how:
        await user.press("Somewhere else")
        await user.expect("Please type the city")
        await user.send(str(how["city"]))
    else:
        await user.press("UK time")
    # The first place typed waits for the gazetteer to be read (about a second).
    await user.expect("When should I stay quiet?", timeout=15)
    await user.press(str(how.get("quiet", "9pm to 8am (suggested)")))
    await user.expect("You're all set")
    if "pause" in how:
        await user.send("/pause")
        await user.expect("Would you like a break?")
        await user.press(str(how["pause"]))
        await user.expect("Paused until")
    for action, what, expected in how.get("history", ()):  # type: ignore[attr-defined]
        if action == "send":
            await user.send(what)
        elif action == "voice":
            await user.send_voice(duration=int(what))
        else:
            await user.press(what)
        await user.expect(expected)


async def join_as_board(user: ChatUser, code: str, label: str) -> None:
    """A board member joins with their invite: expectations, their role label ("A
    clinician"), consent, then the suggested answers."""
    await user.send(f"/start {code}")
    await user.expect("You're joining as a board member", timeout=15)
    for press, expected in (
        ("I agree", "How should partners know you?"),
        (label, "May I keep what you tell me"),
        ("Yes, that's fine", "What would you like me to call you?"),
        (f"Call me {user.first_name}", "Which time zone"),
        ("UK time", "When should I stay quiet?"),
        ("9pm to 8am (suggested)", "You're set up as a board member"),
    ):
        await user.press(press)
        await user.expect(expected)
