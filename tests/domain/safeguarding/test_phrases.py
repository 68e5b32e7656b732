"""The phrase syntax the reviewed file is written in: alternatives, optional words, word
stems, gaps, the end of a sentence and named lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.safeguarding.rule_files import rules_from


@pytest.mark.parametrize(
    ("phrases", "text", "found"),
    [
        ("[I want to die]", "i want to die", "i want to die"),
        ("[I want to die]", "I want to die!", "i want to die"),
        ("[I want to die]", "I want to diet", None),
        ("[I want to die]", "I want to... die", "i want to... die"),
        ("[hurt/harm myself]", "I harm myself", "harm myself"),
        ("[I (really/so very) want it]", "I so very want it", "i so very want it"),
        ("[I (really/so very) want it]", "I want it", "i want it"),
        ("[hurt* myself]", "hurting myself", "hurting myself"),
        ("[hurt* myself]", "unhurt myself", None),
        ("[he ... hits me]", "he often really does hits me", "he often really does hits me"),
        ("[he ... hits me]", "he said that she often hits me", None),
        ("[I can't go on <end>]", "I can't go on. It's too much", "i can not go on"),
        ("[I can't go on <end>]", "I cant go on 😢", "i can not go on"),
        ("[I can't go on <end>]", "I can't go on Tuesday", None),
        ("[<people> hits me]", "my mum hits me", "my mum hits me"),
        ("[<people> hits me]", "she hits me", "she hits me"),
        ("[<people> hits me]", "it hits me", None),
        ("[kill myself]", "skill myself up", None),
        ("[chcę umrzeć]", "chce umrzec", "chce umrzec"),
        ("[zabi* się]", "Zabiję się!", "zabije sie"),
        # An Arabic word allows the prefixes Arabic joins to it (issue 19).
        ("[أقتل نفسي]", "وسأقتل نفسي", "وساقتل نفسي"),
        ("[انتحار]", "فكرت بالانتحار", "بالانتحار"),
        ("[انتحار]", "للانتحار", "للانتحار"),
        ("[موت]", "يموت", None),
        ("[بدي موت]", "بدي موت", "بدي موت"),
    ],
)
def test_phrase_syntax(tmp_path: Path, phrases: str, text: str, found: str | None) -> None:
    match = rules_from(tmp_path, phrases).check(text)
    assert (match.phrase if match else None) == found
