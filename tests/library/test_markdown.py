"""Briefing Markdown to Telegram HTML: rendering, pages and message-sized chunks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.library.markdown import (
    Section,
    render_markdown,
    split_message,
    split_sections,
    visible_length,
)
from bot.library.paths import CONTENT_DIR
from bot.sandbox.telegram_html import HtmlParseError, parse_html

BRIEFINGS = sorted((CONTENT_DIR / "briefings").glob("*.md"))
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def telegram_text(html: str) -> str:
    """The text Telegram would show, or a failed test if Telegram would refuse the HTML."""
    try:
        text, _ = parse_html(html)
    except HtmlParseError as error:
        pytest.fail(f"Telegram would refuse {html!r}: {error.description}")
    return text


def body_of(path: Path) -> tuple[str, int]:
    """A briefing's Markdown body and the file line it starts on."""
    text = path.read_text(encoding="utf-8")
    front = FRONT_MATTER.match(text)
    assert front is not None, path
    return text[front.end() :], front.group().count("\n") + 1


# ------------------------------------------------------------------------- real briefings


@pytest.mark.parametrize("path", BRIEFINGS, ids=[path.stem for path in BRIEFINGS])
def test_every_briefing_page_is_html_telegram_accepts(path: Path) -> None:
    assert len(BRIEFINGS) >= 10
    body, first_line = body_of(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    sections = split_sections(body, first_line=first_line)
    assert 3 <= len(sections) <= 6
    for section in sections:
        assert section.title is not None
        assert lines[section.line - 1] == f"## {section.title}"
        page = render_markdown(f"## {section.title}\n\n{section.markdown}")
        assert page.startswith(f"<b>{section.title}</b>\n\n")
        text = telegram_text(page)
        assert visible_length(page) <= 4096
        assert "**" not in text
        assert "](" not in text
        assert split_message(page) == [page]


# ------------------------------------------------------------------------------ rendering


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    source = "First line\ncontinues here.\n\n\n\nSecond paragraph.  \nAfter a hard break."
    assert render_markdown(source) == (
        "First line continues here.\n\nSecond paragraph.\nAfter a hard break."
    )


def test_inline_formatting() -> None:
    source = "**bold** __bold__ *italic* _italic_ `code` ***both***"
    assert render_markdown(source) == (
        "<b>bold</b> <b>bold</b> <i>italic</i> <i>italic</i> <code>code</code> <i><b>both</b></i>"
    )


def test_headings_of_every_level_are_bold_lines_without_nested_bold() -> None:
    source = "# One\n\n## Two **loud**\n\n#### Four _soft_\n\nText."
    assert render_markdown(source) == (
        "<b>One</b>\n\n<b>Two loud</b>\n\n<b>Four <i>soft</i></b>\n\nText."
    )


def test_blockquotes_rules_and_code() -> None:
    source = "> Quoted\n> > inner\n\n---\n\nAfter.\n\n```\nx < 1 && y\n## not a heading\n```"
    assert render_markdown(source) == (
        "<blockquote>Quoted\n\ninner</blockquote>\n\nAfter.\n\n"
        "<pre>x &lt; 1 &amp;&amp; y\n## not a heading</pre>"
    )


def test_bullet_and_nested_lists() -> None:
    source = "- one\n- two\n  - two a\n    - deeper\n  - two b\n- three  \n  continued"
    assert render_markdown(source) == (
        "• one\n• two\n  • two a\n    • deeper\n  • two b\n• three\n  continued"
    )


def test_ordered_lists_count_from_their_start() -> None:
    assert render_markdown("1. one\n1. two\n1. three") == "1. one\n2. two\n3. three"
    assert render_markdown("7. seven\n8. eight\n   - inside") == "7. seven\n8. eight\n  • inside"


def test_loose_lists_stay_compact_and_a_list_follows_a_paragraph() -> None:
    source = "Steps:\n\n- first\n\n- second\n\n  more about second\n\nDone."
    assert render_markdown(source) == "Steps:\n\n• first\n• second\n  more about second\n\nDone."


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<b onclick='x()'>bold?</b>",
        '<a href="https://evil.example">click</a>',
        "Text with <i>inline</i> tags and <br> breaks.",
        "<div>\n**block**\n</div>",
        "<!-- comment -->",
        "<tg-spoiler>secret</tg-spoiler>",
    ],
)
def test_raw_html_is_shown_as_text_never_obeyed(source: str) -> None:
    html = render_markdown(source)
    assert "<" not in re.sub(r"</?(b|i|code)>", "", html)
    text = telegram_text(html)
    for tag in re.findall(r"</?[a-z][^>]*>", source):
        assert tag in text


