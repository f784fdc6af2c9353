"""The blockwise fit reaches scikit-learn's multinomial logistic regression: the same weights and predictions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import hstack
from scipy.sparse import random as sparse_random
from sklearn.linear_model import LogisticRegression

from untangle_nlu.blockwise_lbfgs import fit_multinomial


def counts_then_dense(rows: int = 240, seed: int = 0):
    """Sparse count-like columns, then dense encoder-like ones, and four classes the features tell apart."""
    generator = np.random.default_rng(seed)
    labels = generator.integers(0, 4, rows)
    dense = generator.normal(size=(rows, 8)) + np.eye(4, 8)[labels] * 1.5
    sparse = sparse_random(rows, 30, density=0.1, random_state=seed, format="csr")
    return hstack([sparse, dense]).tocsr(), np.array(["greet", "ask", "bye", "thanks"])[labels]


@pytest.mark.parametrize("threads", [1, 2])
def test_the_weights_and_predictions_are_scikit_learns(threads):
    matrix, labels = counts_then_dense()
    reference = LogisticRegression(C=25, tol=1e-8, max_iter=2000, class_weight="balanced").fit(matrix, labels)
    fit = fit_multinomial(matrix, 8, labels, C=25, tol=1e-8, max_iter=2000, threads=threads)
    assert fit.classes.tolist() == reference.classes_.tolist()
    assert np.allclose(fit.coef, reference.coef_, atol=1e-3) and np.allclose(
        fit.intercept, reference.intercept_, atol=1e-3
    )
    scores = matrix @ fit.coef.T + fit.intercept
    assert (fit.classes[scores.argmax(axis=1)] == reference.predict(matrix)).all()


def test_weaker_regularisation_gives_larger_weights():
    matrix, labels = counts_then_dense()
    strong, weak = (fit_multinomial(matrix, 8, labels, C=C, tol=1e-6, max_iter=500) for C in (0.1, 10.0))
    assert np.linalg.norm(weak.coef) > np.linalg.norm(strong.coef)


def test_two_classes_are_left_to_scikit_learn():
    matrix, labels = counts_then_dense()
    with pytest.raises(ValueError, match="three or more"):
        fit_multinomial(matrix, 8, np.where(labels == "greet", "greet", "other"), C=1, tol=1e-4, max_iter=100)
