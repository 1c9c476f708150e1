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
