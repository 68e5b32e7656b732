"""What a tap, typed words or a voice note mean for a question, and which question comes
next given the answers so far."""

from __future__ import annotations

import json

import pytest

from bot.domain.answers import TEXT_LIMIT, Voice, interpret, next_question
from bot.domain.errors import InvalidInput
from bot.library.prompts import NO, YES, PromptQuestion, PromptSet
from bot.models import Answer


def _question(prompt_sets: dict[str, PromptSet], set_id: str, question_id: str) -> PromptQuestion:
    question = prompt_sets[set_id].question(question_id)
    assert question is not None
    return question


def _given(**values: object) -> dict[str, Answer]:
    """Answers as stored: numbers for scales, a list of values for choices."""
    return {
        qid: Answer(
            reflection_id=1,
            question_id=qid,
            kind="x",
            **({"number": v} if isinstance(v, int) else {"choices": json.dumps([v])}),
        )
        for qid, v in values.items()
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("yes", [YES]), ("Yes please", [YES]), ("yep!", [YES]), ("no thanks", [NO]), ("N", [NO])],
)
def test_typed_yes_and_no_are_understood(
    prompt_sets: dict[str, PromptSet], typed: str, stored: list[str]
) -> None:
    question = _question(prompt_sets, "after-meeting", "get_in_touch")
    fields = interpret(question, text=typed, number=None, choice=None, voice=None)
    assert json.loads(str(fields["choices"])) == stored


def test_typed_numbers_and_labels_stand_for_their_buttons(
    prompt_sets: dict[str, PromptSet],
) -> None:
    scale = _question(prompt_sets, "after-meeting", "how_it_went")
    single = _question(prompt_sets, "monthly-check-in", "support")
    assert interpret(scale, text=" 4 ", number=None, choice=None, voice=None) == {"number": 4}
    assert interpret(
        single, text="A one-to-one briefing.", number=None, choice=None, voice=None
    ) == {"choices": json.dumps(["briefing"])}
    for typed in ("6", "0", "-1", "four", "pretty good"):
        with pytest.raises(InvalidInput) as caught:
            interpret(scale, text=typed, number=None, choice=None, voice=None)
        assert caught.value.key == "reflect.use_buttons"
    with pytest.raises(InvalidInput):
        interpret(single, text="something else", number=None, choice=None, voice=None)


def test_written_answers_are_trimmed_cut_to_the_limit_and_never_empty(
    prompt_sets: dict[str, PromptSet],
) -> None:
    learned = _question(prompt_sets, "after-meeting", "learned")
    assert interpret(learned, text="  Budgets  ", number=None, choice=None, voice=None) == {
        "text": "Budgets"
    }
    # A long answer (a paste joined from several messages) is kept whole, never cut.
    long = interpret(learned, text="a" * (TEXT_LIMIT * 3), number=None, choice=None, voice=None)
    assert len(str(long["text"])) == TEXT_LIMIT * 3
    with pytest.raises(InvalidInput) as caught:
        interpret(learned, text=" \n ", number=None, choice=None, voice=None)
    assert caught.value.key == "reflect.empty"


def test_a_voice_note_answers_a_written_question_but_not_a_button_one(
    prompt_sets: dict[str, PromptSet],
) -> None:
    learned = _question(prompt_sets, "after-meeting", "learned")
    scale = _question(prompt_sets, "after-meeting", "how_it_went")
    voice = Voice("voice-file-7", 31)
    assert interpret(learned, text=None, number=None, choice=None, voice=voice) == {
        "voice_file_id": "voice-file-7",
        "voice_duration": 31,
    }
    with pytest.raises(InvalidInput):
        interpret(scale, text=None, number=None, choice=None, voice=voice)


def test_a_follow_up_is_asked_only_when_its_condition_holds(
    prompt_sets: dict[str, PromptSet],
) -> None:
    debrief = prompt_sets["after-meeting"]
    low = next_question(debrief, _given(how_it_went=4, equal_partner=2), "equal_partner")
    high = next_question(debrief, _given(how_it_went=4, equal_partner=4), "equal_partner")
    assert low is not None and low.id == "get_in_touch"
    assert high is not None and high.id == "learned"


def test_a_question_left_unanswered_earlier_comes_back_at_the_end(
    prompt_sets: dict[str, PromptSet],
) -> None:
    check_in = prompt_sets["monthly-check-in"]
    answered = _given(confidence=3, skills="papers", skills_more="x", wellbeing=4)
    # "support" was skipped past (the person went back and changed an answer): it comes next.
    following = next_question(check_in, answered, "wellbeing")
    assert following is not None and following.id == "support"
    everything = answered | _given(support="none")
    assert next_question(check_in, everything, "support") is None
