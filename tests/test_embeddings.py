import math
from pathlib import Path

import pytest

from tutela.embeddings import Embedder, packaged_embedding_model
from tutela.errors import ModelError


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_packaged_model_is_found_without_a_hub() -> None:
    assert (packaged_embedding_model() / "config.json").is_file()


def test_vectors_are_unit_length_with_384_dimensions(embedder: Embedder) -> None:
    vectors = embedder.embed(["Interest rates rose.", "The patient has a fever."])
    assert embedder.dimension == 384
    assert [len(v) for v in vectors] == [384, 384]
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)


def test_similar_meanings_are_closer(embedder: Embedder) -> None:
    bond, treasury, flu = embedder.embed(
        ["Bond yields went up today.", "Treasury rates increased.", "Symptoms of influenza."]
    )

    def cosine(a, b):
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cosine(bond, treasury) > cosine(bond, flu) + 0.2


def test_empty_input_gives_no_vectors(embedder: Embedder) -> None:
    assert embedder.embed([]) == []


def test_wrong_folder_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="TUTELA_EMBEDDING_MODEL"):
        Embedder(tmp_path)
