"""Logistic regressions over named and dense features: fitted, stored as JSON, read back, guarded."""

import warnings

import numpy as np
import pytest
import srsly

from kremlin_quotes.model.linear import (
    Linear,
    Multiclass,
    Network,
    binary_from_dict,
    fit_linear,
    fit_multiclass,
    fit_network,
    fit_ranker,
    ranker_loss,
)


def _rows(n: int = 60) -> tuple[list[dict], list[int]]:
    """The label is carried only by the first dimension of a dense feature; a named feature is noise."""
    rng = np.random.default_rng(0)
    X, y = [], []
    for i in range(n):
        label = i % 2
        vec = rng.normal(size=4).astype("float32")
        vec[0] = 2.0 if label else -2.0
        X.append({"bias": 1.0, f"noise={i % 3}": 1.0, "@ctx": vec})
        y.append(label)
    return X, y


def test_a_dense_feature_is_learned_and_survives_json():
    X, y = _rows()
    model = fit_linear(X, y)
    assert isinstance(model.weights["@ctx"], np.ndarray) and model.weights["@ctx"].shape == (4,)
    assert model.weights["@ctx"][0] > 0.5  # the informative dimension
    assert all(model.prob(x) > 0.5 for x, label in zip(X, y, strict=True) if label)
    back = Linear.from_dict(model.to_dict())
    assert back.to_dict() == model.to_dict()
    assert back.logit(X[0]) == pytest.approx(model.logit(X[0]), abs=1e-4)


def test_a_vector_of_another_width_is_ignored_not_a_crash():
    X, y = _rows()
    model = fit_linear(X, y)
    wide = dict(X[1], **{"@ctx": np.ones(8, dtype="float32")})  # another base pipeline's tensor
    named_only = {k: v for k, v in X[1].items() if k != "@ctx"}
    assert model.logit(wide) == pytest.approx(model.logit(named_only))


def test_multiclass_with_dense_features():
    X, y = _rows(90)
    labels = ["A" if x["@ctx"][0] > 0 else ("B" if i % 3 else "C") for i, x in enumerate(X)]
    model = fit_multiclass(X, labels, ["A", "B", "C"])
    back = Multiclass.from_dict(model.to_dict())
    assert [back.predict(x) for x in X] == [model.predict(x) for x in X]
    assert sum(model.predict(x) == t for x, t in zip(X, labels, strict=True)) > 0.6 * len(X)


