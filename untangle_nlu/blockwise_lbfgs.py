"""The fit of scikit-learn's multinomial `lbfgs` logistic regression, with the dense columns multiplied apart.

The intent classifier's input is a few thousand sparse count columns and then the encoder's few hundred dense
numbers, all in one CSR matrix. scikit-learn's gradient multiplies that matrix's transpose (column order, one thread)
by the residuals on every L-BFGS step, and the dense block, stored as sparse entries, is most of the matrix: the fit
was most of training's time (docs/benchmarks.md). This module minimises the same objective (class-weighted
multinomial log loss, an L2 penalty of 1/C on the weights and none on the intercepts, L-BFGS-B from zero with
scikit-learn's options), but keeps the dense block as a NumPy array, so BLAS multiplies it, and splits the sparse
products across threads (scipy releases the GIL in them). L-BFGS does not depend on the order of the parameters, so
it takes the same steps as scikit-learn's solver up to rounding.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Sequence, Tuple

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.special import logsumexp
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.class_weight import compute_class_weight


@dataclass
class MultinomialFit:
    coef: np.ndarray  # classes x columns, as scikit-learn's `coef_`
    intercept: np.ndarray  # one per class
    classes: np.ndarray  # sorted labels, as scikit-learn's `classes_`
    iterations: int


class RowBlocks:
    """A CSR matrix cut into row blocks, one per thread, multiplied block by block in parallel."""

    def __init__(self, matrix: csr_matrix, pool: ThreadPoolExecutor, parts: int) -> None:
        bounds = np.linspace(0, matrix.shape[0], parts + 1).astype(int)
        self.shape = matrix.shape
        self.blocks = [matrix[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True) if end > start]
        self.pool = pool

    def dot(self, dense: np.ndarray) -> np.ndarray:
        if len(self.blocks) == 1:
            return self.blocks[0] @ dense
        return np.vstack(list(self.pool.map(lambda block: block @ dense, self.blocks)))


def objective(
    sparse: RowBlocks,
    sparse_transposed: RowBlocks,
    dense: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    C: float,
) -> Callable[[np.ndarray], Tuple[float, np.ndarray]]:
    """The loss and gradient of the parameters (sparse weights, dense weights, intercepts: a column per class)."""
    n, classes = len(labels), int(labels.max()) + 1
    sparse_columns, dense_columns = sparse.shape[1], dense.shape[1]
    one_hot = np.zeros((n, classes))
    one_hot[np.arange(n), labels] = 1.0
    penalty = 1.0 / C

    def loss_and_gradient(parameters: np.ndarray) -> Tuple[float, np.ndarray]:
        stacked = parameters.reshape(sparse_columns + dense_columns + 1, classes)
        sparse_weights, dense_weights = stacked[:sparse_columns], stacked[sparse_columns:-1]
        scores = sparse.dot(sparse_weights) + dense @ dense_weights + stacked[-1]
        normaliser = logsumexp(scores, axis=1)
        loss = -(weights * (scores[np.arange(n), labels] - normaliser)).sum()
        loss += 0.5 * penalty * ((sparse_weights**2).sum() + (dense_weights**2).sum())
        residuals = weights[:, None] * (np.exp(scores - normaliser[:, None]) - one_hot)
        gradient = np.vstack(
            [
                sparse_transposed.dot(residuals) + penalty * sparse_weights,
                dense.T @ residuals + penalty * dense_weights,
                residuals.sum(axis=0, keepdims=True),
            ]
        )
        return float(loss), gradient.ravel()

    return loss_and_gradient


def fit_multinomial(
    matrix: csr_matrix,
    dense_columns: int,
    labels: Sequence,
    C: float,
    tol: float,
    max_iter: int,
    threads: int = 0,
) -> MultinomialFit:
    """scikit-learn's `LogisticRegression(C, tol, max_iter, class_weight="balanced")` fit of three or more classes,
    the last `dense_columns` columns of `matrix` multiplied as a dense array; `threads` 0 means every CPU."""
    encoder = LabelEncoder()
    encoded = encoder.fit_transform(np.asarray(labels))
    classes = len(encoder.classes_)
    if classes < 3:
        raise ValueError("the blockwise fit is for three or more classes; scikit-learn's binary fit differs")
    weights = compute_class_weight("balanced", classes=np.arange(classes), y=encoded)[encoded]
    split = matrix.shape[1] - dense_columns
    sparse, dense = matrix[:, :split].tocsr(), np.ascontiguousarray(matrix[:, split:].toarray(), dtype=np.float64)
    parts = threads or os.cpu_count() or 1
    with ThreadPoolExecutor(parts) as pool:
        function = objective(
            RowBlocks(sparse, pool, parts), RowBlocks(sparse.T.tocsr(), pool, parts), dense, encoded, weights, C
        )
        start = np.zeros((matrix.shape[1] + 1) * classes)
        result = minimize(function, start, method="L-BFGS-B", jac=True, options={"gtol": tol, "maxiter": max_iter})
    stacked = result.x.reshape(matrix.shape[1] + 1, classes)
    return MultinomialFit(
        coef=np.ascontiguousarray(stacked[:-1].T),
        intercept=stacked[-1].copy(),
        classes=encoder.classes_,
        iterations=int(result.nit),
    )
