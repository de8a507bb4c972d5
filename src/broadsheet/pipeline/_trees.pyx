# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The tree ensembles' leaf sums, compiled: ``model.TreeModel.raw`` (the HTML path's block, context and
page models) and ``text_trees.scores`` (the text path's packed models).

The numpy versions step every row through every tree one level at a time, each level a few passes over
(rows × trees) arrays; here eight rows at a time go down each tree to their leaves side by side, their
features in the cache and their steps independent of each other, so the processor overlaps them. The sums
are added in the order numpy adds them — pairwise over a row's trees (``sum`` along a contiguous axis:
numpy's ``DOUBLE_pairwise_sum`` from 0), and a model's first tree plus the pairwise sum of its other trees
(``add.reduceat``, which starts from a segment's first element) — so the results are the same to the bit
(``tests/test_compiled.py``). The logistic step and the models' constants stay in numpy, whose ``exp`` need
not round as the C library's does.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc

cdef enum:
    BLOCK = 128  # numpy's pairwise-summation block (PW_BLOCKSIZE)
    ROWS = 8  # rows walked side by side (4 gave 1.6x a row at a time, 8 gave 2.1x, 16 less)


cdef double _pairwise(const double *a, Py_ssize_t n) noexcept nogil:
    """``a[0] + ... + a[n - 1]`` in numpy's pairwise order (``DOUBLE_pairwise_sum``)."""
    cdef Py_ssize_t i, half
    cdef double res
    cdef double r[8]
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[i]
        return res
    if n <= BLOCK:
        for i in range(8):
            r[i] = a[i]
        i = 8
        while i < n - (n % 8):
            r[0] += a[i]
            r[1] += a[i + 1]
            r[2] += a[i + 2]
            r[3] += a[i + 3]
            r[4] += a[i + 4]
            r[5] += a[i + 5]
            r[6] += a[i + 6]
            r[7] += a[i + 7]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[i]
            i += 1
        return res
    half = n // 2
    half -= half % 8
    return _pairwise(a, half) + _pairwise(a + half, n - half)


cdef inline void _leaves(
    const double *first,
    Py_ssize_t width,
    Py_ssize_t m,
    const Py_ssize_t *roots,
    Py_ssize_t root0,
    Py_ssize_t trees,
    const Py_ssize_t *feature,
    const double *threshold,
    const unsigned char *nan_left,
    int depth,
    const double *leaf,
    Py_ssize_t leaf0,
    double *scratch,
) noexcept nogil:
    """The leaf value of each of the ``m`` rows from ``first`` on (``width`` values apart) in each of
    ``trees`` complete trees, into ``scratch`` (a row's values together). The rows go down a tree side by
    side: independent steps the processor overlaps. Tree t's root is ``roots[t]``, or ``root0 + t`` without
    ``roots``; the value of leaf node p is ``leaf[p - leaf0]``. A NaN value goes right where its node's
    ``nan_left`` is 0 (no ``nan_left``: left, as the comparison is false)."""
    cdef Py_ssize_t t, k, q, root
    cdef Py_ssize_t pos[ROWS]
    cdef int level
    cdef double v
    for t in range(trees):
        root = roots[t] if roots != NULL else root0 + t
        for k in range(m):
            pos[k] = root
        for level in range(depth):
            for k in range(m):
                q = pos[k]
                v = first[k * width + feature[q]]
                if nan_left != NULL and v != v:
                    pos[k] = 2 * q + (nan_left[q] == 0)
                else:
                    pos[k] = 2 * q + (v > threshold[q])
        for k in range(m):
            scratch[k * trees + t] = leaf[pos[k] - leaf0]


cdef double *_scratch(Py_ssize_t trees) except NULL:
    """Room for the leaf values of the ``ROWS`` rows in hand: ``ROWS`` × ``trees``."""
    cdef double *room = <double *>PyMem_Malloc(ROWS * max(trees, 1) * sizeof(double))
    if room == NULL:
        raise MemoryError()
    return room


def dense_raw(
    const double[:, ::1] x,
    const Py_ssize_t[::1] feature,
    const double[::1] threshold,
    const unsigned char[::1] nan_left,
    const double[::1] leaves,
    const Py_ssize_t[::1] roots,
    int depth,
    double[::1] out,
):
    """Leaf sums of the complete trees of ``model._densify`` for each row of ``x`` into ``out`` (without the
    model's constant). The heap's children of node p are 2p and 2p + 1; a NaN feature goes right where its
    node's ``nan_left`` is 0."""
    cdef Py_ssize_t rows = x.shape[0], width = x.shape[1], trees = roots.shape[0]
    cdef Py_ssize_t i = 0, k, m
    cdef double *scratch
    if out.shape[0] < rows:
        raise ValueError("output too small")
    if rows == 0 or trees == 0:
        out[:rows] = 0.0
        return
    scratch = _scratch(trees)
    with nogil:
        while i < rows:
            m = min(<Py_ssize_t>ROWS, rows - i)
            _leaves(
                &x[i, 0], width, m, &roots[0], 0, trees, &feature[0], &threshold[0], &nan_left[0], depth,
                &leaves[0], 0, scratch,
            )
            for k in range(m):
                out[i + k] = _pairwise(&scratch[k * trees], trees)
            i += m
    PyMem_Free(scratch)


def packed_raw(
    const double[:, ::1] x,
    const Py_ssize_t[::1] feature,
    const double[::1] threshold,
    const double[::1] leaf,
    Py_ssize_t top,
    int depth,
    const Py_ssize_t[::1] bounds,
    double[:, ::1] out,
):
    """Leaf sums of ``text_trees.Packed`` models for each row of ``x`` (lines × features: the transpose of
    the text path's matrices, so that a line's features sit together; no NaN) into ``out`` (models × lines,
    without the models' constants). A model's sum is its first tree's leaf plus the pairwise sum of the
    others', as ``add.reduceat`` adds along the first axis; every model has at least one tree."""
    cdef Py_ssize_t lines = x.shape[0], width = x.shape[1], models = bounds.shape[0] - 1
    cdef Py_ssize_t i = 0, k, m, n, trees, last = top << depth
    cdef double *scratch
    cdef double *mine
    if models < 1:
        raise ValueError("no models")
    trees = bounds[models]
    if out.shape[0] < models or out.shape[1] < lines:
        raise ValueError("output too small")
    for n in range(models):
        if bounds[n + 1] <= bounds[n]:
            raise ValueError("a model without trees")
    if lines == 0:
        return
    scratch = _scratch(trees)
    with nogil:
        while i < lines:
            m = min(<Py_ssize_t>ROWS, lines - i)
            _leaves(
                &x[i, 0], width, m, NULL, top, trees, &feature[0], &threshold[0], NULL, depth, &leaf[0], last,
                scratch,
            )
            for k in range(m):
                mine = &scratch[k * trees]
                for n in range(models):
                    if bounds[n + 1] - bounds[n] == 1:
                        out[n, i + k] = mine[bounds[n]]
                    else:
                        out[n, i + k] = mine[bounds[n]] + _pairwise(
                            &mine[bounds[n] + 1], bounds[n + 1] - bounds[n] - 1
                        )
            i += m
    PyMem_Free(scratch)
