# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The HTML block features' per-block counts (``html_features._text_stats``) compiled.

Characters of a few classes and stop words, counted per block in one pass over each block's code points
instead of numpy masks over the page's text and a set look-up per word. The counts are integers, so the
features computed from them are the same to the bit; ``tests/test_html_walk.py`` holds them to the numpy
version's on the project's pages and on generated text.
"""

import numpy as np

from cpython.bytes cimport PyBytes_AS_STRING
from libc.stdint cimport uint64_t
from libc.string cimport memcmp

cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void *PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    Py_UCS4 PyUnicode_READ(int kind, void *data, Py_ssize_t index)
    bint PyUnicode_IS_ASCII(object o)

cdef enum:
    SLOTS = 4096  # the ASCII stop words' table (open addressing)
    LONGEST = 32  # longer ASCII stop words are looked up in the set

# the ASCII stop words, lower-case, in a hash table of (offset, length) into ``_blob``
cdef Py_ssize_t slot_at[SLOTS]
cdef Py_ssize_t slot_len[SLOTS]
cdef bytes _blob = b""
cdef object _words = None  # the set the table was made from


cdef inline uint64_t _hash(const unsigned char *raw, Py_ssize_t n) noexcept:
    cdef uint64_t h = 14695981039346656037ULL
    cdef Py_ssize_t i
    for i in range(n):
        h = (h ^ raw[i]) * 1099511628211ULL
    return h


cdef int _load(object stopwords) except -1:
    """Make the table from ``stopwords`` (once per set)."""
    global _blob, _words
    cdef Py_ssize_t i, at = 0, n
    cdef uint64_t k
    for i in range(SLOTS):
        slot_len[i] = -1
    parts = []
    ascii_words = sorted(w for w in stopwords if w.isascii() and 0 < len(w) <= LONGEST and w == w.lower())
    if len(ascii_words) > SLOTS // 2:
        raise ValueError("too many stop words for the table")
    for word in ascii_words:
        parts.append(word.encode())
    _blob = b"".join(parts)
    cdef const unsigned char *blob = <const unsigned char *>PyBytes_AS_STRING(_blob)
    for part in parts:
        n = len(part)
        k = _hash(blob + at, n) % SLOTS
        while slot_len[k] >= 0:
            k = (k + 1) % SLOTS
        slot_at[k] = at
        slot_len[k] = n
        at += n
    _words = stopwords
    return 0


cdef inline bint _is_stop(const unsigned char *token, Py_ssize_t n) noexcept:
    cdef uint64_t k = _hash(token, n) % SLOTS
    cdef const unsigned char *blob = <const unsigned char *>PyBytes_AS_STRING(_blob)
    while slot_len[k] >= 0:
        if slot_len[k] == n and memcmp(blob + slot_at[k], token, n) == 0:
            return True
        k = (k + 1) % SLOTS
    return False


cdef inline bint _ascii_space(Py_UCS4 c) noexcept:
    # what str.split() splits an ASCII string on
    return c == 32 or 9 <= c <= 13 or 28 <= c <= 31


def counts(list texts, object stopwords):
    """Per text: spaces, CJK characters, digits, upper-case letters, commas, periods (a full stop before a
    space, or an ideographic one) and stop words (of its lower-cased words), as an (n, 7) float array.

    None when some text's words are not exactly its spaces plus one (the numpy version then assigns the
    page's words to blocks differently; the caller computes that page as it does)."""
    if stopwords is not _words:
        _load(stopwords)
    cdef Py_ssize_t n = len(texts), i, j, length, start, stops, tokens
    out = np.zeros((n, 7), dtype=np.float64)
    cdef double[:, :] o = out
    cdef int kind
    cdef void *data
    cdef Py_UCS4 c
    cdef unsigned int u
    cdef long spaces, cjk, digits, upper, commas, periods
    cdef unsigned char low[LONGEST]
    cdef bint inside
    cdef str text
    for i in range(n):
        text = texts[i]
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        length = PyUnicode_GET_LENGTH(text)
        spaces = cjk = digits = upper = commas = periods = 0
        for j in range(length):
            c = PyUnicode_READ(kind, data, j)
            if c == 32:
                spaces += 1
            elif 48 <= c <= 57:
                digits += 1
            elif 65 <= c <= 90 or 0xC0 <= c <= 0xDE:
                upper += 1
            elif c == 44 or c == 0x3001 or c == 0xFF0C:
                commas += 1
            elif c == 46:
                if j + 1 < length and PyUnicode_READ(kind, data, j + 1) == 32:
                    periods += 1
            elif c == 0x3002:
                periods += 1
            elif 0x3040 <= c <= 0x9FFF or 0xAC00 <= c <= 0xD7AF:
                cjk += 1
        if PyUnicode_IS_ASCII(text):
            stops = tokens = 0
            inside = False
            start = 0
            for j in range(length + 1):
                c = PyUnicode_READ(kind, data, j) if j < length else 32
                if _ascii_space(c):
                    if inside:
                        inside = False
                        tokens += 1
                        if j - start <= LONGEST:
                            stops += _is_stop(low, j - start)
                        elif text[start:j].lower() in stopwords:
                            stops += 1
                else:
                    if not inside:
                        inside = True
                        start = j
                    if j - start < LONGEST:
                        u = <unsigned int>c
                        low[j - start] = <unsigned char>(u + 32 if 65 <= u <= 90 else u)
        else:
            words = text.lower().split()
            tokens = len(words)
            stops = sum([w in stopwords for w in words])
        if tokens != spaces + 1:
            return None
        o[i, 0] = spaces
        o[i, 1] = cjk
        o[i, 2] = digits
        o[i, 3] = upper
        o[i, 4] = commas
        o[i, 5] = periods
        o[i, 6] = stops
    return out