def test_special_characters_are_escaped() -> None:
    html = render_markdown('Fish & chips < 5 > 3 "quoted" &amp; &copy; AT&T')
    assert html == 'Fish &amp; chips &lt; 5 &gt; 3 "quoted" &amp; © AT&amp;T'
    assert telegram_text(html) == 'Fish & chips < 5 > 3 "quoted" & © AT&T'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[NHS](https://www.nhs.uk)", '<a href="https://www.nhs.uk">NHS</a>'),
        ("[plain](http://example.com/a)", '<a href="http://example.com/a">plain</a>'),
        ("[mail us](mailto:team@example.org)", '<a href="mailto:team@example.org">mail us</a>'),
        ("<https://example.com>", '<a href="https://example.com">https://example.com</a>'),
        ("[**bold** link](https://x.example)", '<a href="https://x.example"><b>bold</b> link</a>'),
        ("[bad](javascript:alert(1))", "bad"),
        ("[bad](JavaScript:alert(1))", "bad"),
        ("[data](data:text/html;base64,PHNjcmlwdD4=)", "data"),
        ("[file](file:///etc/passwd)", "file"),
        ("[ftp](ftp://example.com)", "ftp"),
        ("[tg](tg://resolve?domain=x)", "tg"),
        ("[relative](page.html)", "relative"),
        ("[no host](https://)", "no host"),
        ("![a picture](https://example.com/p.png)", "a picture"),
    ],
)
def test_only_web_and_mail_links_become_links(source: str, expected: str) -> None:
    html = render_markdown(source)
    assert html == expected
    telegram_text(html)


def test_link_targets_are_escaped_inside_the_attribute() -> None:
    html = render_markdown('[q](https://example.com/?a=1&b="2"&c=<3>)')
    assert html == '<a href="https://example.com/?a=1&amp;b=%222%22&amp;c=%3C3%3E">q</a>'
    _, entities = parse_html(html)
    assert entities[0]["url"] == "https://example.com/?a=1&b=%222%22&c=%3C3%3E"
    titled = render_markdown('[t](<https://example.com/a"b> "title")')
    assert titled == '<a href="https://example.com/a%22b">t</a>'


@pytest.mark.parametrize(
    "source",
    [
        "**unclosed bold",
        "*a **b* c**",
        "_a *b_ c*",
        "[link **text](https://x.example) more**",
        "`code **not bold**`",
        "> quote with **bold\n\ncontinues**",
        "- item <b>\n- item </b>",
        "& &amp &#0; &#x110000; &#55357; < > \\<b\\>",
        "1) one\n2) two\n\n+ plus\n* star",
        "Title\n=====\n\nSub\n---",
        "    indented code <b>",
        "",
        "   \n\n  ",
        "---\n***\n___",
        "- \n-\n  - ",
        "> - a\n>   1. b\n> ```\n> code\n> ```",
        "[ref][1]\n\n[1]: https://example.com/ref",
        "Emoji 😀 and 👍🏽 and &#128512;",
    ],
)
def test_awkward_markdown_still_gives_html_telegram_accepts(source: str) -> None:
    telegram_text(render_markdown(source))


# ------------------------------------------------------------------------------- sections