def _xor(n: int = 2000) -> tuple[list[dict], list[int]]:
    """The label is 'a' xor 'b' (plus a dense feature of noise): no sum of the two features' weights separates it."""
    rng = np.random.default_rng(2)
    X, y = [], []
    for i in range(n):
        a, b = i % 2, (i // 2) % 2
        X.append({"bias": 1.0, "a": float(a), "b": float(b), "@ctx": rng.normal(size=3)})
        y.append(a ^ b)
    return X, y


def test_the_network_learns_a_combination_no_linear_model_can():
    X, y = _xor()
    linear = fit_linear(X, y)
    net = fit_network(X, y, hidden=8, alpha=1e-4, epochs=200)
    right = sum((net.prob(x) > 0.5) == bool(t) for x, t in zip(X, y, strict=True))
    assert right == len(X)
    assert sum((linear.prob(x) > 0.5) == bool(t) for x, t in zip(X, y, strict=True)) < 0.8 * len(X)
    assert isinstance(net, Network) and net.hidden["@ctx"].shape == (3, 8)
    back = binary_from_dict(net.to_dict())
    assert isinstance(back, Network) and back.to_dict() == net.to_dict()
    stored = binary_from_dict(srsly.json_loads(srsly.json_dumps(net.to_dict())))  # as model.json holds it
    assert stored.logit(X[3]) == pytest.approx(net.logit(X[3]))
    assert fit_network(X, y, hidden=8, alpha=1e-4, epochs=200).to_dict() == net.to_dict()  # deterministic
    assert isinstance(binary_from_dict(linear.to_dict()), Linear)


def test_averaged_networks_are_one_network_with_their_mean_logit():
    """Three fits from successive start seeds, stored as one network of three times the units, say the mean of
    what each says; one fit is the network of before."""
    X, y = _xor()
    kw = {"hidden": 4, "alpha": 1e-4, "epochs": 50}
    singles = [fit_network(X, y, seed=k, **kw) for k in range(3)]
    mean = fit_network(X, y, networks=3, **kw)
    assert isinstance(mean, Network) and mean.hidden["@ctx"].shape == (3, 12) and len(mean.out) == 12
    for x in X[:20]:
        assert mean.logit(x) == pytest.approx(sum(n.logit(x) for n in singles) / 3, abs=1e-4)
    assert len({round(n.logit(X[0]), 3) for n in singles}) > 1  # the starts differ, so the mean is not one of them
    assert fit_network(X, y, networks=1, **kw).to_dict() == singles[0].to_dict()
    # and one fit says what scikit-learn's own network, fitted the same way, says (up to the stored rounding)
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from kremlin_quotes.model.linear import _vectorize

    _, M = _vectorize(X)
    clf = MLPClassifier(hidden_layer_sizes=(4,), alpha=1e-4, max_iter=50, batch_size=256, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(M, y)
    reference = clf.predict_proba(M[:50])[:, 1]
    assert [singles[0].prob(x) for x in X[:50]] == pytest.approx(list(reference), abs=1e-4)
    assert binary_from_dict(mean.to_dict()).to_dict() == mean.to_dict()
    with pytest.raises(ValueError, match="networks=0"):
        fit_network(X, y, networks=0, **kw)


def test_the_network_weighs_its_examples():
    """Rows with both features appear twice, once per label: their weights alone decide which label wins."""
    X, y = _xor()
    both = [i for i, x in enumerate(X) if x["a"] and x["b"]]
    X2, y2 = X + [X[i] for i in both], [*y, *[1] * len(both)]

    def prob(w_one: float) -> float:
        w = [w_one if i >= len(X) else 1.0 for i in range(len(X2))]
        return fit_network(X2, y2, w, hidden=8, alpha=1e-4, epochs=200).prob(X[both[0]])

    assert prob(0.1) < 0.5 < prob(10.0)


def test_a_network_with_one_class_says_that_class():
    X, _ = _xor(10)
    assert fit_network(X, [1] * 10).prob(X[0]) > 0.9
    assert fit_network(X, [0] * 10).prob(X[0]) < 0.1


@pytest.mark.parametrize(
    "bad",
    [
        {"hidden": {"a": [0.1]}, "bias": [0.0, 0.0], "out": [1.0, 1.0], "out_bias": 0.0},
        {"hidden": {"a": [0.1, "x"]}, "bias": [0.0, 0.0], "out": [1.0, 1.0], "out_bias": 0.0},
        {"hidden": {}, "bias": [0.0, 0.0], "out": [1.0], "out_bias": 0.0},
        {"hidden": {"@ctx": [0.1, 0.2]}, "bias": [0.0, 0.0], "out": [1.0, 1.0], "out_bias": 0.0},
    ],
)
def test_bad_network_weights_are_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        binary_from_dict(bad)


@pytest.mark.parametrize("bad", [[], "0.1", [0.1, "x"], [float("nan")]])
def test_bad_dense_weights_are_refused(bad):
    with pytest.raises(ValueError, match="@ctx"):
        Linear.from_dict({"weights": {"bias": 0.1, "@ctx": bad}})


def _groups(n: int = 80) -> tuple[list[list[dict]], list[list[int]]]:
    """Groups of 2-5 options; the right one has the highest 'level' within its group, but each group's levels
    sit at their own offset, so a level says nothing about being right across groups."""
    rng = np.random.default_rng(1)
    groups, labels = [], []
    for _ in range(n):
        k = int(rng.integers(2, 6))
        levels = rng.permutation(k) + rng.normal(0, 5)
        groups.append([{"level": float(v), f"noise={j % 2}": 1.0} for j, v in enumerate(levels)])
        labels.append([int(v == levels.max()) for v in levels])
    return groups, labels


def test_the_ranker_learns_the_choice_within_each_group():
    groups, labels = _groups()
    model = fit_ranker(groups, labels)
    assert model.weights["level"] > 1.0
    picks = [max(range(len(g)), key=lambda j: model.logit(g[j])) for g in groups]
    assert all(ys[p] for p, ys in zip(picks, labels, strict=True))
    assert fit_ranker(groups, labels).to_dict() == model.to_dict()  # deterministic
    assert Linear.from_dict(model.to_dict()).to_dict() == model.to_dict()


def test_the_ranker_skips_groups_that_teach_nothing():
    groups, labels = _groups(40)
    model = fit_ranker(groups, labels)
    padded = fit_ranker(groups + [[{"level": 9.0}, {"level": 8.0}]] * 5, labels + [[1, 1]] * 5)
    assert padded.to_dict() == model.to_dict()
    assert fit_ranker([[{"level": 1.0}]], [[1]]).weights == {}


def test_the_ranker_gradient_matches_its_loss():
    from scipy import sparse
    from scipy.optimize import check_grad

    rng = np.random.default_rng(2)
    M = sparse.csr_matrix(rng.normal(size=(9, 4)))
    right = np.array([1, 0, 0, 0, 1, 1, 0, 0, 1], dtype=bool)
    starts, gw = np.array([0, 3, 6]), np.array([1.0, 2.0, 0.5])
    theta = rng.normal(size=4)
    err = check_grad(
        lambda t: ranker_loss(t, M, right, starts, gw, 1.5)[0], lambda t: ranker_loss(t, M, right, starts, gw, 1.5)[1],
        theta,
    )  # fmt: skip
    assert err < 1e-5


def test_the_ranker_loss_stays_finite_when_the_right_options_score_far_below():
    # a wrong option 1,000 above the right one: a share computed against the group's maximum underflows to 0, and
    # its log and gradient would be inf and nan (L-BFGS would stop on them); in log space both stay exact
    from scipy import sparse

    M = sparse.csr_matrix(np.array([[1000.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 2.0]]))
    right, starts, gw = np.array([0, 1, 1, 0], dtype=bool), np.array([0, 2]), np.ones(2)
    loss, grad = ranker_loss(np.array([1.0, 0.0]), M, right, starts, gw, 1.0)
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    # group 1 costs 1,000 (the wrong option's lead), group 2 log(1 + e^-0.5), plus half the squared weights
    assert loss == pytest.approx(1000.0 + np.log1p(np.exp(-0.5)) + 0.5, abs=1e-9)


def test_a_network_logit_is_the_sum_over_its_known_features():
    """The named features' rows are gathered in one step; the logit is still bias + each known feature's row
    times its value (a dense feature's matrix times its vector), rectified, times the output weights."""
    rng = np.random.default_rng(5)
    hidden = {"a": rng.normal(size=4), "b": rng.normal(size=4), "@ctx": rng.normal(size=(3, 4))}
    net = Network(hidden, rng.normal(size=4), rng.normal(size=4), 0.25)
    x = {"a": 2.0, "b": -0.5, "unknown": 7.0, "@ctx": rng.normal(size=3), "@other": rng.normal(size=3)}
    z = net.bias + 2.0 * hidden["a"] - 0.5 * hidden["b"] + x["@ctx"] @ hidden["@ctx"]
    assert net.logit(x) == pytest.approx(float(np.maximum(z, 0) @ net.out) + 0.25, abs=1e-12)
    assert net.logit({"@ctx": np.ones(5)}) == pytest.approx(float(np.maximum(net.bias, 0) @ net.out) + 0.25)
    assert net.logit({}) == net.logit({"unknown": 1.0})
    assert Network({}, net.bias, net.out, 0.0).logit(x) == pytest.approx(float(np.maximum(net.bias, 0) @ net.out))
