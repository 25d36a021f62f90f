"""Fine-tuning the top layers of e5-small for a classifier head (training only; needs PyTorch).

Prediction never imports torch: a fine-tuned model is the encoder of :mod:`wenzhi.nlp.encoder` with
the weights of its top layers replaced (``E5Encoder.embed(..., tuned=...)``) and a linear head over
the L2-normalised mean-pooled output, the same head the frozen e5 parts use. Training runs the frozen
lower layers once per text on numpy (:func:`frozen_states`), then fits the top layers and the head on
those token states with PyTorch, in the same arithmetic as the numpy forward pass (post-layer-norm
BERT layers, tanh GELU, mean pooling over every token including ``<s>``/``</s>``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .encoder import E5Encoder

__all__ = ["E5Top", "fine_tune", "frozen_states", "load_tuned", "save_tuned", "tuned_part"]

_KEYS = ("qkv", "qkv_b", "ao", "ao_b", "fi", "fi_b", "fo", "fo_b")
_MATRICES = ("qkv", "ao", "fi", "fo")
#: token states of the frozen layers, per (layers, prefix, text): every fold of a training run reuses them
_STATES: dict[tuple[int, str, str], np.ndarray] = {}


def frozen_states(enc: E5Encoder, texts: Sequence[str], layers: int, *, prefix: str = "",
                  tokens_per_chunk: int = 4096) -> list[np.ndarray]:
    """Each text's token states (len, H) after the first ``layers`` layers, float16, in input order
    (chunked as :meth:`E5Encoder.embed` chunks them)."""
    seqs, chunks = enc.chunked(texts, prefix, tokens_per_chunk)
    out: list[np.ndarray] = [np.zeros((0, enc.H), np.float16)] * len(seqs)
    for chunk in chunks:
        x, mask = enc._start([seqs[i] for i in chunk])
        for i in range(layers):
            x = enc.run_layer(x, mask, enc.layer(i))
        x = x.reshape(len(chunk), mask.shape[1], enc.H)
        for b, i in enumerate(chunk):
            out[i] = x[b, : len(seqs[i])].astype(np.float16)
    return out


def _torch() -> Any:
    try:
        import torch  # noqa: PLC0415 - training only
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("fine-tuning needs PyTorch: pip install 'wenzhi[train]'") from exc
    return torch


class E5Top:
    """Layers ``first .. depth-1`` of ``enc`` as trainable PyTorch parameters, plus a linear head."""

    def __init__(self, enc: E5Encoder, first: int, depth: int, dropout: float = 0.1, n_out: int = 1):
        torch = _torch()
        self.torch, self.first, self.depth, self.dropout = torch, first, depth, dropout
        self.H, self.NH, self.eps = enc.H, enc.NH, enc.eps
        self.layers: list[dict[str, Any]] = []
        for i in range(first, depth):
            ly = enc.layer(i)
            p = {k: torch.nn.Parameter(torch.tensor(np.array(ly[k]))) for k in _KEYS}
            for k in ("aln", "oln"):
                p[k + "_w"] = torch.nn.Parameter(torch.tensor(np.array(ly[k][0])))
                p[k + "_b"] = torch.nn.Parameter(torch.tensor(np.array(ly[k][1])))
            self.layers.append(p)
        #: one logit (binary: the score of class 1) or one per class
        self.head_w = torch.nn.Parameter(torch.zeros(enc.H, n_out))
        self.head_b = torch.nn.Parameter(torch.zeros(n_out))

    def parameters(self) -> list[Any]:
        return [v for p in self.layers for v in p.values()]

    def _layer(self, x: Any, neg: Any, p: dict[str, Any], train: bool) -> Any:
        torch, F = self.torch, self.torch.nn.functional
        B, L, H = x.shape
        hd = H // self.NH
        qkv = (x @ p["qkv"] + p["qkv_b"]).reshape(B, L, 3, self.NH, hd).permute(2, 0, 3, 1, 4)
        att = torch.softmax((qkv[0] / hd**0.5) @ qkv[1].transpose(-1, -2) + neg, dim=-1)
        ctx = (att @ qkv[2]).permute(0, 2, 1, 3).reshape(B, L, H)
        a = F.dropout(ctx @ p["ao"] + p["ao_b"], self.dropout, train)
        x = F.layer_norm(x + a, (H,), p["aln_w"], p["aln_b"], self.eps)
        mid = F.gelu(x @ p["fi"] + p["fi_b"], approximate="tanh")
        f = F.dropout(mid @ p["fo"] + p["fo_b"], self.dropout, train)
        return F.layer_norm(x + f, (H,), p["oln_w"], p["oln_b"], self.eps)

    def logits(self, states: Sequence[np.ndarray], train: bool = False) -> Any:
        torch = self.torch
        L = max(len(s) for s in states)
        x = torch.zeros(len(states), L, self.H)
        mask = torch.zeros(len(states), L)
        for b, s in enumerate(states):
            x[b, : len(s)] = torch.from_numpy(s.astype(np.float32))
            mask[b, : len(s)] = 1.0
        neg = ((1.0 - mask) * -1e30)[:, None, None, :]
        for p in self.layers:
            x = self._layer(x, neg, p, train)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        pooled = pooled / pooled.norm(dim=1, keepdim=True).clamp_min(1e-6)
        return pooled @ self.head_w + self.head_b

    def predict_states(self, states: Sequence[np.ndarray], batch: int = 64) -> np.ndarray:
        """Logits (N, n_out) for each text's frozen states."""
        order = sorted(range(len(states)), key=lambda i: len(states[i]))
        out = np.zeros((len(states), self.head_b.shape[0]))
        with self.torch.no_grad():
            for s in range(0, len(order), batch):
                ix = order[s : s + batch]
                out[ix] = self.logits([states[i] for i in ix]).numpy()
        return out

    def export(self) -> dict[str, np.ndarray]:
        """The tuned layers and head as float32 arrays, keyed ``l{i}.{name}``, ``head_w``, ``head_b``."""
        out = {"head_w": self.head_w.detach().numpy().copy(), "head_b": self.head_b.detach().numpy().copy()}
        for i, p in zip(range(self.first, self.depth), self.layers, strict=True):
            for k, v in p.items():
                out[f"l{i}.{k}"] = v.detach().numpy().copy()
        return out


