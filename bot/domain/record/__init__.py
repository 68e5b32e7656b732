"""A partner's record of contribution (issue 18): what Tandem holds about their work (see
sections.py, whose SECTION_PROVIDERS is where later features add theirs), achievements they
add themselves, endorsements they approve, and the PDF they can download."""

from bot.domain.record.achievements import (
    achievements_of,
    add_achievement,
    check_title,
    remove_achievement,
)
from bot.domain.record.builder import Record, build_record, export_record
from bot.domain.record.endorsements import (
    CohortPartners,
    decide_endorsement,
    endorsable,
    endorsable_partner,
    endorsements_of,
    erase_record,
    write_endorsement,
)
from bot.domain.record.sections import (
    SECTION_PROVIDERS,
    RecordFacts,
    RecordLine,
    RecordSection,
    SectionProvider,
)
from bot.library.messages import Texts


def record_pdf(found: Record, texts: Texts) -> bytes:
    """The record as a PDF (see pdf.py)."""
    # Only here: fpdf2 (and Pillow, which it uses) would slow every start (issue 16).
    from bot.domain.record.pdf import record_pdf as make

    return make(found, texts)


__all__ = [
    "SECTION_PROVIDERS",
    "CohortPartners",
    "Record",
    "RecordFacts",
    "RecordLine",
    "RecordSection",
    "SectionProvider",
    "achievements_of",
    "add_achievement",
    "build_record",
    "check_title",
    "decide_endorsement",
    "endorsable",
    "endorsable_partner",
    "endorsements_of",
    "erase_record",
    "export_record",
    "record_pdf",
    "remove_achievement",
    "write_endorsement",
]
