"""The arithmetic of themes: discovery (TF-IDF + NMF), suggested codes (logistic regression) and
the cross-tab test (chi-square). Plain functions of texts and labels: no database, no network.

Everything is deterministic. Models take a fixed random state, numerical libraries run on one
thread (a multi-threaded BLAS may add floating point numbers in a different order from one run to
the next), and results are rounded before they are stored, so the same corpus and parameters give
byte-identical output.
"""

from __future__ import annotations

import functools
import hashlib
import platform
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits

# numpy, scipy and scikit-learn are imported by the functions that use them, not here: a web
# worker that never runs an analysis never loads them (over 100 MB and a second at start-up).
if TYPE_CHECKING:
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

# Words nearly every health comment uses, which would otherwise lead every theme.
NHS_STOP_WORDS = frozenset(
    """
    nhs health healthcare london londoner londoners people person really just think thing things lot
    get got getting would could also one like know way dont don im ive youre cant doesnt didnt isnt
    thanks thank please hi hello yes ok okay bit quite actually maybe sure want wanted need needs
    make makes made said say says go going went time times day days year years
    """.split()
)


@functools.cache
def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | NHS_STOP_WORDS)


RANDOM_STATE = 0
STABILITY_SEEDS = (1, 2, 3, 4, 5)
K_CANDIDATES = tuple(range(3, 11))
STABILITY_SAMPLE = 4000
STABILITY_MAX_ITER = 100
TOLERANCE = 1e-3
TOP_TERMS = 10
EXAMPLES = 5
MAX_FEATURES = 20000
SUGGEST_MIN_CODED = 20
DEFAULT_CONFIDENCE = 0.7
DEFAULT_PARAMETERS = {
    "vectoriser": "tfidf",
    "ngram_range": [1, 2],
    "min_df": 2,
    "max_df": 0.5,
    "max_features": MAX_FEATURES,
    "sublinear_tf": True,
    "stop_words": "english+nhs",
    "model": "nmf",
    "init": "nndsvda",
    "random_state": RANDOM_STATE,
    "max_iter": 300,
    "tol": TOLERANCE,
    "stability_max_iter": STABILITY_MAX_ITER,
    "k_candidates": list(K_CANDIDATES),
    "stability_seeds": list(STABILITY_SEEDS),
    "stability_sample": STABILITY_SAMPLE,
}

Progress = Callable[[int, int], None]


def versions() -> dict[str, str]:
    """The packages a result depends on, stored with each run."""
    import numpy as np
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def corpus_hash(keys: Sequence[str], texts: Sequence[str]) -> str:
    """sha256 over every item's key and text in order: the same hash means the same input."""
    digest = hashlib.sha256()
    for key, text in zip(keys, texts, strict=True):
        digest.update(key.encode())
        digest.update(b"\0")
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def vectoriser(n_docs: int) -> TfidfVectorizer:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True,
        stop_words=stop_words(),
        token_pattern=r"(?u)\b[a-z][a-z]+\b",
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.5 if n_docs >= 20 else 1.0,
        max_features=MAX_FEATURES,
        sublinear_tf=True,
        dtype=np.float32,
    )


@dataclass
class ProposedTheme:
    index: int
    terms: list[str]
    name: str
    examples: list[str]
    size: int


@dataclass
class Discovery:
    k: int
    k_chosen_by: str
    stability: dict[int, float]
    themes: list[ProposedTheme]
    strongest: list[int | None]
    parameters: dict = field(default_factory=dict)
    duration_ms: int = 0

    def as_json(self, keys: Sequence[str]) -> dict:
        return {
            "k": self.k,
            "k_chosen_by": self.k_chosen_by,
            "stability": {str(k): v for k, v in sorted(self.stability.items())},
            "themes": [
                {"index": t.index, "terms": t.terms, "suggested_name": t.name, "examples": t.examples, "size": t.size}
                for t in self.themes
            ],
            "items": [
                {"id": key, "kind": key.split(":", 1)[0], "theme": theme}
                for key, theme in zip(keys, self.strongest, strict=True)
            ],
        }


