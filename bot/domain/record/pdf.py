"""A partner's record of contribution as a PDF (issue 18), set with fpdf2 in DejaVu Sans
(bundled in bot/shipped/fonts under its free licence), so any name or language the font
covers prints, "Zoë" included. Every word comes from prompts/messages.yaml (record.pdf.*
and record.lines.*); this module only lays them out."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.domain.record.builder import Record
from bot.domain.record.sections import RecordLine
from bot.library import languages
from bot.library.messages import Texts

FONTS = Path(__file__).resolve().parents[2] / "shipped" / "fonts"
FAMILY = "DejaVu"
ACCENT = (0, 94, 184)  # NHS blue, for headings
MUTED = (66, 84, 98)
_TAGS = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A rendered message as plain text: no tags, no HTML entities."""
    return html.unescape(_TAGS.sub("", text)).strip()


class _Document(FPDF):
    """A4 pages with a footer: the partner's name and the page number."""

    footer_text = ""
    # Right-to-left languages (Arabic) are shaped by HarfBuzz: letters joined, runs in order,
    # lines set from the right. fpdf2 cannot shape the page total ({nb}), so it is left out.
    right_to_left = False

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        total = "" if self.right_to_left else "/{nb}"
        self.cell(0, 6, f"{self.footer_text}  ·  {self.page_no()}{total}", align="C")


def _new_document(record: Record, texts: Texts) -> _Document:
    pdf = _Document(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    title = plain(texts.render("record.pdf.title"))
    pdf.set_title(f"{title}: {record.name}")
    pdf.set_author(record.name)
    pdf.set_creator("Tandem")
    pdf.footer_text = f"{title}: {record.name}"
    spoken = texts.languages.get(languages.current())
    if spoken is not None and spoken.right_to_left:
        pdf.right_to_left = True
        pdf.set_text_shaping(use_shaping_engine=True)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    return pdf


def _write(pdf: _Document, text: str, *, size: float, bold: bool = False, gap: float = 1.5) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    align = "R" if pdf.right_to_left else "L"
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(gap)


def _head(pdf: _Document, record: Record, texts: Texts) -> None:
    pdf.set_text_color(*ACCENT)
    _write(pdf, plain(texts.render("record.pdf.title")), size=20, bold=True, gap=3)
    pdf.set_text_color(0, 0, 0)
    _write(pdf, record.name, size=16, bold=True)
    about = texts.render(
        "record.pdf.about",
        programme=record.programme,
        cohorts=record.cohorts,
        start=record.covered_from,
        end=record.covered_to,
    )
    pdf.set_text_color(*MUTED)
    _write(pdf, plain(about), size=11, gap=4)
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)


def _line(pdf: _Document, line: RecordLine, texts: Texts) -> None:
    """One line: its first row in bold, the rest (a date, an outcome) beneath it."""
    first, _, rest = plain(texts.render(f"record.lines.{line.kind}", **line.values)).partition("\n")
    pdf.set_text_color(0, 0, 0)
    _write(pdf, first, size=11, bold=True, gap=0.5)
    if rest.strip():
        pdf.set_text_color(*MUTED)
        _write(pdf, rest.strip(), size=10, gap=0.5)
    pdf.ln(2)


def record_pdf(record: Record, texts: Texts) -> bytes:
    """The record as a PDF: heading, each section that has anything in it, and how it was
    made."""
    pdf = _new_document(record, texts)
    _head(pdf, record, texts)
    shown = record.shown
    if not shown:
        _write(pdf, plain(texts.render("record.pdf.empty")), size=11)
    for section in shown:
        pdf.set_text_color(*ACCENT)
        heading = texts.render(f"record.pdf.headings.{section.key}", count=section.count)
        _write(pdf, plain(heading), size=14, bold=True, gap=2)
        for line in section.lines:
            _line(pdf, line, texts)
        pdf.ln(3)
    pdf.set_text_color(*MUTED)
    made = texts.render(
        "record.pdf.made", date=record.generated, name=record.name, programme=record.programme
    )
    _write(pdf, plain(made), size=9)
    return bytes(pdf.output())