def test_sections_split_at_level_two_headings_with_file_lines() -> None:
    body = (
        "\n"
        "Intro text\n"
        "over two lines.\n"
        "\n"
        "## First page\n"
        "\n"
        "Body one.\n"
        "\n"
        "### A smaller heading\n"
        "\n"
        "```\n"
        "## inside a fence\n"
        "```\n"
        "\n"
        "## Second **page** ##\n"
        "Body two.\n"
        "\n"
        "## Empty page\n"
    )
    assert split_sections(body, first_line=10) == [
        Section(None, "Intro text\nover two lines.", 11),
        Section(
            "First page",
            "Body one.\n\n### A smaller heading\n\n```\n## inside a fence\n```",
            14,
        ),
        Section("Second **page**", "Body two.", 24),
        Section("Empty page", "", 27),
    ]


def test_blank_text_before_the_first_heading_is_not_a_section() -> None:
    sections = split_sections("\n  \n## Only\nText.\n")
    assert sections == [Section("Only", "Text.", 3)]


def test_headings_inside_quotes_and_lists_do_not_split() -> None:
    sections = split_sections("## Page\n\n> ## quoted\n\n- ## listed\n")
    assert [section.title for section in sections] == ["Page"]
    assert split_sections("No headings at all.\n\nJust text.") == [
        Section(None, "No headings at all.\n\nJust text.", 1)
    ]
    assert split_sections("") == []


def test_windows_line_endings_keep_line_numbers() -> None:
    sections = split_sections("Intro\r\n\r\n## One\r\nText\r\n\r\n## Two\r\nMore\r\n")
    assert [(s.title, s.line, s.markdown) for s in sections] == [
        (None, 1, "Intro"),
        ("One", 3, "Text"),
        ("Two", 6, "More"),
    ]


# -------------------------------------------------------------------------------- lengths


@pytest.mark.parametrize(
    ("html", "length"),
    [
        ("", 0),
        ("plain", 5),
        ('<b>bold</b> <a href="https://x.example/?a=1&amp;b">link</a>', 9),
        ("&lt;&gt;&amp;&quot;", 4),
        ("&#128512;&#x1F600;", 4),
        ("😀", 2),
        ("👍🏽", 4),
        ("é", 1),
        ("e\u0301", 2),
        ("a & b", 5),
        ("&unknown;", 9),
    ],
)
def test_visible_length_counts_utf16_units_of_the_text(html: str, length: int) -> None:
    assert visible_length(html) == length
    text = telegram_text(html)
    assert len(text.encode("utf-16-le")) // 2 == length


# ------------------------------------------------------------------------------- chunking


def check_chunks(html: str, limit: int) -> list[str]:
    """Split, and check what every caller relies on; returns the chunks."""
    chunks = split_message(html, limit)
    assert chunks
    for chunk in chunks:
        text = telegram_text(chunk)
        assert text.strip()
        assert visible_length(chunk) <= limit
        assert chunk == chunk.strip("\n")
        assert not text.startswith("\n")
        assert not text.endswith(("\n", " "))
    shown = "".join("".join(telegram_text(chunk).split()) for chunk in chunks)
    assert shown == "".join(telegram_text(html).split())
    return chunks


def test_a_short_message_is_left_alone() -> None:
    html = "<b>Title</b>\n\nA line."
    assert split_message(html) == [html]
    assert split_message("\n\n" + html + "\n\n") == [html]
    assert split_message("") == []
    assert split_message(" \n\n <b></b> ") == []


def test_long_text_splits_between_paragraphs() -> None:
    paragraphs = [f"Paragraph {n}. " + "Words go here. " * 40 for n in range(12)]
    html = "\n\n".join(paragraph.strip() for paragraph in paragraphs)
    chunks = check_chunks(html, 4096)
    assert len(chunks) == 2
    for chunk in chunks:
        assert chunk.startswith("Paragraph ")
        assert chunk.endswith("Words go here.")