def suggested_name(terms: list[str]) -> str:
    """A starting name from the top terms: a two-word term if one leads, else the first two terms."""
    if not terms:
        return "Unnamed theme"
    if " " in terms[0]:
        return terms[0].capitalize()
    words = [t for t in terms if " " not in t]
    return f"{words[0].capitalize()} and {words[1]}" if len(words) > 1 else terms[0].capitalize()


def _nmf(k: int, *, init: str, seed: int, max_iter: int = 300) -> NMF:
    from sklearn.decomposition import NMF

    return NMF(n_components=k, init=init, random_state=seed, max_iter=max_iter, tol=TOLERANCE)


def _agreement(a: np.ndarray, b: np.ndarray, top: int = TOP_TERMS) -> float:
    """How alike two sets of topics are: their top terms' Jaccard overlap, topics paired up by the
    Hungarian method so the order NMF happened to give them does not matter."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    tops_a = [set(np.argsort(-row, kind="stable")[:top]) for row in a]
    tops_b = [set(np.argsort(-row, kind="stable")[:top]) for row in b]
    sim = np.array([[len(x & y) / len(x | y) for y in tops_b] for x in tops_a])
    rows, cols = linear_sum_assignment(-sim)
    return float(sim[rows, cols].mean())


def choose_k(
    matrix, candidates: Sequence[int], *, progress: Progress | None = None, base: int = 0
) -> dict[int, float]:
    """Stability of each k: NMF from random starts (one per seed) on a fixed sample; a k whose
    topics come out the same whichever start is used describes the corpus rather than the noise."""
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning

    n = matrix.shape[0]
    if n > STABILITY_SAMPLE:
        rows = np.random.default_rng(RANDOM_STATE).choice(n, STABILITY_SAMPLE, replace=False)
        matrix = matrix[np.sort(rows)]
    scores = {}
    for i, k in enumerate(candidates):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            runs = [
                _nmf(k, init="random", seed=seed, max_iter=STABILITY_MAX_ITER).fit(matrix).components_
                for seed in STABILITY_SEEDS
            ]
        scores[k] = round(float(np.mean([_agreement(a, b) for a, b in combinations(runs, 2)])), 4)
        if progress:
            progress(base + i + 1, base + len(candidates) + 2)
    return scores


def discover(
    keys: Sequence[str], texts: Sequence[str], *, k: int | None = None, progress: Progress | None = None
) -> Discovery:
    """Propose themes for a corpus: k of them, or the most stable k among K_CANDIDATES."""
    import numpy as np

    started = time.perf_counter()
    with threadpool_limits(limits=1):
        tfidf = vectoriser(len(texts))
        matrix = tfidf.fit_transform(texts)
        terms = tfidf.get_feature_names_out()
        usable = [c for c in K_CANDIDATES if c < min(matrix.shape)]
        if k is None:
            stability = choose_k(matrix, usable, progress=progress) if usable else {}
            best = max(stability.values(), default=None)
            chosen = min(c for c, s in stability.items() if s == best) if stability else max(1, min(matrix.shape) - 1)
            chosen_by = "stability"
        else:
            stability, chosen, chosen_by = {}, max(1, min(k, min(matrix.shape))), "staff"
        model = _nmf(chosen, init="nndsvda", seed=RANDOM_STATE)
        weights = model.fit_transform(matrix)
        components = model.components_
    if progress:
        progress(len(usable) + 1 if k is None else 1, len(usable) + 2 if k is None else 2)
    weights = np.round(weights, 6)
    strongest_index = weights.argmax(axis=1)
    has_weight = weights.max(axis=1) > 0
    strongest = [int(t) if ok else None for t, ok in zip(strongest_index, has_weight, strict=True)]
    themes = []
    for index in range(chosen):
        order = np.argsort(-np.round(components[index], 6), kind="stable")[:TOP_TERMS]
        top = [str(terms[i]) for i in order if components[index][i] > 0]
        column = np.where(strongest_index == index, weights[:, index], 0)
        best = [int(i) for i in np.argsort(-column, kind="stable")[:EXAMPLES] if column[i] > 0]
        themes.append(
            ProposedTheme(
                index=index,
                terms=top,
                name=suggested_name(top),
                examples=[keys[i] for i in best],
                size=int(np.sum((strongest_index == index) & has_weight)),
            )
        )
    if progress:
        progress(1, 1)
    return Discovery(
        k=chosen,
        k_chosen_by=chosen_by,
        stability=stability,
        themes=themes,
        strongest=strongest,
        parameters={**DEFAULT_PARAMETERS, "k": k},
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


@dataclass(frozen=True)
class Suggestion:
    key: str
    theme_id: int
    confidence: float


def suggest(
    keys: Sequence[str],
    texts: Sequence[str],
    *,
    coded: dict[str, set[int]],
    rejected: dict[int, set[str]] | None = None,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[Suggestion]:
    """Suggest themes for the items nobody has coded yet.

    A theme is learnt once people have coded it on SUGGEST_MIN_CODED items or more: a logistic
    regression on TF-IDF, with the theme's items as positives and every other coded item (and
    every suggestion of it a person rejected) as negatives. An uncoded item is suggested the
    theme when the model is at least `confidence` sure."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rejected = rejected or {}
    positives: dict[int, set[str]] = {}
    for key, themes in coded.items():
        for theme_id in themes:
            positives.setdefault(theme_id, set()).add(key)
    eligible = sorted(t for t, members in positives.items() if len(members) >= SUGGEST_MIN_CODED)
    uncoded = [i for i, key in enumerate(keys) if key not in coded]
    if not eligible or not uncoded:
        return []
    index = {key: i for i, key in enumerate(keys)}
    out = []
    with threadpool_limits(limits=1):
        matrix = vectoriser(len(texts)).fit_transform(texts)
        for theme_id in eligible:
            refused = rejected.get(theme_id, set())
            labelled = sorted(
                {index[k] for k in coded if k in index} | {index[k] for k in refused if k in index and k not in coded}
            )
            y = np.array([1 if keys[i] in positives[theme_id] else 0 for i in labelled])
            if y.sum() == 0 or y.sum() == len(y):
                continue
            model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=1000, random_state=RANDOM_STATE)
            model.fit(matrix[labelled], y)
            candidates = [i for i in uncoded if keys[i] not in refused]
            if not candidates:
                continue
            probability = np.round(model.predict_proba(matrix[candidates])[:, 1], 4)
            out.extend(
                Suggestion(key=keys[i], theme_id=theme_id, confidence=float(p))
                for i, p in zip(candidates, probability, strict=True)
                if p >= confidence
            )
    return out


