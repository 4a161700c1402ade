"""Logistic regressions over named sparse features, fitted with scikit-learn and stored as plain JSON.

JSON weights (no pickle) load with any scikit-learn version, or none: prediction is a dot product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def _number(value: object, where: str) -> float:
    """A weight read from JSON: a finite number, never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: weight {value!r} is not a finite number")
    return float(value)


def _weights(data: object, where: str) -> dict[str, float]:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: weights must be an object, got {type(data).__name__}")
    return {str(k): _number(v, f"{where}.{k}") for k, v in data.items()}


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
        return cls(weights=_weights(data["weights"], "weights"))


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
        classes = data["classes"]
        if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
            raise ValueError(f"classes must be a non-empty list of names, got {classes!r}")
        weights = data["weights"]
        if not isinstance(weights, dict) or set(weights) - set(classes):
            raise ValueError(f"weights must be an object keyed by the classes {classes}")
        return cls(classes=list(classes), weights={c: _weights(w, f"weights.{c}") for c, w in weights.items()})


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
