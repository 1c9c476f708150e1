"""Paragraph embeddings come from the model shipped inside a wheel, offline, one unit vector per text."""

from __future__ import annotations

import numpy as np

from analysis import embeddings


def test_each_text_gets_one_unit_length_vector_in_order():
    texts = ["DeepSeek released a new model.", "Markets fell.", "DeepSeek released a new model."]
    vectors = embeddings.paragraph_embeddings(texts)
    assert vectors.shape == (3, embeddings.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2])
    assert embeddings.paragraph_embeddings([]).shape == (0, embeddings.DIMENSIONS)


def test_paraphrases_lie_closer_than_unrelated_texts():
    ban, paraphrase, unrelated = embeddings.paragraph_embeddings([
        "Washington restricted sales of advanced chips to China.",
        "The US government banned exports of semiconductors to Beijing.",
        "Bake the cake for forty minutes until golden.",
    ])
    assert ban @ paraphrase > 0.5 > ban @ unrelated


def test_the_model_loads_without_any_network(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    embeddings._model.cache_clear()
    assert embeddings.paragraph_embeddings(["A sentence never embedded before in this run."]).shape == (1, embeddings.DIMENSIONS)


class _CountingModel:
    """Stands for the model: a fixed vector per text, and a record of what it was asked to encode."""

    def __init__(self):
        self.encoded: list[str] = []

    def encode(self, texts, **options):
        self.encoded += texts
        vectors = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] + [0.0] * (embeddings.DIMENSIONS - 3) for t in texts])
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_remembered_embeddings_are_bounded_and_each_kept_text_is_encoded_once(monkeypatch):
    model = _CountingModel()
    monkeypatch.setattr(embeddings, "_model", lambda: model)
    monkeypatch.setattr(embeddings, "_remembered", {})
    monkeypatch.setattr(embeddings, "REMEMBERED_MAX", 3)
    first = embeddings.paragraph_embeddings(["a", "bb", "a"])
    again = embeddings.paragraph_embeddings(["bb", "a"])
    assert model.encoded == ["a", "bb"] and np.array_equal(first[[1, 0]], again)  # nothing encoded twice
    embeddings.paragraph_embeddings(["ccc", "dddd"])  # four texts seen: the least recent ("bb") is forgotten
    assert list(embeddings._remembered) == ["a", "ccc", "dddd"]
    many = embeddings.paragraph_embeddings(["e", "ff", "ggg", "hhhh", "e"])  # more new texts in one call than are kept
    assert many.shape == (5, embeddings.DIMENSIONS) and np.array_equal(many[0], many[4])
    assert len(embeddings._remembered) == 3
    assert model.encoded[-4:] == ["e", "ff", "ggg", "hhhh"]
