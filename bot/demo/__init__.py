"""`tandem demo`: the sandbox, a seeded demo programme and the real bot, in one process.

runner.py   ports, the data folder, start and stop
clock.py    the demo's own clock: the real pace, from a daytime hour
seed.py     the demo cohort, its people (joined through the real chat) and its tools
joining.py  how each of them joins, and what partners do next, scripted through the chat
history.py  two past board meetings with reflections, questions and outcomes
story.py    what happened at them: who wrote what, and when
coproduction.py        agenda items, measures and their ratings, board learnings (issue 17)
coproduction_story.py  what partners and board members did together, and when
growth_book.py         one-to-one briefings: Margaret's times next week, one booked (issue 18)
"""

from bot.demo.runner import DemoError, DemoOptions, default_folder_hint, run_demo

__all__ = ["DemoError", "DemoOptions", "default_folder_hint", "run_demo"]
