"""Logistic regressions over named sparse features, fitted with scikit-learn (or, for the conditional logit that
ranks options, scipy's L-BFGS), and a one-hidden-layer network over the same features; all stored as plain JSON.

JSON weights (no pickle) load with any scikit-learn version, or none: prediction is a dot product. A feature
whose name starts with ``@`` is dense: its value is a vector (e.g. the base pipeline's ``doc.tensor`` row of a
token) and its weight a list of the same length, so context vectors cost one numpy dot product each instead of a
named feature per dimension. A vector whose length differs from its weights' (another base pipeline) is skipped.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DENSE = "@"  # prefix of dense (vector-valued) feature names


def _number(value: object, where: str) -> float:
    """A weight read from JSON: a finite number, never a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: weight {value!r} is not a finite number")
    return float(value)


def _vector(value: object, where: str) -> np.ndarray:
    """A dense feature's weights (or a layer's) read from JSON: a non-empty list of finite numbers."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: must be a non-empty list of numbers")
    return np.array([_number(x, f"{where}[{i}]") for i, x in enumerate(value)], dtype="float64")


def _weights(data: object, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: weights must be an object, got {type(data).__name__}")
    out: dict[str, Any] = {}
    for k, v in data.items():
        if str(k).startswith(DENSE):
            out[str(k)] = _vector(v, f"{where}.{k}")
        else:
            out[str(k)] = _number(v, f"{where}.{k}")
    return out


def _dot(weights: dict[str, Any], feats: dict[str, Any]) -> float:
    total = 0.0
    for k, v in feats.items():
        w = weights.get(k)
        if w is None:
            continue
        if k[:1] == DENSE:
            if len(v) == len(w):
                total += float(np.dot(w, v))
        else:
            total += w * v
    return total


def _plain(weights: dict[str, Any]) -> dict[str, Any]:
    """Weights as JSON values, sorted by name: numbers, and lists for dense features."""
    return {k: ([float(x) for x in w] if k[:1] == DENSE else w) for k, w in sorted(weights.items())}


@dataclass
class Linear:
    """A binary logistic regression: ``weights`` maps feature name -> weight ("bias" is the intercept)."""

    weights: dict[str, Any] = field(default_factory=lambda: {"bias": 0.0})

    def logit(self, feats: dict[str, Any]) -> float:
        return _dot(self.weights, feats)

    def prob(self, feats: dict[str, Any]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(feats)))))

    def to_dict(self) -> dict:
        return {"weights": _plain(self.weights)}

    @classmethod
    def from_dict(cls, data: dict) -> Linear:
        return cls(weights=_weights(data["weights"], "weights"))


@dataclass
class Multiclass:
    """A multinomial logistic regression: one weight dict per class."""

    classes: list[str]
    weights: dict[str, dict[str, Any]] = field(default_factory=dict)

    def predict(self, feats: dict[str, Any]) -> str:
        if not self.weights:
            return self.classes[0]
        return max(self.classes, key=lambda c: (_dot(self.weights.get(c, {}), feats), -self.classes.index(c)))

    def to_dict(self) -> dict:
        return {"classes": self.classes, "weights": {c: _plain(w) for c, w in self.weights.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> Multiclass:
        classes = data["classes"]
        if not isinstance(classes, list) or not classes or not all(isinstance(c, str) for c in classes):
            raise ValueError(f"classes must be a non-empty list of names, got {classes!r}")
        weights = data["weights"]
        if not isinstance(weights, dict) or set(weights) - set(classes):
            raise ValueError(f"weights must be an object keyed by the classes {classes}")
        return cls(classes=list(classes), weights={c: _weights(w, f"weights.{c}") for c, w in weights.items()})


@dataclass
class Network:
    """A binary classifier with one hidden layer of rectified units over the same named features as ``Linear``:
    it can weigh a feature by the company it keeps (a 'said' candidate with a pronoun speaker inside quote marks),
    which a linear model only sees as the sum of its parts. ``hidden`` maps a feature name to its row of first-layer
    weights (a dense feature to a matrix of one row per dimension); features it does not know add nothing."""

    hidden: dict[str, np.ndarray]
    bias: np.ndarray
    out: np.ndarray
    out_bias: float

    def __post_init__(self) -> None:
        # a logit gathers the named features' rows in one step instead of one vector addition per feature (the
        # keep decision has dozens of features and three networks' units side by side); they are stacked once,
        # and ``hidden`` then holds views of them, so no memory is doubled
        names = [k for k, w in self.hidden.items() if w.ndim == 1]
        self._row = {k: i for i, k in enumerate(names)}
        self._rows = np.stack([self.hidden[k] for k in names]) if names else np.zeros((0, len(self.bias)))
        self.hidden = {
            **self.hidden,
            **{k: self._rows[i] for i, k in enumerate(names)},
        }  # the caller's dict is left as given

    def logit(self, feats: dict[str, Any]) -> float:
        z = self.bias.copy()
        at, values = [], []
        for k, v in feats.items():
            i = self._row.get(k)
            if i is not None:
                at.append(i)
                values.append(v)
            elif k[:1] == DENSE:
                w = self.hidden.get(k)
                if w is not None and w.ndim == 2 and len(v) == w.shape[0]:
                    z += np.asarray(v, dtype="float64") @ w
        if at:
            z += np.asarray(values, dtype="float64") @ self._rows[at]
        return float(np.maximum(z, 0.0) @ self.out) + self.out_bias

    def prob(self, feats: dict[str, Any]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, self.logit(feats)))))

    def to_dict(self) -> dict:
        return {
            "hidden": {k: [[float(x) for x in row] for row in w] if w.ndim == 2 else [float(x) for x in w]
                       for k, w in sorted(self.hidden.items())},
            "bias": [float(x) for x in self.bias],
            "out": [float(x) for x in self.out],
            "out_bias": float(self.out_bias),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict) -> Network:
        bias, out = _vector(data["bias"], "bias"), _vector(data["out"], "out")
        if len(bias) != len(out):
            raise ValueError(f"bias has {len(bias)} units, out {len(out)}")
        hidden = data["hidden"]
        if not isinstance(hidden, dict):
            raise ValueError(f"hidden: must be an object, got {type(hidden).__name__}")
        rows: dict[str, np.ndarray] = {}
        for k, v in hidden.items():
            where = f"hidden.{k}"
            if str(k).startswith(DENSE):
                if not isinstance(v, list) or not v:
                    raise ValueError(f"{where}: a dense feature's weights must be a non-empty list of rows")
                w = np.stack([_vector(r, f"{where}[{i}]") for i, r in enumerate(v)])
            else:
                w = _vector(v, where)
            if w.shape[-1] != len(bias):
                raise ValueError(f"{where}: rows must have {len(bias)} weights, one per hidden unit")
            rows[str(k)] = w
        return cls(rows, bias, out, _number(data["out_bias"], "out_bias"))


def binary_from_dict(data: dict) -> Linear | Network:
    """A stored binary decision: a network when it has a hidden layer, else a logistic regression."""
    return Network.from_dict(data) if "hidden" in data else Linear.from_dict(data)


def _vectorize(X: list[dict[str, Any]]):
    """A sparse matrix of the named features, then one block of columns per dense feature (zeros where a row
    lacks it); returns the column names, with ``name[i]`` for the dense columns."""
    from scipy import sparse
    from sklearn.feature_extraction import DictVectorizer

    dims: dict[str, int] = {}
    for x in X:
        for k, v in x.items():
            if k[:1] == DENSE:
                dims.setdefault(k, len(v))
    vec = DictVectorizer(sort=True, sparse=True)
    M = vec.fit_transform([{k: v for k, v in x.items() if k[:1] != DENSE} for x in X])
    names = [str(n) for n in vec.get_feature_names_out()]
    for k in sorted(dims):
        block = np.zeros((len(X), dims[k]), dtype="float64")
        for i, x in enumerate(X):
            if k in x and len(x[k]) == dims[k]:
                block[i] = x[k]
        M = sparse.hstack([M, sparse.csr_matrix(block)], format="csr")
        names += [f"{k}[{i}]" for i in range(dims[k])]
    return names, M


def _by_feature(names: list[str], values: np.ndarray) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Fitted weights back under their features' names (one value, or one row of a layer, per column of
    ``_vectorize``): a named feature's own, and each dense feature's stacked in the order of its dimensions."""
    named: dict[str, Any] = {}
    dense: dict[str, list[Any]] = {}
    for n, v in zip(names, values, strict=True):
        if n[:1] == DENSE:
            dense.setdefault(n[: n.rindex("[")], []).append(v)
        else:
            named[n] = v
    return named, {k: np.array(v, dtype="float64") for k, v in dense.items()}