def fine_tune(model: E5Top, states: Sequence[np.ndarray], y: np.ndarray, *, epochs: int = 2, lr: float = 5e-5,
              head_lr: float = 5e-3, batch: int = 32, seed: int = 0, bf16: bool = False,
              log: Callable[[str], Any] | None = None) -> None:
    """Fit ``model`` to class indices ``y`` on frozen token states (binary: one logit, 0/1): AdamW,
    linear warm-up and decay, batches of texts of similar length (shuffled buckets). With ``bf16`` the
    forward pass runs under bfloat16 autocast (1.5x as fast on this project's 2-core AVX-512 BF16 machine,
    same accuracy: see the sentiment best card's eighth round); the weights, their updates and the loss
    stay float32."""
    torch = model.torch
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    opt = torch.optim.AdamW([{"params": model.parameters(), "lr": lr, "weight_decay": 0.01},
                             {"params": [model.head_w, model.head_b], "lr": head_lr, "weight_decay": 0.0}])
    binary = model.head_b.shape[0] == 1
    target = torch.tensor(np.asarray(y, dtype=np.float32 if binary else np.int64))
    lens = np.array([len(s) for s in states])
    steps = epochs * ((len(states) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min(1.0, (k + 1) / max(1, steps // 10)) * max(0.0, (steps - k) / steps))
    k = 0
    for ep in range(epochs):
        noisy = np.argsort(lens + rng.uniform(0, 6, len(lens)))
        batches = [noisy[s : s + batch] for s in range(0, len(noisy), batch)]
        rng.shuffle(batches)
        total = 0.0
        for ix in batches:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = model.logits([states[i] for i in ix], train=True)
            out = out.float()
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(out[:, 0], target[ix]) if binary
                    else torch.nn.functional.cross_entropy(out, target[ix]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(ix)
            k += 1
            if log and k % 100 == 0:
                log(f"  step {k}/{steps} loss {total / ((k - ep * len(batches)) * batch):.4f}")
        if log:
            log(f"  epoch {ep + 1}: mean loss {total / len(states):.4f}")


def _quantised(delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and one float32 scale per output column of a weight change."""
    scale = np.maximum(np.abs(delta).max(axis=0), 1e-12) / 127.0
    return np.round(delta / scale).astype(np.int8), scale.astype(np.float32)


def _tuned_layers(enc: E5Encoder, arrays: dict[str, np.ndarray]) -> dict[int, dict[str, Any]]:
    """Layer weights as :meth:`E5Encoder.run_layer` takes them, from ``l{i}.{name}`` arrays (matrices
    as int8 changes from the encoder's own weights with a scale per column, the rest float32)."""
    out: dict[int, dict[str, Any]] = {}
    for i in sorted({int(k.split(".")[0][1:]) for k in arrays if k.startswith("l")}):
        base, ly = enc.layer(i), {}
        for k in _MATRICES:
            ly[k] = base[k] + arrays[f"l{i}.{k}.q"].astype(np.float32) * arrays[f"l{i}.{k}.s"]
        for k in ("qkv_b", "ao_b", "fi_b", "fo_b"):
            ly[k] = arrays[f"l{i}.{k}"].astype(np.float32)
        for k in ("aln", "oln"):
            ly[k] = (arrays[f"l{i}.{k}_w"].astype(np.float32), arrays[f"l{i}.{k}_b"].astype(np.float32))
        out[i] = ly
    return out


def _stored(enc: E5Encoder, exported: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What ``e5_tuned.npz`` holds for an :meth:`E5Top.export`: weight matrices as int8 changes."""
    out = {}
    for key, v in exported.items():
        name = key.split(".", 1)
        if key.startswith("l") and name[1] in _MATRICES:
            out[f"{key}.q"], out[f"{key}.s"] = _quantised(v - enc.layer(int(name[0][1:]))[name[1]])
        elif key.startswith("l"):
            out[key] = v.astype(np.float32)
    return out


def save_tuned(path: Any, stored: dict[str, np.ndarray]) -> None:
    np.savez_compressed(path, **stored)


def load_tuned(path: Any, enc: E5Encoder) -> dict[int, dict[str, Any]]:
    """The tuned layers of a model folder's ``e5_tuned.npz``, ready for ``E5Encoder.embed(tuned=...)``."""
    with np.load(path, allow_pickle=False) as z:
        return _tuned_layers(enc, {k: z[k] for k in z.files})


def load_stored(stored: dict[str, np.ndarray]) -> dict[int, dict[str, Any]]:
    """:func:`load_tuned` for arrays in memory (a model being trained)."""
    from .encoder import get_encoder  # noqa: PLC0415

    return _tuned_layers(get_encoder(), stored)


def tuned_part(texts: Sequence[str], y: np.ndarray, n_classes: int, cfg: dict[str, Any],
               log: Callable[[str], Any] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Fine-tune layers ``cfg["e5_tune"]["frozen"] .. cfg["e5_layers"] - 1`` and a linear head on
    ``texts`` (cut as prediction cuts them) with class indices ``y``: ``(stored, head_w, head_b)``,
    ``stored`` being what :func:`save_tuned` writes (the model that is measured is the one stored)."""
    from .encoder import get_encoder  # noqa: PLC0415
    from .features import E5_MAX_CHARS, E5_PREFIX  # noqa: PLC0415

    enc, tune, prefix = get_encoder(), cfg["e5_tune"], cfg.get("e5_prefix", E5_PREFIX)  # as prediction prefixes
    first = int(tune["frozen"])
    cut = [t[:E5_MAX_CHARS] for t in texts]
    missing = [t for t in dict.fromkeys(cut) if (first, prefix, t) not in _STATES]
    for t, st in zip(missing, frozen_states(enc, missing, first, prefix=prefix), strict=True):
        _STATES[(first, prefix, t)] = st
    model = E5Top(enc, first, int(cfg["e5_layers"]), n_out=1 if n_classes == 2 else n_classes)
    fine_tune(model, [_STATES[(first, prefix, t)] for t in cut], np.asarray(y), epochs=int(tune.get("epochs", 2)),
              lr=float(tune.get("lr", 5e-5)), seed=int(tune.get("seed", 0)), bf16=bool(tune.get("bf16", False)),
              log=log)
    exported = model.export()
    return _stored(enc, exported), exported["head_w"], exported["head_b"]
