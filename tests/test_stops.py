import random

import pytest

from tutela.runtime.stops import StopScanner

TEXT = "The answer is simple.\nUser: next question"


def run(text: str, stops: tuple[str, ...], chunks: list[str]) -> tuple[str, bool]:
    scanner = StopScanner(stops)
    shown = [scanner.push(c) for c in chunks]
    shown.append(scanner.flush())
    return "".join(shown), scanner.stopped


def chunkings(text: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        size = rng.randint(1, 5)
        out.append(text[i : i + size])
        i += size
    return out


@pytest.mark.parametrize("seed", range(20))
def test_any_chunking_cuts_at_the_stop(seed: int) -> None:
    assert run(TEXT, ("\nUser:",), chunkings(TEXT, seed)) == ("The answer is simple.", True)


def test_one_character_chunks() -> None:
    assert run(TEXT, ("\nUser:",), list(TEXT)) == ("The answer is simple.", True)


def test_earliest_of_several_stops_wins() -> None:
    assert run(TEXT, ("question", "simple"), [TEXT]) == ("The answer is ", True)


def test_no_stop_releases_everything() -> None:
    assert run(TEXT, ("###",), list(TEXT)) == (TEXT, False)
    assert run(TEXT, (), [TEXT]) == (TEXT, False)


def test_partial_stop_is_held_back_then_released() -> None:
    scanner = StopScanner(("\nUser:",))
    assert scanner.push("done.\nUs") == "done."
    assert scanner.push("ually") == "\nUsually"
    assert scanner.flush() == ""


def test_text_after_stop_is_never_shown() -> None:
    scanner = StopScanner(("END",))
    assert scanner.push("a END b") == "a "
    assert scanner.push("more") == ""
    assert scanner.flush() == ""
