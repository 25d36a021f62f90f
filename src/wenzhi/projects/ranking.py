"""The ranking of a call: per application the total, mean, trimmed mean and spread of its reviews, with the
outlier reviews flagged — one vectorised pass over every review of the call (numpy, no Django).

Used by the ranking page and API, the decision step and ``bench/projects_ranking.py``.

Rules (chosen to be explainable to an applicant):

- trimmed mean: with three or more reviews the highest and the lowest are dropped, the rest averaged; with one
  or two reviews it is the plain mean;
- spread: highest minus lowest review total;
- an outlier review is one that lies more than ``max(OUTLIER_MIN_POINTS, OUTLIER_MADS × 1.4826 × MAD)`` points
  from the median of its application's reviews (MAD: median absolute deviation), when there are three or more;
- the rank orders by trimmed mean, then mean, then number of reviews (all descending), then input order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

OUTLIER_MIN_POINTS = 15.0
OUTLIER_MADS = 3.0


@dataclass
class Ranking:
    """Per application (index = position in the input ``n_applications``) and per review (input order)."""

    count: np.ndarray  # reviews per application
    total: np.ndarray  # sum of review totals
    mean: np.ndarray
    trimmed_mean: np.ndarray
    spread: np.ndarray
    median: np.ndarray
    rank: np.ndarray  # 1 = best; applications without reviews rank last
    outlier: np.ndarray  # per review: flagged as an outlier of its application


def rank_reviews(application_index: np.ndarray, totals: np.ndarray, n_applications: int) -> Ranking:
    """Rank ``n_applications`` from their reviews: review ``i`` belongs to ``application_index[i]`` and has
    the weighted total ``totals[i]`` (0–100). Applications with no review get NaN figures and rank last."""
    app = np.asarray(application_index, dtype=np.int64)
    values = np.asarray(totals, dtype=np.float64)
    n = int(n_applications)
    if app.size and (app.min() < 0 or app.max() >= n):
        raise ValueError("application_index out of range")
    count = np.bincount(app, minlength=n).astype(np.int64)
    width = max(int(count.max()) if n else 0, 1)
    # Position of each review inside its application's row of a padded (n × width) matrix.
    order = np.argsort(app, kind="stable")
    starts = np.concatenate(([0], np.cumsum(count)[:-1])) if n else np.zeros(0, dtype=np.int64)
    position = np.empty(app.size, dtype=np.int64)
    position[order] = np.arange(app.size) - starts[app[order]]
    matrix = np.full((n, width), np.nan)
    matrix[app, position] = values

    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(count > 0, np.nansum(matrix, axis=1), np.nan)
        mean = total / np.where(count > 0, count, np.nan)
        high = np.nanmax(np.where(count[:, None] > 0, matrix, 0.0), axis=1)
        low = np.nanmin(np.where(count[:, None] > 0, matrix, 0.0), axis=1)
        trimmed = np.where(count >= 3, (total - high - low) / np.maximum(count - 2, 1), mean)
        spread = np.where(count > 0, high - low, np.nan)
        padded = np.where(np.isnan(matrix), np.inf, matrix)
        median = _row_median(padded, count)
        mad = _row_median(np.where(np.isnan(matrix), np.inf, np.abs(matrix - median[:, None])), count)
    limit = np.maximum(OUTLIER_MIN_POINTS, OUTLIER_MADS * 1.4826 * np.nan_to_num(mad))
    deviation = np.abs(values - median[app]) if app.size else np.zeros(0)
    outlier = (count[app] >= 3) & (deviation > limit[app]) if app.size else np.zeros(0, dtype=bool)

    key_trim = np.where(np.isnan(trimmed), -np.inf, trimmed)
    key_mean = np.where(np.isnan(mean), -np.inf, mean)
    sorted_ids = np.lexsort((np.arange(n), -count, -key_mean, -key_trim))
    rank = np.empty(n, dtype=np.int64)
    rank[sorted_ids] = np.arange(1, n + 1)
    return Ranking(count=count, total=total, mean=mean, trimmed_mean=trimmed, spread=spread, median=median,
                   rank=rank, outlier=outlier)


def _row_median(padded: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Median of each row's first ``count`` values, where the rest of the row is +inf padding."""
    n = padded.shape[0]
    if n == 0:
        return np.zeros(0)
    ordered = np.sort(padded, axis=1)
    rows = np.arange(n)
    safe = np.maximum(count, 1)
    low = ordered[rows, (safe - 1) // 2]
    high = ordered[rows, safe // 2]
    return np.where(count > 0, (low + high) / 2, np.nan)
