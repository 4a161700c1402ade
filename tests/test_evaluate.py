"""The evaluation's learning curve: which PolNeAR articles each point trains on."""

from itertools import pairwise

from kremlin_quotes.model.evaluate import curve_subsets


def test_the_learning_curve_grows_nested_samples_up_to_the_shipped_training():
    sizes = (0, 3, 5, 8, 100_000)
    subsets = curve_subsets(20, sizes)
    assert [len(s) for s in subsets] == [0, 3, 5, 8, 20]
    for small, big in pairwise(subsets):
        assert set(small) <= set(big)  # each point adds articles to the one before
    assert all(s == sorted(s) for s in subsets)  # in corpus order, as training reads them
    assert subsets[-1] == list(range(20))  # the full point is the shipped model's own training, row for row
    assert subsets[2] != list(range(5))  # a random sample, not the first articles
    assert curve_subsets(20, sizes) == subsets  # seeded
