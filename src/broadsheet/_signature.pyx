# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""A text's MinHash signature and shingle count, compiled: what ``dedup._shingle_hashes`` and
``dedup._minhash`` compute with numpy, in one pass over the bytes and one over the shingles.

numpy's version makes page-sized arrays (prefix sums, powers, start and end positions), sorts the
shingle hashes to drop repeats and binary-searches the bins; here the prefix sums and powers are carried
along the bytes, read only where words start and end, and a small hash set counts the distinct hashes
while each bin keeps its smallest. Every product wraps mod 2**64 as numpy's unsigned products do, so the
signature and the count are the same to the bit (``tests/test_compiled.py``).
"""

import numpy as np

from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memset
from cpython.mem cimport PyMem_Free, PyMem_Malloc


cdef inline uint64_t _mix(uint64_t x) noexcept nogil:
    """splitmix64's finaliser (``dedup._mix``)."""
    x ^= x >> 30
    x *= 0xBF58476D1CE4E5B9ULL
    x ^= x >> 27
    x *= 0x94D049BB133111EBULL
    x ^= x >> 31
    return x


def signature(
    const unsigned char[::1] data,
    int shingle,
    uint64_t base,
    uint64_t inverse,
    const int64_t[:, ::1] probes,
    int bin_bits,
    int value_shift,
):
    """(signature as little-endian uint32 bytes, distinct shingles) of ``data``: words joined by single
    spaces, at least ``shingle`` of them. ``probes``: each bin's densification order (``dedup._probes``)."""
    cdef Py_ssize_t n = data.shape[0]
    cdef Py_ssize_t nbins = probes.shape[0]
    cdef Py_ssize_t words = 1, i, j, k, runs
    for i in range(n):
        if data[i] == 32:
            words += 1
    runs = words - shingle + 1
    if runs < 1 or not 0 < bin_bits <= 8 or nbins != (<Py_ssize_t>1 << bin_bits) or probes.shape[1] != nbins:
        raise ValueError("too few words for a shingle, or probes that do not match the bins")
    cdef Py_ssize_t size = 16
    cdef int bits = 4
    while size < 2 * runs:
        size <<= 1
        bits += 1
    # per word: the prefix sum where it starts and where it ends, and base**-start; then the hash set
    cdef uint64_t *starts = <uint64_t *>PyMem_Malloc(words * sizeof(uint64_t))
    cdef uint64_t *ends = <uint64_t *>PyMem_Malloc(words * sizeof(uint64_t))
    cdef uint64_t *unwind = <uint64_t *>PyMem_Malloc(words * sizeof(uint64_t))
    cdef uint64_t *keys = <uint64_t *>PyMem_Malloc(size * sizeof(uint64_t))
    cdef unsigned char *used = <unsigned char *>PyMem_Malloc(size)
    cdef uint64_t mins[256]
    cdef unsigned char filled[256]
    cdef uint64_t prefix = 0, power = 1, back = 1, h
    cdef Py_ssize_t distinct = 0, slot
    cdef int shift = 64 - bits, bin_shift = 64 - bin_bits
    out = np.empty(nbins, dtype=np.uint32)
    cdef uint32_t[::1] values = out
    try:
        if starts == NULL or ends == NULL or unwind == NULL or keys == NULL or used == NULL:
            raise MemoryError()
        starts[0] = 0
        unwind[0] = 1
        j = 0
        for i in range(n):
            if data[i] == 32:
                ends[j] = prefix
                j += 1
                prefix += 32 * power
                power *= base
                back *= inverse
                starts[j] = prefix
                unwind[j] = back
            else:
                prefix += data[i] * power
                power *= base
                back *= inverse
        ends[j] = prefix
        memset(used, 0, size)
        memset(filled, 0, sizeof(filled))
        for k in range(runs):
            h = _mix((ends[k + shingle - 1] - starts[k]) * unwind[k])
            slot = <Py_ssize_t>((h * 0x9E3779B97F4A7C15ULL) >> shift)
            while used[slot] and keys[slot] != h:
                slot = (slot + 1) & (size - 1)
            if used[slot]:
                continue
            used[slot] = 1
            keys[slot] = h
            distinct += 1
            j = <Py_ssize_t>(h >> bin_shift)
            if not filled[j] or h < mins[j]:
                mins[j] = h
                filled[j] = 1
        for j in range(nbins):
            if filled[j]:
                values[j] = <uint32_t>(mins[j] >> value_shift)
        for j in range(nbins):
            if not filled[j]:
                for k in range(nbins):  # the first filled bin in this bin's probe order
                    if filled[probes[j, k]]:
                        values[j] = values[probes[j, k]]
                        break
    finally:
        PyMem_Free(starts)
        PyMem_Free(ends)
        PyMem_Free(unwind)
        PyMem_Free(keys)
        PyMem_Free(used)
    return out.astype("<u4", copy=False).tobytes(), distinct
