"""Bot API methods about the bot itself: identity, updates, webhook, commands, settings."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.common import JSONDict, bad_request
from bot.sandbox.models import WebhookConfig
from bot.sandbox.params import Params
from bot.sandbox.registry import ApiCall, ApiReply, api_method
from bot.sandbox.updates import ALL_UPDATE_TYPES
from bot.sandbox.world import CommandKey, World

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_GLOBAL_SCOPES = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)
_GIFT_TYPES = {
    "unlimited_gifts": True,
    "limited_gifts": True,
    "unique_gifts": True,
    "premium_subscription": True,
    "gifts_from_channels": True,
}


@api_method("getMe")
async def get_me(call: ApiCall) -> JSONDict:
    """getMe."""
    return {
        **call.world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _allowed_updates(params: Params) -> list[str] | None:
    value = params.get_json("allowed_updates", "can't parse allowed updates JSON object")
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_request("can't parse allowed updates JSON object")
    return [kind for kind in value if isinstance(kind, str) and kind in ALL_UPDATE_TYPES]


@api_method("getUpdates")
async def get_updates(call: ApiCall) -> list[JSONDict]:
    """getUpdates: offset confirms, timeout long-polls, allowed_updates persists."""
    params = call.params
    offset = params.get_int("offset", 0) or 0
    limit = min(100, max(1, params.get_int("limit", 100) or 100))
    timeout = min(50.0, max(0.0, params.get_float("timeout", 0.0)))
    call.world.set_allowed_updates(_allowed_updates(params))
    updates = await call.world.get_updates(offset, limit, timeout)
    return [update.to_dict() for update in updates]


@api_method("setWebhook")
async def set_webhook(call: ApiCall) -> ApiReply:
    """setWebhook (plain http is accepted: the sandbox lives on loopback)."""
    params, world = call.params, call.world
    url = params.get_str("url") or ""
    if not url:
        return await _remove_webhook(call)
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get_str("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = _allowed_updates(params)
    world.set_allowed_updates(allowed)
    if params.get_bool("drop_pending_updates"):
        world.updates.drop_pending()
    previous = world.webhook
    config = WebhookConfig(
        url=url,
        secret_token=secret,
        max_connections=min(100, max(1, params.get_int("max_connections", 40) or 40)),
        allowed_updates=allowed
        if allowed is not None or previous is None
        else previous.allowed_updates,
        ip_address=params.get_str("ip_address"),
    )
    unchanged = previous is not None and (previous.url, previous.secret_token) == (url, secret)
    world.webhook = config
    world.terminate_poll("Conflict: terminated by setWebhook request")
    await call.webhooks.restart()
    return ApiReply(True, "Webhook is already set" if unchanged else "Webhook was set")


@api_method("deleteWebhook")
async def delete_webhook(call: ApiCall) -> ApiReply:
    """deleteWebhook."""
    return await _remove_webhook(call)


async def _remove_webhook(call: ApiCall) -> ApiReply:
    world = call.world
    if call.params.get_bool("drop_pending_updates"):
        world.updates.drop_pending()
    existed = world.webhook is not None
    world.webhook = None
    await call.webhooks.restart()
    return ApiReply(True, "Webhook was deleted" if existed else "Webhook is already deleted")


@api_method("getWebhookInfo")
async def get_webhook_info(call: ApiCall) -> JSONDict:
    """getWebhookInfo."""
    pending = len(call.world.updates)
    if call.world.webhook is None:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": pending}
    return call.world.webhook.info(pending)


def _scope_chat(world: World, value: Any) -> int:
    try:
        chat_id = int(value)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None
    if chat_id not in world.chats:
        raise bad_request("chat not found")
    return chat_id


def command_key(call: ApiCall) -> CommandKey:
    """The (scope, chat, user, language) key of a *MyCommands call."""
    params = call.params
    scope = params.get_json("scope", "can't parse BotCommandScope JSON object") or {
        "type": "default"
    }
    language = params.get_str("language_code") or ""
    if language and not _LANGUAGE.fullmatch(language):
        raise bad_request("invalid language code specified")
    kind = scope.get("type") if isinstance(scope, dict) else None
    if kind in _GLOBAL_SCOPES:
        return (str(kind), None, None, language)
    if kind in ("chat", "chat_administrators") and isinstance(scope, dict):
        return (str(kind), _scope_chat(call.world, scope.get("chat_id")), None, language)
    if kind == "chat_member" and isinstance(scope, dict):
        chat_id = _scope_chat(call.world, scope.get("chat_id"))
        user_id = scope.get("user_id")
        if not isinstance(user_id, int | str) or not str(user_id).lstrip("-").isdigit():
            raise bad_request("user not found")
        return ("chat_member", chat_id, int(user_id), language)
    raise bad_request("can't parse BotCommandScope: unsupported scope type")


def _commands(params: Params) -> list[JSONDict]:
    value = params.get_json("commands", "can't parse BotCommand array JSON object")
    if not isinstance(value, list):
        raise bad_request("can't parse BotCommand array JSON object")
    if len(value) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    commands = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand array JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append({"command": command, "description": description})
    return commands


@api_method("setMyCommands")
async def set_my_commands(call: ApiCall) -> bool:
    """setMyCommands."""
    commands = _commands(call.params)
    call.world.set_commands(command_key(call), commands)
    return True


@api_method("deleteMyCommands")
async def delete_my_commands(call: ApiCall) -> bool:
    """deleteMyCommands."""
    call.world.set_commands(command_key(call), [])
    return True


@api_method("getMyCommands")
async def get_my_commands(call: ApiCall) -> list[JSONDict]:
    """getMyCommands: exactly the list stored for that scope and language."""
    return list(call.world.commands.get(command_key(call), []))


@api_method("getChat")
async def get_chat(call: ApiCall) -> JSONDict:
    """getChat: a ChatFullInfo for a user who has talked to the bot."""
    chat = call.world.chats.get(call.params.chat_id())
    if chat is None or not chat.user.started:
        raise bad_request("chat not found")
    return {
        **chat.user.chat_dict(),
        "accent_color_id": chat.id % 7,
        "max_reaction_count": 11,
        "accepted_gift_types": dict(_GIFT_TYPES),
    }


@api_method("leaveChat")
async def leave_chat(call: ApiCall) -> bool:
    """leaveChat."""
    if call.params.chat_id() not in call.world.chats:
        raise bad_request("chat not found")
    return True


def _setting(call: ApiCall, field: str, limit: int) -> bool:
    value = call.params.get_str(field) or ""
    if len(value) > limit:
        raise bad_request(f"BOT_{field.upper()}_INVALID")
    language = call.params.get_str("language_code") or ""
    call.world.bot_settings[f"{field}:{language}" if language else field] = value
    return True


def _get_setting(call: ApiCall, field: str) -> JSONDict:
    language = call.params.get_str("language_code") or ""
    settings = call.world.bot_settings
    value = settings.get(f"{field}:{language}") if language else None
    return {field: value if value is not None else settings.get(field, "")}


@api_method("setMyDescription")
async def set_my_description(call: ApiCall) -> bool:
    """setMyDescription."""
    return _setting(call, "description", 512)


@api_method("getMyDescription")
async def get_my_description(call: ApiCall) -> JSONDict:
    """getMyDescription."""
    return _get_setting(call, "description")


@api_method("setMyShortDescription")
async def set_my_short_description(call: ApiCall) -> bool:
    """setMyShortDescription."""
    return _setting(call, "short_description", 120)


@api_method("getMyShortDescription")
async def get_my_short_description(call: ApiCall) -> JSONDict:
    """getMyShortDescription."""
    return _get_setting(call, "short_description")


@api_method("setChatMenuButton")
async def set_chat_menu_button(call: ApiCall) -> bool:
    """setChatMenuButton (per chat, or the default without chat_id)."""
    button = call.params.get_json("menu_button", "can't parse menu button JSON object")
    button = button if isinstance(button, dict) and button.get("type") else {"type": "default"}
    if call.params.raw("chat_id") is None:
        call.world.default_menu_button = button
        return True
    chat = call.world.chats.get(call.params.chat_id())
    if chat is None:
        raise bad_request("chat not found")
    chat.menu_button = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(call: ApiCall) -> JSONDict:
    """getChatMenuButton."""
    if call.params.raw("chat_id") is not None:
        chat = call.world.chats.get(call.params.chat_id())
        if chat is None:
            raise bad_request("chat not found")
        if chat.menu_button is not None:
            return chat.menu_button
    return call.world.default_menu_button


@api_method("logOut")
async def log_out(call: ApiCall) -> bool:
    """logOut."""
    return True


@api_method("close")
async def close(call: ApiCall) -> bool:
    """close."""
    return True
