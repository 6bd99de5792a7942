"""Incremental detokenization: deltas never split a character and add up to a full decode."""

import pytest

from tutela.runtime.torch_backend import _IncrementalDecoder

TEXTS = [
    "Plain ASCII text, with punctuation!",
    "Zürich, São Paulo, Kraków and Ålesund.",
    "価格は ¥1,200 です。",
    "Emoji: 🙂👍🏽 and 👨‍👩‍👧 family.",
    "  leading spaces and\nnew lines\n\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_deltas_add_up_to_the_full_decode(torch_backend, text: str) -> None:
    tokenizer = torch_backend._tokenizer
    ids = tokenizer.encode(text, add_special_tokens=False)
    decoder = _IncrementalDecoder(tokenizer)
    deltas = [decoder.push(token) for token in ids]
    deltas.append(decoder.flush())
    assert "".join(deltas) == tokenizer.decode(ids, skip_special_tokens=True) == text
    assert not any("\ufffd" in d for d in deltas)


def test_incomplete_character_at_the_end_is_dropped_not_guessed(torch_backend) -> None:
    tokenizer = torch_backend._tokenizer
    ids = tokenizer.encode("ok 👍", add_special_tokens=False)
    decoder = _IncrementalDecoder(tokenizer)
    shown = "".join(decoder.push(token) for token in ids[:-1]) + decoder.flush()
    assert "\ufffd" not in shown
    assert shown.startswith("ok")
