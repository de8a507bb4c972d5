# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The text path's token counts, compiled: what ``text_features._token_features`` counts per line from the
page's tokens (keyword kinds and stop words, a tags line's first word, words frequent on the page, phrases
printed on another line too, the URL's words), in one pass over the tokens and a few hash tables instead of
numpy's passes, sorts and page-sized tables.

Every count is an integer and every hash is taken mod 2**64 as the numpy version takes it, so the features
made from them are the same to the bit (``tests/test_compiled.py``).
"""

import numpy as np

from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.string cimport memset
from cpython.mem cimport PyMem_Free, PyMem_Malloc


cdef struct Table:
    # open addressing over 64-bit keys: slot i is taken when used[i]
    uint64_t *keys
    int64_t *a
    int64_t *b
    unsigned char *used
    Py_ssize_t mask
    int shift  # 64 - log2(slots): a key's home slot is the top bits of its Fibonacci product


cdef int _open(Table *t, Py_ssize_t entries) except -1:
    cdef Py_ssize_t size = 16
    cdef int bits = 4
    while size < 2 * entries:
        size <<= 1
        bits += 1
    t.mask = size - 1
    t.shift = 64 - bits
    t.keys = <uint64_t *>PyMem_Malloc(size * sizeof(uint64_t))
    t.a = <int64_t *>PyMem_Malloc(size * sizeof(int64_t))
    t.b = <int64_t *>PyMem_Malloc(size * sizeof(int64_t))
    t.used = <unsigned char *>PyMem_Malloc(size)
    if t.keys == NULL or t.a == NULL or t.b == NULL or t.used == NULL:
        _close(t)
        raise MemoryError()
    memset(t.used, 0, size)
    return 0


cdef void _close(Table *t) noexcept:
    PyMem_Free(t.keys)
    PyMem_Free(t.a)
    PyMem_Free(t.b)
    PyMem_Free(t.used)
    t.keys = NULL
    t.a = NULL
    t.b = NULL
    t.used = NULL


cdef inline Py_ssize_t _home(Table *t, uint64_t key) noexcept nogil:
    return <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> t.shift)


cdef inline Py_ssize_t _probe(Table *t, uint64_t key) noexcept nogil:
    """The slot holding ``key``, or the free slot where it would go."""
    cdef Py_ssize_t i = _home(t, key)
    while t.used[i] and t.keys[i] != key:
        i = (i + 1) & t.mask
    return i


cdef inline Py_ssize_t _get(Table *t, uint64_t key) noexcept nogil:
    """The slot of ``key``, or -1."""
    cdef Py_ssize_t i = _probe(t, key)
    return i if t.used[i] else -1


cdef inline Py_ssize_t _find(Table *t, uint64_t key, bint *fresh) noexcept nogil:
    """The slot of ``key``, taken for it when it is new (``fresh``)."""
    cdef Py_ssize_t i = _probe(t, key)
    fresh[0] = not t.used[i]
    if fresh[0]:
        t.used[i] = 1
        t.keys[i] = key
    return i


# The lexicon's entries again, in a table sized to them (a few thousand slots) rather than the caller's
# page-sized direct-mapped one: two look-ups a token then stay in the cache. Made from the caller's table on
# first use, and again if another is passed.
cdef Table _lexicon
cdef object _lexicon_from = None


cdef int _load_lexicon(object keys_arr, const uint64_t[::1] keys, const int64_t[::1] bits) except -1:
    global _lexicon_from
    cdef Py_ssize_t i, j, entries = 0
    cdef bint fresh
    if _lexicon_from is keys_arr:
        return 0
    if _lexicon.used != NULL:
        _close(&_lexicon)
        _lexicon_from = None
    for i in range(keys.shape[0]):
        if bits[i] != 0:
            entries += 1
    _open(&_lexicon, entries)
    for i in range(keys.shape[0]):
        if bits[i] != 0:
            j = _find(&_lexicon, keys[i], &fresh)
            _lexicon.a[j] = bits[i]
    _lexicon_from = keys_arr
    return 0


cdef inline int64_t _lexicon_bits(uint64_t key) noexcept nogil:
    cdef Py_ssize_t j = _get(&_lexicon, key)
    return _lexicon.a[j] if j >= 0 else 0


def token_counts(
    const uint32_t[::1] low,
    const Py_ssize_t[::1] t_start,
    const Py_ssize_t[::1] t_end,
    const Py_ssize_t[::1] char_line,
    Py_ssize_t n,
    Py_ssize_t page_tokens,
    uint64_t hash_r,
    uint64_t mix,
    const uint64_t[::1] lex_keys,
    const int64_t[::1] lex_bits,
    int width,
    int64_t tag_bit,
    Py_ssize_t phrase,
):
    """Per line of ``n``: the counts ``text_features._token_features`` makes.

    ``low``: the page's lower-case code points; tokens ``low[t_start[i]:t_end[i]]``, the first
    ``page_tokens`` of them the page's (the rest the URL's words); ``char_line``: each code point's line.
    ``lex_keys`` and ``lex_bits``: the lexicon's keys and bitmasks (``text_features._lexicon``; slots with no
    bits are empty).
    Returns (kinds: (width, n) counts of tokens carrying each of the lexicon's ``width`` low bits, with a
    two-word phrase's bits on its first token; tokens per line; whether a line's first token carries
    ``tag_bit``; tokens per line whose word occurs four times or more on the page; tokens per line starting a
    ``phrase``-token phrase that stays on its line and is printed on another line too; distinct URL words per
    line, or None without URL words or page tokens; the number of distinct URL words)."""
    cdef Py_ssize_t total = t_start.shape[0], i, j, line, m, slugs = 0
    cdef uint64_t h, p, key
    cdef int64_t bits
    cdef bint fresh
    cdef Table words, grams, slug
    if t_end.shape[0] != total or page_tokens > total or page_tokens < 0 or n < 0:
        raise ValueError("token offsets do not match")
    kinds_arr = np.zeros((width, n), dtype=np.int64)
    tokens_arr = np.zeros(n, dtype=np.int64)
    heads_arr = np.zeros(n, dtype=np.int64)
    frequent_arr = np.zeros(n, dtype=np.int64)
    shared_arr = np.zeros(n, dtype=np.int64)
    cdef int64_t[:, ::1] kinds = kinds_arr
    cdef int64_t[::1] tokens = tokens_arr
    cdef int64_t[::1] heads = heads_arr
    cdef int64_t[::1] frequent = frequent_arr
    cdef int64_t[::1] shared = shared_arr
    hashes_arr = np.empty(total, dtype=np.uint64)
    lines_arr = np.empty(total, dtype=np.intp)
    cdef uint64_t[::1] hashes = hashes_arr
    cdef Py_ssize_t[::1] lines = lines_arr
    for i in range(total):
        if t_start[i] < 0 or t_end[i] > low.shape[0] or t_start[i] >= t_end[i] or t_start[i] >= char_line.shape[0]:
            raise ValueError("token offsets out of range")
        line = char_line[t_start[i]]
        if i < page_tokens and not 0 <= line < n:
            raise ValueError("a token outside the page's lines")
        lines[i] = line
    # the tokens' hashes: sum of code point × R**offset, mod 2**64 (``text_features.hash_token``)
    with nogil:
        for i in range(total):
            h = 0
            p = 1
            for j in range(t_start[i], t_end[i]):
                h += low[j] * p
                p *= hash_r
            hashes[i] = h
    m = page_tokens
    # keyword kinds and stop words: each token's lexicon bits, or-ed with those of the two-word phrase it starts
    _load_lexicon(lex_keys.base, lex_keys, lex_bits)
    for i in range(m):
        line = lines[i]
        tokens[line] += 1
        bits = _lexicon_bits(hashes[i])
        if i + 1 < m and lines[i + 1] == line:
            bits |= _lexicon_bits(hashes[i] * mix + hashes[i + 1])
        for j in range(width):
            if (bits >> j) & 1:
                kinds[j, line] += 1
        if (i == 0 or lines[i - 1] != line) and bits & tag_bit:
            heads[line] = 1
    # each word's or phrase's slot in its table, kept for the second pass (slots never move); -1: none
    cdef Py_ssize_t[::1] slot_of = np.full(max(m, 1), -1, dtype=np.intp)
    # words that occur four times or more on the page
    _open(&words, m)
    try:
        for i in range(m):
            j = _find(&words, hashes[i], &fresh)
            words.a[j] = 1 if fresh else words.a[j] + 1
            slot_of[i] = j
        for i in range(m):
            if words.a[slot_of[i]] >= 4:
                frequent[lines[i]] += 1
    finally:
        _close(&words)
    # phrases of ``phrase`` tokens on one line that another line prints too: their first and last line
    cdef Py_ssize_t starts = m - phrase + 1
    if starts > 1:
        slot_of[:starts] = -1  # a phrase crossing a line keeps -1
        _open(&grams, starts)
        try:
            for i in range(starts):
                if lines[i] != lines[i + phrase - 1]:
                    continue
                key = hashes[i]
                for j in range(1, phrase):
                    key = key * mix + hashes[i + j]
                j = _find(&grams, key, &fresh)
                if fresh:
                    grams.a[j] = lines[i]
                grams.b[j] = lines[i]
                slot_of[i] = j
            for i in range(starts):
                j = slot_of[i]
                if j >= 0 and grams.a[j] != grams.b[j]:
                    shared[lines[i]] += 1
        finally:
            _close(&grams)
    # the URL's distinct words each line holds
    if total == m:
        return kinds_arr, tokens_arr, heads_arr, frequent_arr, shared_arr, None, 0
    _open(&slug, total - m)
    try:
        for i in range(m, total):
            j = _find(&slug, hashes[i], &fresh)
            if fresh:
                slug.a[j] = slugs
                slugs += 1
        if m == 0:
            return kinds_arr, tokens_arr, heads_arr, frequent_arr, shared_arr, None, slugs
        overlap_arr = np.zeros(n, dtype=np.int64)
        _overlap(hashes, lines, m, &slug, overlap_arr)
    finally:
        _close(&slug)
    return kinds_arr, tokens_arr, heads_arr, frequent_arr, shared_arr, overlap_arr, slugs


cdef int _overlap(uint64_t[::1] hashes, Py_ssize_t[::1] lines, Py_ssize_t m, Table *slug, int64_t[::1] out) except -1:
    """Per line, the distinct URL words (``slug``'s entries) among its tokens."""
    cdef Table pairs
    cdef Py_ssize_t i, j, k
    cdef bint fresh
    cdef uint64_t pair
    _open(&pairs, m)
    try:
        for i in range(m):
            j = _get(slug, hashes[i])
            if j < 0:  # not a URL word
                continue
            pair = (<uint64_t>lines[i] << 32) ^ <uint64_t>slug.a[j]
            k = _find(&pairs, pair, &fresh)
            if fresh:
                out[lines[i]] += 1
    finally:
        _close(&pairs)
    return 0
