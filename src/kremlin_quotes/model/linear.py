"""Logistic regressions over named sparse features, fitted with scikit-learn and stored as plain JSON.

JSON weights (no pickle) load with any scikit-learn version, or none: prediction is a dot product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def _dot(weights: dict[str, float], feats: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in feats.items())


@dataclass
class Linear:
    """A binary logistic regression: ``weights`` maps feature name -> weight ("bias" is the intercept)."""

    weights: dict[str, float] = field(default_factory=lambda: {"bias": 0.0})

    def logit(self, feats: dict[str, float]) -> float:
        return _dot(self.weights, feats)

    def prob(self, feats: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(feats)))))

    def to_dict(self) -> dict:
        return {"weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        return cls(weights={str(k): float(v) for k, v in data["weights"].items()})


@dataclass
class Multiclass:
    """A multinomial logistic regression: one weight dict per class."""

    classes: list[str]
    weights: dict[str, dict[str, float]] = field(default_factory=dict)

    def predict(self, feats: dict[str, float]) -> str:
        if not self.weights:
            return self.classes[0]
        return max(self.classes, key=lambda c: (_dot(self.weights.get(c, {}), feats), -self.classes.index(c)))

    def to_dict(self) -> dict:
        return {"classes": self.classes, "weights": {c: dict(sorted(w.items())) for c, w in self.weights.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Multiclass:
        return cls(
            classes=[str(c) for c in data["classes"]],
            weights={str(c): {str(k): float(v) for k, v in w.items()} for c, w in data["weights"].items()},
        )


def _vectorize(X: list[dict[str, float]]):
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sort=True, sparse=True)
    return vec, vec.fit_transform(X)


def _named(names, coef, intercept: float) -> dict[str, float]:
    weights = {str(n): float(w) for n, w in zip(names, coef, strict=True)}
    weights["bias"] = weights.get("bias", 0.0) + float(intercept)
    return {n: round(w, 6) for n, w in weights.items() if round(w, 6)}


def fit_linear(
    X: list[dict[str, float]], y: list[int], w: list[float] | None = None, C: float = 1.0, seed: int = 0
) -> Linear:
    """Fit a binary model; with one class only, a constant model that says that class."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return Linear({"bias": 4.0 if (y and y[0]) else -4.0})
    vec, M = _vectorize(X)
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, solver="lbfgs")
    clf.fit(M, y, sample_weight=w)
    return Linear(_named(vec.get_feature_names_out(), clf.coef_[0], clf.intercept_[0]))


def fit_multiclass(
    X: list[dict[str, float]], y: list[str], classes: list[str], w: list[float] | None = None, C: float = 1.0,
    seed: int = 0,
) -> Multiclass:  # fmt: skip
    from sklearn.linear_model import LogisticRegression

    present = sorted(set(y))
    if len(present) < 2:
        return Multiclass(classes, {present[0]: {"bias": 1.0}} if present else {})
    vec, M = _vectorize(X)
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, solver="lbfgs")
    clf.fit(M, y, sample_weight=w)
    names = vec.get_feature_names_out()
    if len(clf.classes_) == 2:  # sklearn keeps one weight vector for two classes
        pos = _named(names, clf.coef_[0], clf.intercept_[0])
        return Multiclass(classes, {str(clf.classes_[1]): pos, str(clf.classes_[0]): {}})
    return Multiclass(
        classes, {str(c): _named(names, clf.coef_[i], clf.intercept_[i]) for i, c in enumerate(clf.classes_)}
    )
