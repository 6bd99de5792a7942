"""Restoring pseudonym tokens: exact replacement, forged tokens, streams cut anywhere."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tutela.governance.pii.restore import Restorer
from tutela.governance.pii.tokens import TOKEN, format_token, partial_token_start

# Values hold no `<`, so a restored text can only show an issued token if one leaked through.
ISSUED = {
    "<PERSON_1>": "Jane Roe",
    "<PERSON_12>": "Zoë Ng",
    "<EMAIL_ADDRESS_1>": "jane@example.com",
    "<CREDIT_CARD_2>": "4111 1111 1111 1111",
}
UNKNOWN = ["<PERSON_7>", "<PERSON_0>", "<PERSON_01>", "<FOO_1>", "<person_1>", "<PERSON_1 >"]
FRAGMENTS = [
    "<",
    "<PER",
    "<PERSON_",
    "<PERSON_1",
    "<EMAIL_ADDRESS_",
    ">",
    "_",
    "1",
    "<<",
    "PERSON_1>",
]

pieces = st.one_of(
    st.sampled_from(sorted(ISSUED)),
    st.sampled_from(UNKNOWN),
    st.sampled_from(FRAGMENTS),
    st.text(max_size=8),
)
texts = st.lists(pieces, max_size=12).map("".join)


@st.composite
def chunked_texts(draw) -> tuple[str, list[str]]:
    """A text and a cutting of it at arbitrary points (empty chunks included)."""
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 2)))
    bounds = [0, *cuts, len(text)]
    return text, [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def partial_suffix(text: str) -> int:
    """Length of the proper prefix of an issued token that `text` ends with (0: none)."""
    for token in ISSUED:
        for length in range(len(token) - 1, 0, -1):
            if text.endswith(token[:length]):
                return length
    return 0


def issued_in(text: str) -> int:
    return sum(1 for match in TOKEN.finditer(text) if match.group(0) in ISSUED)


def run_stream(chunks: list[str]) -> tuple[str, list[str], str, object]:
    """Push every chunk; return all output, the output so far after each push, close()'s
    return value and the stream."""
    stream = Restorer(ISSUED).stream()
    emitted = ""
    so_far = []
    for chunk in chunks:
        emitted += stream.push(chunk)
        so_far.append(emitted)
    tail = stream.close()
    return emitted + tail, so_far, tail, stream


# -- whole texts --------------------------------------------------------------------------


def test_issued_tokens_are_replaced_exactly() -> None:
    restorer = Restorer(ISSUED)
    text = "Dear <PERSON_1>, <PERSON_12> wrote to <EMAIL_ADDRESS_1>.<PERSON_1>"
    assert restorer.restore(text) == "Dear Jane Roe, Zoë Ng wrote to jane@example.com.Jane Roe"
    assert restorer.restored == 4
    assert restorer.unknown == 0


def test_values_are_inserted_literally_and_never_expanded_again() -> None:
    tricky = "\\1 $& <PERSON_2> .* \\g<0>"
    restorer = Restorer({"<PERSON_1>": tricky, "<PERSON_2>": "Bob"})
    assert restorer.restore("[<PERSON_1>|<PERSON_2>]") == f"[{tricky}|Bob]"
    assert restorer.restored == 2
    # The same through a stream, one character at a time.
    stream = Restorer({"<PERSON_1>": tricky, "<PERSON_2>": "Bob"}).stream()
    out = "".join(stream.push(char) for char in "[<PERSON_1>|<PERSON_2>]") + stream.close()
    assert out == f"[{tricky}|Bob]"


def test_forged_and_unknown_tokens_stay_and_are_counted() -> None:
    restorer = Restorer(ISSUED)
    text = "<PERSON_7> met <PERSON_1> and <FOO_3>; <PERSON_01> <person_1> <PERSON_ are not tokens"
    assert restorer.restore(text) == text.replace("<PERSON_1>", "Jane Roe")
    assert restorer.unknown == 2  # <PERSON_7> and <FOO_3>: only text of the token grammar
    assert restorer.restored == 1


def test_no_issued_tokens_means_no_change() -> None:
    restorer = Restorer({})
    assert restorer.restore("<PERSON_1> <") == "<PERSON_1> <"
    assert restorer.unknown == 1
    stream = restorer.stream()
    assert stream.push("<PERS") == "<PERS"  # nothing could become a known token: released
    assert stream.close() == "" and stream.dropped == 0


# -- streams ------------------------------------------------------------------------------


@given(chunked_texts())
@example(("Hi <PERSON_1>!", ["Hi <PER", "SON_", "1>!"]))
@example(("Hi <PERSON_7>", ["Hi <PERSON_", "7>"]))
@example(("<PERSON_12> <PERSON_1", ["<PERSON_1", "2> <PERSON_1"]))
@example(("bye <PERSON_", ["bye <", "PERSON_"]))
def test_stream_equals_whole_text_restore_for_any_chunking(case) -> None:
    text, chunks = case
    partial = partial_suffix(text)
    kept = text[: len(text) - partial]
    whole = Restorer(ISSUED)
    expected = whole.restore(kept)

    output, _, tail, stream = run_stream(chunks)

    assert output == expected
    assert tail == ""
    assert stream.dropped == (1 if partial else 0)
    # Issued tokens are never split, so the stream restores exactly as many as the whole text.
    assert stream.restorer.restored == whole.restored == issued_in(kept)


@given(texts)
@example("<EMAIL_ADDRESS_1><PERSON_1")
@example("a<<PERSON_1>>b")
def test_stream_one_character_per_chunk(text: str) -> None:
    partial = partial_suffix(text)
    expected = Restorer(ISSUED).restore(text[: len(text) - partial])
    output, _, _, stream = run_stream(list(text))
    assert output == expected
    assert stream.dropped == (1 if partial else 0)


@given(chunked_texts())
@example(("x <PERSON_1> y", list("x <PERSON_1> y")))
def test_stream_never_emits_part_of_a_token(case) -> None:
    text, chunks = case
    output, so_far, _, _ = run_stream(chunks)
    for emitted in so_far:
        # Released text is final: it is a prefix of the restored whole...
        assert output.startswith(emitted)
        # ...and no issued token shows through, whole or in part.
        assert not any(token in emitted for token in ISSUED)
    assert not any(token in output for token in ISSUED)


def test_stream_drops_a_trailing_partial_token() -> None:
    stream = Restorer(ISSUED).stream()
    assert stream.push("Hello <PERSON_1>, bye <PERSON_") == "Hello Jane Roe, bye "
    assert stream.close() == ""
    assert stream.dropped == 1
    assert stream.restorer.restored == 1


def test_stream_holds_only_while_a_token_is_possible() -> None:
    stream = Restorer(ISSUED).stream()
    assert stream.push("a <PERSON_") == "a "
    assert stream.push("9") == "<PERSON_9"  # no issued token starts so: released at once
    assert stream.push("> <PERSON_1") == "> "  # could still be <PERSON_1> or <PERSON_12>
    assert stream.push("2>") == "Zoë Ng"
    assert stream.close() == "" and stream.dropped == 0


# -- tokens -------------------------------------------------------------------------------


def test_format_token() -> None:
    assert format_token("PERSON", 1) == "<PERSON_1>"
    assert format_token("EMAIL_ADDRESS", 12) == "<EMAIL_ADDRESS_12>"
    assert format_token("A2", 10**6) == "<A2_1000000>"


@pytest.mark.parametrize(
    ("entity_type", "number"),
    [
        ("person", 1),
        ("", 1),
        ("1PERSON", 1),
        ("_PERSON", 1),
        ("PER SON", 1),
        ("PERSON>", 1),
        ("PER<SON", 1),
        ("PERSON\n", 1),
        ("PERSÖN", 1),
        ("PERSON", 0),
        ("PERSON", -3),
        ("PERSON", True),
        ("PERSON", 1.0),
        ("PERSON", 1.5),
        ("PERSON", "1"),
        ("PERSON", None),
        (None, 1),
        (b"PERSON", 1),
    ],
)
def test_format_token_rejects_bad_types_and_numbers(entity_type, number) -> None:
    with pytest.raises(ValueError, match="entity type in capitals"):
        format_token(entity_type, number)


@given(st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True), st.integers(1, 10**12))
def test_formatted_tokens_parse_back(entity_type: str, number: int) -> None:
    token = format_token(entity_type, number)
    match = TOKEN.fullmatch(token)
    assert match is not None
    assert (match.group(1), int(match.group(2))) == (entity_type, number)


@pytest.mark.parametrize(
    ("text", "tokens", "expected"),
    [
        ("", {"<PERSON_1>"}, 0),
        ("plain text", {"<PERSON_1>"}, 10),
        ("abc<", {"<PERSON_1>"}, 3),
        ("abc<PER", {"<PERSON_1>"}, 3),
        ("abc<PERSON_1", {"<PERSON_1>"}, 3),
        ("abc<PERSON_1>", {"<PERSON_1>"}, 13),  # whole: nothing held
        ("abc<PERSON_2", {"<PERSON_1>"}, 12),  # cannot become an issued token
        ("abc<per", {"<PERSON_1>"}, 7),
        ("<PER<PERS", {"<PERSON_1>"}, 4),  # only the last `<` can start a token
        ("<PERSON_1 ", {"<PERSON_1>"}, 10),
        ("abc<PER", set(), 7),  # nothing issued: everything may go
        ("x<PERSON_1", {"<PERSON_1>", "<PERSON_12>"}, 1),
    ],
)
def test_partial_token_start(text: str, tokens: set[str], expected: int) -> None:
    assert partial_token_start(text, tokens) == expected
