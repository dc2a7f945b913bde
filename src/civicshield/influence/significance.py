"""Thresholds taken from the data: when is co-activity more than chance?

Two accounts that share the same object once prove nothing; two hyperactive accounts that share
hundreds of popular objects will overlap by chance. Each layer therefore gets a null model fitted to
its own data: the expected number of keys (objects, URLs, texts, hashtag sequences) a pair shares
within the window, if accounts picked keys independently in proportion to the keys' popularity
(a bipartite configuration model), scaled by the share of same-key pairs that fall inside the window.
A pair is an edge when its Poisson tail probability beats a Bonferroni-corrected level.

Organic bursts (breaking news shared by thousands within seconds) are set aside before pairing: a key
whose audience within one window-wide time slot is far above the usual (an upper Tukey fence on the
log audience of key-slot cells) is a burst there, not a coordination signal. The rest of that key's
activity still counts, so coordinated amplification of a popular post is not hidden by its
popularity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import pdtrc

ALPHA = 0.01
FENCE_K = 3.0
LOG10 = math.log(10.0)
MAX_STRENGTH = 300.0


def _log_tail(k: np.ndarray | float, lam: np.ndarray | float) -> np.ndarray:
    """log P(X > k) for X ~ Poisson(lam): what `scipy.stats.poisson.logsf` computes, from the same
    special function, without the second it takes to import scipy.stats."""
    with np.errstate(divide="ignore"):
        return np.where(np.asarray(k) < 0, 0.0, np.log(pdtrc(k, lam)))


def burst_cap(histogram: list[tuple[int, int]]) -> int:
    """Largest audience a key may have in one time slot and still count: the upper fence of log audience.

    `histogram` holds (audience m, number of key-slot cells with that audience); cells with m < 2 are
    ignored. The interquartile range is
    floored at log 2 so a layer where nearly every shared key has the same audience still has a fence.
    """
    shared = sorted((m, k) for m, k in histogram if m >= 2)
    if not shared:
        return 2
    audiences = np.repeat(np.log([m for m, _ in shared]), [k for _, k in shared])
    q1, q3 = np.quantile(audiences, [0.25, 0.75])
    fence = q3 + FENCE_K * max(q3 - q1, math.log(2.0))
    return max(2, int(math.floor(math.exp(fence) + 1e-9)))


@dataclass(frozen=True)
class PairNull:
    """The fitted null model of one behavioural layer.

    Under a bipartite configuration model, account b acts on key k with probability c_b * m_k / C
    (c_b: b's keys, m_k: k's audience, C: all account-key incidences). The expected number of a's keys
    that b also acted on is then c_b * M_a / C, with M_a the summed audience (less a itself) of a's
    keys; the symmetric mean of both directions, times the share of all same-key pairs in the layer
    that fall inside the window, is the pair's Poisson mean. Accounts that pile onto popular keys
    (hyperactive or mainstream users) thus need far more overlap than accounts whose shared keys are
    rare. The in-window share is the layer's, not each key's: a key's own synchrony is exactly what
    coordination produces, so it must not be allowed to explain itself away.
    """

    scale: float           # in-window share / (2 C)
    tests: int             # pairs with at least one shared key in the window (Bonferroni family)
    alpha: float = ALPHA

    @classmethod
    def fit(cls, incidences: int, sum_m2: int, pairs_in_window: int, shared_keys_in_window: int,
            alpha: float = ALPHA) -> PairNull:
        same_key_pairs = (sum_m2 - incidences) / 2
        if incidences == 0 or same_key_pairs <= 0:
            return cls(0.0, max(pairs_in_window, 1), alpha)
        in_window = min(1.0, shared_keys_in_window / same_key_pairs)
        return cls(in_window / (2 * incidences), max(pairs_in_window, 1), alpha)

    def strengths(self, n: np.ndarray, c_a: np.ndarray, reach_a: np.ndarray, c_b: np.ndarray,
                  reach_b: np.ndarray) -> np.ndarray:
        """-log10 of each pair's Poisson tail probability of sharing >= n keys in the window."""
        lam = self.scale * (c_b.astype(float) * reach_a + c_a.astype(float) * reach_b)
        lam = np.maximum(lam, 1e-300)
        return np.minimum(-_log_tail(n - 1, lam) / LOG10, MAX_STRENGTH)

    @property
    def threshold(self) -> float:
        """Minimum strength an edge needs: -log10(alpha / tests)."""
        return -math.log10(self.alpha / self.tests)


def key_min_audience(mean_audience: float, keys: int, alpha: float = ALPHA) -> tuple[int, float]:
    """Smallest audience m at which a supporting key (device, /24, creation minute) is significant.

    Under the null an account's key is drawn at random, so audiences are Poisson with the layer's
    mean; returns (m, threshold strength) with Bonferroni over the layer's keys.
    """
    threshold = -math.log10(alpha / max(keys, 1))
    hi = 2
    while key_strength(hi, mean_audience) < threshold and hi < 1 << 40:
        hi *= 2
    lo = max(2, hi // 2)
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if key_strength(mid, mean_audience) < threshold else (lo, mid)
    return lo, threshold


def key_strength(m: int, mean_audience: float) -> float:
    return float(min(-_log_tail(m - 1, max(mean_audience, 1e-12)) / LOG10, MAX_STRENGTH))
