"""Telegram's HTML parse mode, entity rendering and the text pipeline (no server)."""

from __future__ import annotations

import pytest

from bot.sandbox.browser_html import entities_to_html
from bot.sandbox.common import ApiError
from bot.sandbox.entities import format_text
from bot.sandbox.telegram_html import HtmlParseError, parse_html
from bot.sandbox.textutil import Utf16Index, utf16_len


def bold(offset: int, length: int) -> dict[str, object]:
    return {"offset": offset, "length": length, "type": "bold"}


def test_plain_text_has_no_entities() -> None:
    assert parse_html("just text") == ("just text", [])


def test_nested_tags_give_outer_entity_first() -> None:
    text, entities = parse_html("<b>bold <i>both</i></b> <u>u</u> <s>s</s>")
    assert text == "bold both u s"
    assert entities == [
        bold(0, 9),
        {"offset": 5, "length": 4, "type": "italic"},
        {"offset": 10, "length": 1, "type": "underline"},
        {"offset": 12, "length": 1, "type": "strikethrough"},
    ]


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("strong", "bold"),
        ("em", "italic"),
        ("ins", "underline"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("B", "bold"),
    ],
)
def test_tag_aliases(tag: str, kind: str) -> None:
    assert parse_html(f"<{tag}>x</{tag}>")[1] == [{"offset": 0, "length": 1, "type": kind}]


def test_offsets_are_utf16_code_units() -> None:
    text, entities = parse_html("👋 é <b>Hi 😀</b> <i>x</i>")
    assert text == "👋 é Hi 😀 x"
    # 👋 and 😀 are two UTF-16 code units each; é is one.
    assert entities == [bold(5, 5), {"offset": 11, "length": 1, "type": "italic"}]
    assert utf16_len(text) == 12


def test_character_references() -> None:
    text, _ = parse_html("&lt;b&gt; &amp; &quot;q&quot; &#39;a&#x27; &#128512; &nbsp; &copy;")
    assert text == "<b> & \"q\" 'a' 😀 &nbsp; &copy;"


def test_semicolon_is_optional_but_names_must_be_exact() -> None:
    assert parse_html("a &lt b &ltb &LT")[0] == "a < b &ltb &LT"


def test_surrogate_pairs_from_references_combine() -> None:
    assert parse_html("&#xD83D;&#xDE00;")[0] == "😀"
    with pytest.raises(HtmlParseError, match="unmatched surrogate"):
        parse_html("&#xD83D;")


def test_pre_with_language_and_code_class_outside_pre() -> None:
    html = (
        '<pre><code class="language-python">x = 1</code></pre> <code class="language-go">y</code>'
    )
    text, entities = parse_html(html)
    assert text == "x = 1 y"
    assert entities == [
        {"offset": 0, "length": 5, "type": "pre", "language": "python"},
        {"offset": 6, "length": 1, "type": "code"},
    ]


def test_unquoted_attribute_values_are_name_tokens() -> None:
    assert parse_html("<pre><code class=language-Rust>fn</code></pre>")[1] == [
        {"offset": 0, "length": 2, "type": "pre", "language": "rust"}
    ]


def test_links() -> None:
    html = (
        '<a href="https://nhs.uk/a?b=1&amp;c=2">nhs</a> <a href="example.org">ex</a> '
        '<a href="javascript:alert(1)">bad</a> <a>https://t.me/x</a>'
    )
    text, entities = parse_html(html)
    assert text == "nhs ex bad https://t.me/x"
    assert entities == [
        {"offset": 0, "length": 3, "type": "text_link", "url": "https://nhs.uk/a?b=1&c=2"},
        {"offset": 4, "length": 2, "type": "text_link", "url": "http://example.org"},
        {"offset": 11, "length": 14, "type": "text_link", "url": "https://t.me/x"},
    ]


def test_spoiler_span_blockquotes_and_custom_emoji() -> None:
    html = (
        '<span class="tg-spoiler">s</span><blockquote>q</blockquote>'
        "<blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parse_html(html)[1] == [
        {"offset": 0, "length": 1, "type": "spoiler"},
        {"offset": 1, "length": 1, "type": "blockquote"},
        {"offset": 2, "length": 1, "type": "expandable_blockquote"},
        {
            "offset": 3,
            "length": 2,
            "type": "custom_emoji",
            "custom_emoji_id": "5368324170671202286",
        },
    ]