def _named(names: list[str], coef, intercept: float) -> dict[str, Any]:
    named, dense = _by_feature(names, _rounded(np.asarray(coef, dtype="float64")))
    weights: dict[str, Any] = {n: float(w) for n, w in named.items() if w}
    bias = round(weights.get("bias", 0.0) + float(intercept), 6)
    if bias:
        weights["bias"] = bias
    else:
        weights.pop("bias", None)
    weights.update(dense)
    return weights


def fit_linear(
    X: list[dict[str, Any]], y: list[int], w: list[float] | None = None, C: float = 1.0, seed: int = 0
) -> Linear:
    """Fit a binary model; with one class only, a constant model that says that class."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return Linear({"bias": 4.0 if (y and y[0]) else -4.0})
    names, M = _vectorize(X)
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, solver="lbfgs")
    clf.fit(M, y, sample_weight=w)
    return Linear(_named(names, clf.coef_[0], clf.intercept_[0]))


def fit_network(
    X: list[dict[str, Any]], y: list[int], w: list[float] | None = None, hidden: int = 64, alpha: float = 0.03,
    epochs: int = 30, seed: int = 0, networks: int = 1,
) -> Linear | Network:  # fmt: skip
    """Fit a one-hidden-layer network (``hidden`` rectified units, L2 penalty ``alpha``, at most ``epochs`` passes
    of Adam over shuffled mini-batches, fewer if the training loss falls by less than scikit-learn's ``tol`` for
    ten passes; no validation split is set aside, and the same data give the same weights); with one class only,
    the constant model ``fit_linear`` gives. ``networks`` > 1 fits that many from successive start seeds and
    returns their mean logit, which is itself one network (the hidden layers side by side, the output weights
    divided by their number): less of the decision depends on where one fit happened to start."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    if networks < 1:
        raise ValueError(f"networks={networks}: at least one network is needed")
    if len(set(y)) < 2:
        return fit_linear(X, y, w)
    names, M = _vectorize(X)
    firsts, biases, outs, out_bias = [], [], [], 0.0
    for k in range(networks):
        clf = MLPClassifier(
            hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=epochs, batch_size=min(256, len(y)),
            random_state=seed + k,
        )  # fmt: skip
        with warnings.catch_warnings():  # a cap on the passes is the setting, not a failure to converge
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(M, y, sample_weight=w)
        firsts.append(clf.coefs_[0])
        biases.append(clf.intercepts_[0])
        outs.append(clf.coefs_[1][:, 0] / networks)
        out_bias += float(clf.intercepts_[1][0]) / networks
    # rounded as JSON stores them: the saved model is the fitted one
    first, bias, out = (_rounded(np.concatenate(a, axis=-1)) for a in (firsts, biases, outs))
    rows, dense = _by_feature(names, first)
    rows.update(dense)
    return Network(rows, bias, out, round(out_bias, 6))


