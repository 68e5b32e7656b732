"""A person's own data: a full copy on request (/mydata) and real erasure (/forget).

Every table with a column that points at a person must be both erased (erasure.py; or
listed in KEPT_AFTER_ERASURE, with the reason) and shown in the export (export.py).
tests/domain/test_privacy.py walks the table metadata and fails for any table that is not,
so a new feature that stores something about a person cannot forget this package.
"""

from bot.domain.privacy.erasure import ERASERS, KEPT_AFTER_ERASURE, KEPT_ON_PERSON, forget
from bot.domain.privacy.export import EXPORT_FORMAT, SECTIONS, export_personal_data
from bot.domain.privacy.readable import READABLE_SECTIONS, readable_copy

__all__ = [
    "ERASERS",
    "EXPORT_FORMAT",
    "KEPT_AFTER_ERASURE",
    "KEPT_ON_PERSON",
    "READABLE_SECTIONS",
    "SECTIONS",
    "export_personal_data",
    "forget",
    "readable_copy",
]
