"""reply_markup validation as Telegram applies it, and inline-button lookup for presses."""

from __future__ import annotations

from typing import Any

from bot.sandbox.common import JSONDict, bad_request

_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_URL_SCHEMES = ("http://", "https://", "tg://")


def _markup_error() -> Exception:
    return bad_request("can't parse reply keyboard markup JSON object")


def parse_reply_markup(value: Any) -> JSONDict | None:
    """Validate and normalise a reply_markup value; None means "no markup"."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _markup_error()
    if "inline_keyboard" in value:
        return _inline_keyboard(value["inline_keyboard"])
    if "keyboard" in value:
        return _reply_keyboard(value)
    if value.get("remove_keyboard") is True:
        return {k: v for k, v in value.items() if k in ("remove_keyboard", "selective")}
    if value.get("force_reply") is True:
        allowed = ("force_reply", "input_field_placeholder", "selective")
        return {k: v for k, v in value.items() if k in allowed}
    raise _markup_error()


def _rows(value: Any, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'can\'t parse {what}: field "{what}" must be an Array of Arrays')
    return value


def _inline_keyboard(value: Any) -> JSONDict | None:
    rows = [[_inline_button(b) for b in row] for row in _rows(value, "inline_keyboard") if row]
    return {"inline_keyboard": rows} if rows else None


def _inline_button(button: Any) -> JSONDict:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = [name for name in _ACTIONS if button.get(name) is not None]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    action = actions[0]
    payload = button[action]
    if action == "callback_data" and not (
        isinstance(payload, str) and 1 <= len(payload.encode("utf-8")) <= 64
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    if action == "url" and not _plausible_url(payload):
        raise bad_request("BUTTON_URL_INVALID")
    if action == "copy_text" and not (
        isinstance(payload, dict) and isinstance(payload.get("text"), str) and payload["text"]
    ):
        raise bad_request("can't parse inline keyboard button: copy_text must have text")
    return {"text": text, action: payload}


def _plausible_url(url: Any) -> bool:
    if not isinstance(url, str) or not url or any(c.isspace() for c in url):
        return False
    if url.lower().startswith(_URL_SCHEMES):
        return True
    return "://" not in url and "." in url.split("/", 1)[0]


def _reply_keyboard(value: JSONDict) -> JSONDict:
    rows: list[list[JSONDict]] = []
    for row in _rows(value["keyboard"], "keyboard"):
        buttons = []
        for button in row:
            normalized = {"text": button} if isinstance(button, str) else button
            if not isinstance(normalized, dict) or not str(normalized.get("text", "")).strip():
                raise bad_request("BUTTON_TEXT_EMPTY")
            buttons.append(normalized)
        if buttons:
            rows.append(buttons)
    if not rows:
        raise _markup_error()
    return {**value, "keyboard": rows}


def inline_buttons(markup: JSONDict | None) -> list[JSONDict]:
    """The inline buttons of a markup, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def find_button(markup: JSONDict | None, data: str | None, label: str | None) -> JSONDict | None:
    """An inline button by callback_data, else by exact label, else by label ignoring case."""
    buttons = inline_buttons(markup)
    if data is not None:
        for button in buttons:
            if button.get("callback_data") == data:
                return button
    if label is not None:
        for button in buttons:
            if button["text"] == label:
                return button
        wanted = label.strip().casefold()
        for button in buttons:
            if button["text"].strip().casefold() == wanted:
                return button
    return None