def _rounded(a: np.ndarray) -> np.ndarray:
    return np.array([round(float(x), 6) for x in a.ravel()], dtype="float64").reshape(a.shape)


def fit_multiclass(
    X: list[dict[str, Any]], y: list[str], classes: list[str], w: list[float] | None = None, C: float = 1.0,
    seed: int = 0,
) -> Multiclass:  # fmt: skip
    from sklearn.linear_model import LogisticRegression

    present = sorted(set(y))
    if len(present) < 2:
        return Multiclass(classes, {present[0]: {"bias": 1.0}} if present else {})
    names, M = _vectorize(X)
    clf = LogisticRegression(C=C, max_iter=2000, random_state=seed, solver="lbfgs")
    clf.fit(M, y, sample_weight=w)
    if len(clf.classes_) == 2:  # sklearn keeps one weight vector for two classes
        pos = _named(names, clf.coef_[0], clf.intercept_[0])
        return Multiclass(classes, {str(clf.classes_[1]): pos, str(clf.classes_[0]): {}})
    return Multiclass(
        classes, {str(c): _named(names, clf.coef_[i], clf.intercept_[i]) for i, c in enumerate(clf.classes_)}
    )


def ranker_loss(theta: np.ndarray, M, right: np.ndarray, starts: np.ndarray, gw: np.ndarray, C: float):
    """The conditional logit's regularised loss and its gradient. ``M`` holds one row per option, each group's
    rows contiguous from ``starts``; ``right`` marks the right options, ``gw`` weighs each group. Computed in log
    space, each group's and each right subset's highest score taken out before exponentiating: right options far
    below a wrong one would otherwise underflow to a zero share, an infinite loss and a nan gradient."""
    of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, M.shape[0])))  # each row's group
    s = M @ theta
    m_all = np.maximum.reduceat(s, starts)
    m_right = np.maximum.reduceat(np.where(right, s, -np.inf), starts)  # every group has a right option
    e = np.exp(s - m_all[of])
    e_right = np.where(right, np.exp(np.where(right, s, m_right[of]) - m_right[of]), 0.0)
    z_all = np.add.reduceat(e, starts)
    z_right = np.add.reduceat(e_right, starts)
    loss = float(gw @ (m_all + np.log(z_all) - m_right - np.log(z_right)))
    r = gw[of] * (e / z_all[of] - e_right / z_right[of])
    return C * loss + 0.5 * float(theta @ theta), C * (M.T @ r) + theta


