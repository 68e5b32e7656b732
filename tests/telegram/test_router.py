"""The router's choice of worker: by conversation, stable, and every kind of update has one."""

from __future__ import annotations

from collections import Counter

from bot.telegram.router import chat_key, worker_for

USER = {"id": 4242, "is_bot": False, "first_name": "Amina"}
CHAT = {"id": 4242, "type": "private"}


def test_every_kind_of_update_tandem_asks_for_belongs_to_its_chat() -> None:
    message = {"message_id": 7, "chat": CHAT, "from": USER, "date": 0, "text": "hi"}
    assert chat_key({"update_id": 1, "message": message}) == 4242
    assert chat_key({"update_id": 2, "edited_message": message}) == 4242
    tap = {"id": "q", "from": USER, "message": message, "data": "help"}
    assert chat_key({"update_id": 3, "callback_query": tap}) == 4242
    old_button = {"id": "q", "from": USER, "inline_message_id": "x", "data": "help"}
    assert chat_key({"update_id": 4, "callback_query": old_button}) == 4242
    member = {"chat": CHAT, "from": USER, "date": 0}
    assert chat_key({"update_id": 5, "my_chat_member": member}) == 4242
    assert chat_key({"update_id": 6}) == 0  # nothing to go by: the first worker


def test_a_chat_always_goes_to_the_same_worker_and_chats_spread_over_them() -> None:
    assert worker_for(4242, 3) == worker_for(4242, 3)
    spread = Counter(worker_for(chat, 3) for chat in range(1_000_000, 1_003_000))
    assert set(spread) == {0, 1, 2}
    assert min(spread.values()) > 800  # about a third each
    assert worker_for(-100123456, 2) in (0, 1)  # group chats have negative ids