@dataclass
class ChiSquare:
    statistic: float
    p_value: float
    dof: int
    rows: list[str]
    columns: list[str]


def chi_square(table: dict[str, dict[str, int]], *, small: int) -> ChiSquare | None:
    """The chi-square test of independence on the cells that may be shown: rows and columns are
    dropped, the one with most small cells first, until every cell left is `small` or more."""
    import numpy as np
    from scipy.stats import chi2_contingency

    rows = sorted(table)
    columns = sorted({c for r in table.values() for c in r})
    while rows and columns:
        counts = np.array([[table[r].get(c, 0) for c in columns] for r in rows])
        if (counts >= small).all():
            break
        by_row = (counts < small).sum(axis=1) / max(len(columns), 1)
        by_col = (counts < small).sum(axis=0) / max(len(rows), 1)
        if by_row.max() >= by_col.max():
            rows.pop(int(by_row.argmax()))
        else:
            columns.pop(int(by_col.argmax()))
    if len(rows) < 2 or len(columns) < 2:
        return None
    counts = np.array([[table[r][c] for c in columns] for r in rows])
    result = chi2_contingency(counts, correction=False)
    return ChiSquare(
        statistic=round(float(result.statistic), 4),
        p_value=float(result.pvalue),
        dof=int(result.dof),
        rows=rows,
        columns=columns,
    )
