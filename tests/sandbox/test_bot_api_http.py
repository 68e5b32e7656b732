"""The Bot API over raw HTTP: URL shape, envelopes, body encodings and shared validation."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import ChatUser, SandboxClient, SandboxServer


def assert_error(response: httpx.Response, code: int, description: str) -> None:
    assert response.status_code == code
    assert response.json() == {"ok": False, "error_code": code, "description": description}


async def send(http: httpx.AsyncClient, **params: Any) -> httpx.Response:
    return await http.post("/sendMessage", json=params)


async def test_get_me_shape(http: httpx.AsyncClient) -> None:
    response = await http.get("/getMe")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "result": {
            "id": 123456,
            "is_bot": True,
            "first_name": "Tandem",
            "username": "tandem_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        },
    }


async def test_wrong_token_unknown_method_and_stray_paths(server: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert_error(await client.get("/bot123456:WRONG/getMe"), 401, "Unauthorized")
        assert_error(await client.post(f"/bot{TOKEN}/getMeNow"), 404, "Not Found")
        assert_error(await client.get("/favicon.ico"), 404, "Not Found")
        assert_error(await client.get(f"/file/bot{TOKEN}/documents/nope.txt"), 404, "Not Found")


async def test_method_names_are_case_insensitive(
    http: httpx.AsyncClient, amina: ChatUser, sandbox: SandboxClient
) -> None:
    assert (await http.get("/GETME")).json()["ok"] is True
    response = await http.post("/SENDmessage", json={"chat_id": amina.chat_id, "text": "hi"})
    assert response.json()["result"]["text"] == "hi"
    assert (await sandbox.stats())["requests"]["sendMessage"] == 1


async def test_form_bodies_with_json_encoded_values(
    http: httpx.AsyncClient, amina: ChatUser
) -> None:
    markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]}
    form = {
        "chat_id": str(amina.chat_id),
        "text": "Ready?",
        "reply_markup": json.dumps(markup),
        "protect_content": "true",
        "link_preview_options": json.dumps({"is_disabled": True}),
    }
    result = (await http.post("/sendMessage", data=form)).json()["result"]
    assert result["reply_markup"] == markup
    assert result["has_protected_content"] is True
    assert result["link_preview_options"] == {"is_disabled": True}
    assert result["chat"] == {
        "id": amina.chat_id,
        "first_name": "Amina",
        "last_name": "Khan",
        "username": "amina61",
        "type": "private",
    }
    assert result["from"]["is_bot"] is True


async def test_query_string_parameters(http: httpx.AsyncClient, amina: ChatUser) -> None:
    response = await http.get("/sendMessage", params={"chat_id": amina.chat_id, "text": "via GET"})
    assert response.json()["result"]["text"] == "via GET"


async def test_multipart_upload_keeps_bytes_name_and_type(
    http: httpx.AsyncClient, amina: ChatUser, sandbox: SandboxClient
) -> None:
    files = {"document": ("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")}
    data = {"chat_id": str(amina.chat_id), "caption": "<b>Minutes</b>", "parse_mode": "HTML"}
    result = (await http.post("/sendDocument", data=data, files=files)).json()["result"]
    document = result["document"]
    assert document["file_name"] == "minutes.pdf"
    assert document["mime_type"] == "application/pdf"
    assert document["file_size"] == 16
    assert result["caption_entities"] == [{"offset": 0, "length": 7, "type": "bold"}]
    assert await sandbox.download(document["file_id"]) == b"%PDF-1.4 minutes"


async def test_who_the_bot_may_write_to(http: httpx.AsyncClient, sandbox: SandboxClient) -> None:
    assert_error(await send(http, chat_id=42, text="x"), 400, "Bad Request: chat not found")
    assert_error(await send(http, chat_id="@amina61", text="x"), 400, "Bad Request: chat not found")
    quiet = await sandbox.create_user("Quiet")
    assert_error(
        await send(http, chat_id=quiet.chat_id, text="x"),
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    await quiet.send("hello")
    assert (await send(http, chat_id=quiet.chat_id, text="x")).status_code == 200
    await quiet.block()
    assert_error(
        await send(http, chat_id=quiet.chat_id, text="x"),
        403,
        "Forbidden: bot was blocked by the user",
    )
    await quiet.deactivate()
    assert_error(
        await send(http, chat_id=quiet.chat_id, text="x"), 403, "Forbidden: user is deactivated"
    )


async def test_text_must_be_non_empty_and_at_most_4096_utf16_units(
    http: httpx.AsyncClient, amina: ChatUser
) -> None:
    empty = "Bad Request: message text is empty"
    assert_error(await send(http, chat_id=amina.chat_id), 400, empty)
    assert_error(await send(http, chat_id=amina.chat_id, text=" \n "), 400, empty)
    assert_error(
        await send(http, chat_id=amina.chat_id, text="<b></b>", parse_mode="HTML"), 400, empty
    )
    assert (await send(http, chat_id=amina.chat_id, text="😀" * 2048)).status_code == 200
    too_long = await send(http, chat_id=amina.chat_id, text="😀" * 2049)
    assert_error(too_long, 400, "Bad Request: message is too long")
    tagged = "<b>" + "a" * 4096 + "</b>"
    assert (await send(http, chat_id=amina.chat_id, text=tagged, parse_mode="HTML")).is_success


async def test_html_errors_and_parse_modes(http: httpx.AsyncClient, amina: ChatUser) -> None:
    response = await send(http, chat_id=amina.chat_id, text="Hello<div>", parse_mode="HTML")
    assert_error(
        response,
        400,
        'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 5',
    )
    response = await send(http, chat_id=amina.chat_id, text="*x*", parse_mode="MarkdownV2")
    assert_error(response, 400, "Bad Request: unsupported parse_mode")


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ({"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "", "callback_data": "x"}]]}, "BUTTON_TEXT_EMPTY"),
        ({"inline_keyboard": [[{"callback_data": "x"}]]}, "BUTTON_TEXT_EMPTY"),
        ({"inline_keyboard": [[{"text": "x", "url": "not a url"}]]}, "BUTTON_URL_INVALID"),
        (
            {"inline_keyboard": [[{"text": "x"}]]},
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ),
        ({"buttons": []}, "can't parse reply keyboard markup JSON object"),
        ("not json", "can't parse reply keyboard markup JSON object"),
    ],
)
async def test_reply_markup_validation(
    http: httpx.AsyncClient, amina: ChatUser, markup: Any, description: str
) -> None:
    value = markup if isinstance(markup, str) else json.dumps(markup)
    form = {"chat_id": str(amina.chat_id), "text": "x", "reply_markup": value}
    assert_error(await http.post("/sendMessage", data=form), 400, f"Bad Request: {description}")


async def test_callback_data_limit_is_in_utf8_bytes(
    http: httpx.AsyncClient, amina: ChatUser
) -> None:
    ok = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32}]]}
    too_long = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 33}]]}
    assert (await send(http, chat_id=amina.chat_id, text="x", reply_markup=ok)).is_success
    response = await send(http, chat_id=amina.chat_id, text="x", reply_markup=too_long)
    assert_error(response, 400, "Bad Request: BUTTON_DATA_INVALID")


async def test_reply_keyboards_are_stored_but_not_returned(
    http: httpx.AsyncClient, amina: ChatUser
) -> None:
    keyboard = {"keyboard": [["Yes", {"text": "No"}]], "resize_keyboard": True}
    result = (await send(http, chat_id=amina.chat_id, text="Pick", reply_markup=keyboard)).json()
    assert "reply_markup" not in result["result"]
    snapshot = (await amina.messages())[-1]
    assert snapshot["reply_markup"] == {
        "keyboard": [[{"text": "Yes"}, {"text": "No"}]],
        "resize_keyboard": True,
    }
    removed = await send(
        http, chat_id=amina.chat_id, text="ok", reply_markup={"remove_keyboard": True}
    )
    assert removed.is_success


async def test_reply_parameters(http: httpx.AsyncClient, amina: ChatUser) -> None:
    first = (await send(http, chat_id=amina.chat_id, text="first")).json()["result"]
    reply = await send(
        http,
        chat_id=amina.chat_id,
        text="second",
        reply_parameters={"message_id": first["message_id"]},
    )
    assert reply.json()["result"]["reply_to_message"]["text"] == "first"
    missing = await send(
        http, chat_id=amina.chat_id, text="x", reply_parameters={"message_id": 999}
    )
    assert_error(missing, 400, "Bad Request: message to be replied not found")
    lenient = await send(
        http,
        chat_id=amina.chat_id,
        text="x",
        reply_parameters={"message_id": 999, "allow_sending_without_reply": True},
    )
    assert "reply_to_message" not in lenient.json()["result"]


async def test_unknown_chat_action_and_file_id(http: httpx.AsyncClient, amina: ChatUser) -> None:
    response = await http.post(
        "/sendChatAction", json={"chat_id": amina.chat_id, "action": "dance"}
    )
    assert_error(response, 400, "Bad Request: wrong parameter action in request")
    assert_error(
        await http.post("/getFile", json={"file_id": "nope"}), 400, "Bad Request: invalid file_id"
    )


async def test_set_webhook_replies_carry_a_description(http: httpx.AsyncClient) -> None:
    first = (await http.post("/setWebhook", json={"url": "http://127.0.0.1:9/hook"})).json()
    again = (await http.post("/setWebhook", json={"url": "http://127.0.0.1:9/hook"})).json()
    deleted = (await http.post("/deleteWebhook")).json()
    assert first == {"ok": True, "result": True, "description": "Webhook was set"}
    assert again["description"] == "Webhook is already set"
    assert deleted["description"] == "Webhook was deleted"
    assert (await http.post("/deleteWebhook")).json()["description"] == "Webhook is already deleted"
    bad = await http.post("/setWebhook", json={"url": "ftp://x"})
    assert_error(bad, 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