def test_a_stub_is_not_left_behind_a_heading() -> None:
    html = "<b>Heading</b>\n\n" + "A sentence that goes on. " * 300
    chunks = check_chunks(html, 4096)
    assert chunks[0].startswith("<b>Heading</b>\n\nA sentence")
    assert visible_length(chunks[0]) > 4000


def test_lines_are_the_next_choice_then_sentences_then_spaces() -> None:
    lines = "\n".join(f"Line {n} is here" for n in range(10))
    assert check_chunks(lines, 40)[0] == "Line 0 is here\nLine 1 is here"
    sentences = "One two three. Four five six. Seven eight nine. Ten."
    assert check_chunks(sentences, 32) == [
        "One two three. Four five six.",
        "Seven eight nine. Ten.",
    ]
    words = "alpha beta gamma delta epsilon zeta eta theta"
    assert check_chunks(words, 20) == ["alpha beta gamma", "delta epsilon zeta", "eta theta"]


def test_a_single_long_line_with_no_spaces_is_cut_hard() -> None:
    html = "x" * 9000
    chunks = check_chunks(html, 4096)
    assert [len(chunk) for chunk in chunks] == [4096, 4096, 808]


def test_emoji_count_as_two_and_are_never_split() -> None:
    chunks = check_chunks("😀" * 3000, 4096)
    assert [len(chunk) for chunk in chunks] == [2048, 952]
    family, thumbs, england = "👨‍👩‍👧", "👍🏽", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"
    whole = re.compile("(?:" + "|".join(map(re.escape, (family, thumbs, england))) + ")+")
    for chunk in check_chunks((family + thumbs + england) * 50, 30):
        assert whole.fullmatch(chunk), chunk
    words = " ".join(["😀😀"] * 3000)
    assert all(visible_length(chunk) <= 4096 for chunk in check_chunks(words, 4096))


def test_entities_are_never_cut() -> None:
    html = "&amp;&lt;&gt;&quot;" * 30
    chunks = check_chunks(html, 25)
    assert all(re.fullmatch(r"(&amp;|&lt;|&gt;|&quot;)+", chunk) for chunk in chunks)
    assert [visible_length(chunk) for chunk in chunks] == [25, 25, 25, 25, 20]


def test_tags_spanning_a_cut_are_closed_and_reopened() -> None:
    html = '<b>Bold <a href="https://example.com/?a=1&amp;b=2">' + "link words " * 30 + "</a></b>"
    chunks = check_chunks(html, 100)
    assert len(chunks) >= 3
    opening = '<b><a href="https://example.com/?a=1&amp;b=2">'
    for chunk in chunks:
        assert chunk.endswith("</a></b>")
        if chunk is not chunks[0]:
            assert chunk.startswith(opening)
        _, entities = parse_html(chunk)
        assert {entity["type"] for entity in entities} == {"bold", "text_link"}
        links = [entity for entity in entities if entity["type"] == "text_link"]
        assert [link["url"] for link in links] == ["https://example.com/?a=1&b=2"]


def test_rendered_briefing_markup_survives_splitting() -> None:
    source = "\n\n".join(
        f"## Part {n}\n\n> A **quote** that _runs_ on. "
        + "More words here. " * 20
        + f"\n\n- item `{n}`\n  - nested [link](https://example.com/{n})"
        for n in range(20)
    )
    html = render_markdown(source)
    assert visible_length(html) > 7000
    for chunk in check_chunks(html, 1000):
        assert chunk.count("<blockquote>") == chunk.count("</blockquote>")


def test_hard_cuts_inside_tags_and_no_empty_tag_pairs() -> None:
    assert check_chunks("<b>" + "x" * 25 + "</b>", 10) == ["<b>xxxxxxxxxx</b>"] * 2 + [
        "<b>xxxxx</b>"
    ]
    assert check_chunks("aaaa <b>bbbb</b> <i>cccc</i>", 5) == ["aaaa", "<b>bbbb</b>", "<i>cccc</i>"]


def test_limits_below_two_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        split_message("text", 1)
