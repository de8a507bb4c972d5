# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Counts the HTML path makes over text, compiled: the block features' per-block counts
(``html_features._text_stats``) and the open elements' depth bound of a big page (``html._open_depth``).

Characters of a few classes and stop words are counted per block in one pass over each block's code points
instead of numpy masks over the page's text and a set look-up per word; the counts are integers, so the
features computed from them are the same to the bit. The depth bound follows the tags in one pass instead of
a regex's matches in a Python loop. ``tests/test_compiled.py`` holds both to the Python versions.
"""

import numpy as np

from cpython.bytes cimport PyBytes_AS_STRING
from libc.stdint cimport uint64_t
from libc.string cimport memcmp, memcpy
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport PyUnicode_DecodeASCII

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


cdef enum:
    NAME_SLOTS = 4096
    LONGEST_NAME = 32

cdef struct NameSlot:
    Py_ssize_t length  # -1: empty
    unsigned char name[LONGEST_NAME]
    long open  # elements of this name open
    bint flat  # a name that never nests (``html._NEVER_NEST``)


def open_depth(str content, object never_nest):
    """``html._open_depth`` in one pass over the code points: the deepest the open elements get when every
    end tag closes one open element of its name and a stray end tag closes nothing, elements that never nest
    left out. -1 where the page holds tag names this pass does not track (over ``LONGEST_NAME`` characters,
    or more distinct names than half its table): the Python version then counts."""
    cdef NameSlot *slots = <NameSlot *>PyMem_Malloc(NAME_SLOTS * sizeof(NameSlot))
    if slots == NULL:
        raise MemoryError()
    cdef Py_ssize_t i, j, n = PyUnicode_GET_LENGTH(content), names = 0
    cdef int kind = PyUnicode_KIND(content)
    cdef void *data = PyUnicode_DATA(content)
    cdef Py_UCS4 c
    cdef unsigned int u
    cdef bint slash
    cdef unsigned char name[LONGEST_NAME]
    cdef Py_ssize_t length
    cdef uint64_t k
    cdef NameSlot *slot
    cdef long depth = 0, deepest = 0
    try:
        for i in range(NAME_SLOTS):
            slots[i].length = -1
        i = 0
        while i < n:
            if PyUnicode_READ(kind, data, i) != 60:  # '<'
                i += 1
                continue
            j = i + 1
            slash = j < n and PyUnicode_READ(kind, data, j) == 47
            if slash:
                j += 1
            if j >= n or not _letter(PyUnicode_READ(kind, data, j)):
                i += 1  # no tag name: the search goes on after this '<'
                continue
            length = 0
            while j < n:
                c = PyUnicode_READ(kind, data, j)
                if not (_letter(c) or 48 <= c <= 57):
                    break
                if length == LONGEST_NAME:
                    return -1
                u = <unsigned int>c
                name[length] = <unsigned char>(u + 32 if 65 <= u <= 90 else u)
                length += 1
                j += 1
            i = j  # matches do not overlap: the next is looked for after this name
            k = _hash(name, length) % NAME_SLOTS
            while slots[k].length >= 0 and not (
                slots[k].length == length and memcmp(slots[k].name, name, length) == 0
            ):
                k = (k + 1) % NAME_SLOTS
            slot = &slots[k]
            if slot.length < 0:
                names += 1
                if names > NAME_SLOTS // 2:
                    return -1
                slot.length = length
                memcpy(slot.name, name, length)
                slot.open = 0
                slot.flat = PyUnicode_DecodeASCII(<const char *>name, length, NULL) in never_nest
            if slot.flat:
                continue
            if not slash:
                slot.open += 1
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif slot.open:
                slot.open -= 1
                depth -= 1
        return deepest
    finally:
        PyMem_Free(slots)


cdef inline bint _letter(Py_UCS4 c) noexcept:
    return 65 <= c <= 90 or 97 <= c <= 122