def test_empty_tags_make_no_entity_and_bare_end_tag_closes_the_current_one() -> None:
    assert parse_html("<b></b>x<i>y</>") == ("xy", [{"offset": 1, "length": 1, "type": "italic"}])


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("Hello<div>x</div>", 'Unsupported start tag "div" at byte offset 5'),
        ("é😀<br/>", 'Unsupported start tag "br/" at byte offset 6'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("ok <b", "Unclosed start tag at byte offset 3"),
        ("<a href='x'", "Unclosed start tag at byte offset 0"),
        ("<a href=", 'Unclosed start tag "a" at byte offset 0'),
        ("hi </b>", "Unexpected end tag at byte offset 3"),
        ("<b>é</i>", 'Unmatched end tag at byte offset 5, expected "</b>", found "</i>"'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ('x <a href="y"/>z</a>', 'Empty attribute name in the tag "a" at byte offset 2'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<code class=a:b>x</code>", "Unexpected end of name token at byte offset 12"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_errors_use_telegrams_wording_and_utf8_byte_offsets(html: str, description: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(html)
    assert caught.value.description == description


def test_entities_to_html_escapes_text_and_unsafe_links() -> None:
    text = "<script>alert('x')</script> click"
    entities = [{"offset": 28, "length": 5, "type": "text_link", "url": "javascript:alert(1)"}]
    assert entities_to_html(text, entities) == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; click"
    )


def test_entities_to_html_round_trips_parsed_html_with_emoji() -> None:
    html = '👋 <b>Hi <i>😀 there</i></b>\n<a href="https://nhs.uk">NHS</a>'
    assert entities_to_html(*parse_html(html)) == (
        '👋 <b>Hi <i>😀 there</i></b><br><a href="https://nhs.uk" rel="noopener noreferrer">NHS</a>'
    )


def test_entities_to_html_nests_overlapping_entities_and_keeps_pre_newlines() -> None:
    entities = [bold(0, 4), {"offset": 2, "length": 4, "type": "italic"}]
    assert entities_to_html("abcdef", entities) == "<b>ab<i>cd</i></b><i>ef</i>"
    pre = [{"offset": 0, "length": 3, "type": "pre", "language": "py"}]
    assert entities_to_html("a\nb", pre) == '<pre><code class="language-py">a\nb</code></pre>'


def test_utf16_index_maps_both_ways() -> None:
    index = Utf16Index("a😀b")
    assert [index.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert [index.to_index(o) for o in (0, 1, 3, 4)] == [0, 1, 2, 3]


def test_format_text_trims_and_shifts_entities() -> None:
    assert format_text("\n  hi <b>there</b>  \n", "HTML", None) == ("hi there", [bold(3, 5)])
    assert format_text(" \n ", None, None) == ("", [])


def test_format_text_keeps_leading_spaces_inside_the_first_entity() -> None:
    assert format_text("<b>  x</b>", "html", None) == ("  x", [bold(0, 3)])


def test_format_text_merges_adjacent_formatting_and_splits_it_around_links() -> None:
    assert format_text("<b>a</b><b>b</b>", "HTML", None)[1] == [bold(0, 2)]
    html = '<b>x <a href="https://e.org">y</a> z</b>'
    assert format_text(html, "HTML", None)[1] == [
        bold(0, 2),
        {"offset": 2, "length": 1, "type": "text_link", "url": "https://e.org"},
        bold(2, 1),
        bold(3, 2),
    ]


def test_format_text_drops_code_inside_pre() -> None:
    assert format_text("<pre><code>x</code></pre>", "HTML", None)[1] == [
        {"offset": 0, "length": 1, "type": "pre"}
    ]


def test_format_text_detects_commands_urls_mentions_and_hashtags() -> None:
    text = "/start@tandem_test_bot see https://nhs.uk/x. @amina61 #codesign a/b <code>/no</code>"
    body, entities = format_text(text, "HTML", None)
    assert body.endswith("a/b /no")
    found = {(e["type"], body[e["offset"] : e["offset"] + e["length"]]) for e in entities}
    assert found == {
        ("bot_command", "/start@tandem_test_bot"),
        ("url", "https://nhs.uk/x"),
        ("mention", "@amina61"),
        ("hashtag", "#codesign"),
        ("code", "/no"),
    }


def test_format_text_with_explicit_entities_ignores_parse_mode() -> None:
    assert format_text("<b>x</b>", "HTML", [bold(0, 3)]) == ("<b>x</b>", [bold(0, 3)])


def test_format_text_rejects_other_parse_modes_and_bad_html() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("*x*", "MarkdownV2", None)
    with pytest.raises(ApiError) as caught:
        format_text("<p>x</p>", "HTML", None)
    assert caught.value.description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 0'
    )
