"""How the forged-buttons scenario (test_forged_buttons.py) collects buttons: what a chat's
keyboards hold now, a command and its buttons, pressing deeper, and the answer to a press."""

from __future__ import annotations

from bot.sandbox import ChatUser
from bot.telegram import callbacks


async def keyboards(user: ChatUser) -> set[str]:
    """The callback data of every button on the bot's messages in this chat now."""
    found = set()
    for message in await user.bot_messages():
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        found |= {
            button["callback_data"] for row in rows for button in row if "callback_data" in button
        }
    return found


async def step(user: ChatUser, command: str, answer: str) -> set[str]:
    """Send a command, wait for its answer, and collect the chat's buttons."""
    await user.send(command)
    await user.expect(answer)
    return await keyboards(user)


async def deeper(user: ChatUser, found: set[str], *kinds: callbacks.Kind) -> set[str]:
    """Press a real button of each kind in turn, and collect the buttons that follow."""
    for kind in kinds:
        data = sorted(d for d in found if kind.parse(d) is not None)[0]
        await user.forge_press(data)  # the button's own data, as a tap sends it
        await answer_to_press(user, f"/zzdeeper{len(found)}")
        found = found | await keyboards(user)
    return found


async def answer_to_press(user: ChatUser, marker: str) -> str:
    """Everything said or toasted in answer to the last press (a marker command is answered
    after it, as each person's updates are handled in order)."""
    await user.send(marker)
    said = []
    while True:
        event = await user.next_event(types=("message", "edit", "callback_answer"), timeout=10.0)
        if event["type"] == "callback_answer":
            said.append(str((event.get("callback_answer") or {}).get("text") or ""))
            continue
        text = str(event["message"].get("text") or event["message"].get("caption") or "")
        if marker in text:
            return "\n".join(said)
        said.append(text)