def fit_ranker(
    groups: list[list[dict[str, Any]]], labels: list[list[int]], w: list[float] | None = None, C: float = 1.0
) -> Linear:
    """Fit a conditional logit: a softmax over each group's options (one candidate's speaker mentions), the right
    options' share maximised. Choosing one option of a group needs only how options compare within it; a binary
    model fitted row by row also spends weight on telling groups apart. Groups without both a right and a wrong
    option teach nothing and are skipped; there is no intercept (it cancels out). ``w`` weighs each group.
    Regularised like scikit-learn's models (``C`` times the summed loss plus half the squared weights) and fitted
    from zero: deterministic."""
    from scipy.optimize import minimize

    used = [i for i, ys in enumerate(labels) if 0 < sum(ys) < len(ys)]
    if not used:
        return Linear({})
    names, M = _vectorize([x for i in used for x in groups[i]])
    right = np.array([y for i in used for y in labels[i]], dtype=bool)
    starts = np.concatenate([[0], np.cumsum([len(groups[i]) for i in used])[:-1]])
    gw = np.array([w[i] if w is not None else 1.0 for i in used], dtype="float64")
    res = minimize(
        ranker_loss, np.zeros(M.shape[1]), args=(M, right, starts, gw, C), jac=True, method="L-BFGS-B",
        options={"maxiter": 2000},
    )  # fmt: skip
    return Linear(_named(names, res.x, 0.0))
