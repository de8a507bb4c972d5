"""Duplicates and story clusters: exact copies by a normalised-text hash, near copies by MinHash + LSH.

Two article bodies are the same story when either
  1. their normalised texts are equal (``text_hash``: casefolded words, punctuation and spacing dropped), or
  2. they are near duplicates: their word shingles overlap so much that one is (almost) contained in
     the other. Wire copies are edited, padded with a site's boilerplate, or cut from the bottom (the
     inverted pyramid), so containment — the share of the *shorter* text's shingles found in the
     longer — is the measure, not Jaccard alone.

The algorithm (the same in the archive, in ``cluster()`` and in a Spark job grouping by band key):
  * shingles: every run of ``SHINGLE`` consecutive words of the normalised text;
  * signature: a one-permutation MinHash of the shingle set (``NUM_PERM`` bins of one hash, numpy; empty
    bins densified), plus the set size; ``SIGNATURE_SCHEME`` names the kind, and an archive holding
    signatures of another kind makes them again from its texts when it is opened for writing;
  * candidates: the signature cut into ``BANDS`` bands of ``ROWS`` rows; texts sharing any band key
    are candidates (LSH banding: a pair with Jaccard J is found with probability 1-(1-J^ROWS)^BANDS);
  * verification: from the estimated Jaccard J and the set sizes a, b the overlap is
    J(a+b)/(1+J), and the containment overlap/min(a, b) must reach ``CONTAINMENT``;
  * clusters: connected components of the verified pairs, computed over the whole set at once
    (``cluster``), so they do not depend on the order texts arrived in: the SQLite and PostgreSQL
    archives and a Spark job grouping by band key find the same stories.

A cluster is named after its source: the wire agency when a member credits one (``wire_agency``),
otherwise its earliest-published member.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial

import numpy as np

from .pipeline.compiled import compiled

__all__ = [
    "BANDS",
    "BUCKET_CAP",
    "CONTAINMENT",
    "NUM_PERM",
    "ROWS",
    "SHINGLE",
    "WIRE_AGENCIES",
    "Fingerprint",
    "band_keys",
    "band_matrix",
    "cluster",
    "cluster_columns",
    "fingerprint",
    "is_near_duplicate",
    "normalise",
    "overlap",
    "text_hash",
    "wire_agency",
]

#: Words per shingle. Longer than the common 5 because news (and our synthetic corpus) repeats
#: stock phrases of five to seven words ("per cent of those asked said"), which make unrelated
#: stories look alike at 5; wire copies share runs far longer than 8 words.
SHINGLE = 8
NUM_PERM = 128
#: LSH banding: 42 bands of 3 rows use 126 of the 128 permutations; a pair at Jaccard 0.3 (a copy cut
#: to a third) is a candidate with probability 0.68, at 0.5 with 0.995. ``band_matrix``'s key layout is
#: made for ROWS = 3.
BANDS = 42
ROWS = 3
#: Share of the shorter text's shingles that must be in the longer for a near duplicate.
CONTAINMENT = 0.7
#: A bucket (band key) shared by more than this many texts is boilerplate (a stock sentence), not a
#: story: it yields no candidates. Keeps the candidate pairs linear in the number of texts.
BUCKET_CAP = 50
#: Below this many words a text is too short for shingles to say anything; only exact copies count.
MIN_WORDS = 2 * SHINGLE

#: News agencies whose copy is republished: a byline naming one marks the wire source of a cluster.
WIRE_AGENCIES = (
    "Reuters",
    "Associated Press",
    "AP",
    "AFP",
    "Agence France-Presse",
    "dpa",
    "Deutsche Presse-Agentur",
    "PA Media",
    "Press Association",
    "ANSA",
    "EFE",
    "Kyodo",
    "Xinhua",
    "UPI",
    "Bloomberg",
    "ANP",
    "APA",
    "Canadian Press",
    "AAP",
)
_AGENCY_LOOKUP = {name.casefold(): name for name in WIRE_AGENCIES}

_WORD = re.compile(r"\w+")
_SEED = 1


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs of one text: its exact hash, MinHash signature and shingle count."""

    text_hash: str
    signature: bytes  # NUM_PERM little-endian uint32 values
    shingles: int  # size of the shingle set (0 when the text is too short for near-duplicate search)

    @property
    def values(self) -> np.ndarray:
        return np.frombuffer(self.signature, dtype="<u4")


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# ASCII word characters ([a-z0-9_]) stay, capitals are lowered, other ASCII becomes a space; bytes of
# other characters (>= 128) stay as they are
_BYTE_WORDS = bytes(
    c if c >= 128 or chr(c).isalnum() or c == ord("_") else ord(" ")
    for c in (ord(chr(c).lower()) if c < 128 else c for c in range(256))
)

#: Common punctuation outside ASCII, in UTF-8: a word boundary as a space is, so replaced by one, which
#: leaves many texts (English with typographic quotes and dashes) on the all-ASCII path. One regex pass
#: replaces them all (a pass per mark cost twice as much).
_MARKS = re.compile(
    b"|".join(
        re.escape(ch.encode("utf-8"))
        for ch in "\u201c\u201d\u2018\u2019\u2014\u2013\u00ab\u00bb\u201e\u00b7\u2022"
    )
)


def _word_bytes(text: str) -> list[bytes]:
    """``_words`` as UTF-8 bytes, faster than the regular expression over the whole text: an ASCII
    character is a word character exactly when it is in ``[A-Za-z0-9_]``, so the text is cut at the
    others with ``bytes.translate``. When every character left is a word character (a regex word
    character is ``str.isalnum`` or "_"), as in most texts whose other characters are letters, the pieces are
    the words; otherwise only the pieces holding other characters go through the regex."""
    if text.isascii():  # NFKC and casefolding change nothing in ASCII but the case
        return text.encode("ascii").translate(_BYTE_WORDS).split()
    data = _MARKS.sub(b" ", unicodedata.normalize("NFKC", text).casefold().encode("utf-8"))
    pieces = data.translate(_BYTE_WORDS).split()
    if data.isascii() or b"".join(pieces).decode("utf-8").replace("_", "").isalnum():
        return pieces
    words: list[bytes] = []
    for piece in pieces:
        if piece.isascii():
            words.append(piece)
        else:
            words += [w.encode("utf-8") for w in _WORD.findall(piece.decode("utf-8"))]
    return words


def normalise(text: str) -> str:
    """The text as dedup compares it: NFKC, casefolded, words only, single spaces."""
    return " ".join(_words(text))


def text_hash(text: str) -> str:
    """Hash of the normalised text: equal for copies that differ only in case, spacing or punctuation."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=16).hexdigest()


#: What the stored signatures are: archives re-sign their articles when it changes (``SIGNATURE_SCHEME``).
#: 2: one-permutation MinHash over polynomial word hashes; 1 (before 2026-11-26): NUM_PERM multiply-shift
#: hash functions over CRC32 word hashes.
SIGNATURE_SCHEME = 2

#: A shingle's hash is the polynomial of its bytes (its words joined by single spaces) in this base modulo
#: 2**64 (odd, so invertible), mixed: computed for all shingles of a text at once from one prefix sum.
_BASE = 0x9E3779B97F4A7C15
_BASE_INVERSE = pow(_BASE, -1, 2**64)


def _powers(base: int, n: int) -> np.ndarray:
    """base ** k modulo 2**64 for k < n (numpy's unsigned products wrap)."""
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, out=out)


_POWER_CACHE = 1 << 15  # bytes of text the precomputed powers cover; longer texts compute their own
_BASE_POWERS = _powers(_BASE, _POWER_CACHE + 1)
_INVERSE_POWERS = _powers(_BASE_INVERSE, _POWER_CACHE + 1)
_SPACE = ord(" ")


def _shingle_hashes(joined: bytes) -> np.ndarray:
    """The distinct 64-bit hashes, sorted, of every run of SHINGLE words of ``joined`` (words separated by
    single spaces). A run's hash does not depend on where it stands: the run of bytes [s, e) hashes to
    (prefix[e] - prefix[s]) * base**-s, where prefix[i] = sum(byte[k] * base**k for k < i)."""
    data = np.frombuffer(joined, dtype=np.uint8)
    n = data.size
    powers, inverse = (
        (_BASE_POWERS, _INVERSE_POWERS)
        if n <= _POWER_CACHE
        else (_powers(_BASE, n + 1), _powers(_BASE_INVERSE, n + 1))
    )
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.multiply(data, powers[:n], out=prefix[1:])
    np.cumsum(prefix[1:], out=prefix[1:])
    gaps = np.flatnonzero(data == _SPACE)  # word k ends at gaps[k]; word k + 1 starts after it
    runs = gaps.size + 2 - SHINGLE
    starts = np.empty(runs, dtype=np.intp)
    starts[0] = 0
    np.add(gaps[: runs - 1], 1, out=starts[1:])
    ends = np.empty(runs, dtype=np.intp)
    ends[:-1] = gaps[SHINGLE - 1 :]
    ends[-1] = n
    hashes = prefix[ends]
    hashes -= prefix[starts]
    hashes *= inverse[starts]
    return _distinct(_mix(hashes))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted, of a fresh array (sorted in place): ``np.unique`` by sorting (numpy 2's
    hash-based unique is several times slower on these arrays of well-spread 64-bit values)."""
    values.sort()
    if not values.size:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


# One-permutation MinHash: a shingle hash's top 7 bits name one of the NUM_PERM (2**7) bins it falls in,
# and a bin's value is the smallest of its hashes (the next 32 bits). The hashes come sorted, so that is
# each bin's first hash: 128 binary searches instead of 128 hash functions over every shingle.
_BIN_BITS = 7
_BIN_STARTS = np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(64 - _BIN_BITS)
_VALUE_SHIFT = np.uint64(64 - _BIN_BITS - 32)


@cache
def _probes() -> np.ndarray:
    """Each bin's fixed probe order, for densification: an empty bin takes the value of the first filled bin
    in its order (a permutation of all bins, so one is always found). Texts that leave the same bins empty
    fill them alike, which keeps equal values as likely as the texts' Jaccard similarity ("optimal
    densification", Shrivastava 2017). Made on first use: 128 seeded generators cost 4-5 ms, which every
    process importing broadsheet would pay at start."""
    return np.stack([np.random.default_rng(_SEED + b).permutation(NUM_PERM) for b in range(NUM_PERM)])


def _minhash(hashes: np.ndarray) -> np.ndarray:
    """The signature of a sorted array of distinct shingle hashes: NUM_PERM little-endian uint32."""
    starts = np.searchsorted(hashes, _BIN_STARTS)
    filled = np.empty(NUM_PERM, dtype=bool)
    np.less(starts[:-1], starts[1:], out=filled[:-1])
    filled[-1] = starts[-1] < hashes.size
    values = (hashes[np.minimum(starts, hashes.size - 1)] >> _VALUE_SHIFT).astype("<u4")
    if not filled.all():
        empty = np.flatnonzero(~filled)
        probes = _probes()[empty]
        donors = probes[np.arange(empty.size), filled[probes].argmax(axis=1)]
        values[empty] = values[donors]
    return values


#: ``_signature.signature`` (``broadsheet/_signature.pyx``) where the install built it: the signature and the
#: shingle count in one pass, the same to the bit as ``_shingle_hashes`` and ``_minhash`` (a fifth of the time).
COMPILED_SIGNATURE = compiled("broadsheet._signature", "signature")


def fingerprint(text: str) -> Fingerprint:
    """The exact hash and MinHash signature of an article body."""
    joined = b" ".join(_word_bytes(text))
    digest = hashlib.blake2b(joined, digest_size=16).hexdigest()
    if joined.count(b" ") + 1 < MIN_WORDS:
        return Fingerprint(digest, b"", 0)
    if COMPILED_SIGNATURE is not None:
        signature, shingles = COMPILED_SIGNATURE(
            joined, SHINGLE, _BASE, _BASE_INVERSE, _probes(), _BIN_BITS, int(_VALUE_SHIFT)
        )
        return Fingerprint(digest, signature, shingles)
    hashes = _shingle_hashes(joined)
    return Fingerprint(digest, _minhash(hashes).tobytes(), len(hashes))


#: splitmix64's shifts and multipliers, as numpy scalars made once
_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place on a fresh array: spreads the bits of a uint64 (array arithmetic
    wraps silently). In place: no temporary arrays per step."""
    x ^= x >> _SHIFTS[0]
    x *= _MULTIPLIERS[0]
    x ^= x >> _SHIFTS[1]
    x *= _MULTIPLIERS[1]
    x ^= x >> _SHIFTS[2]
    return x


def band_matrix(signatures: np.ndarray) -> np.ndarray:
    """LSH band keys of many signatures at once: an (n, BANDS) uint64 array. A band's key hashes its ROWS
    values and its index (keys of different bands never meet): the first two values side by side in one
    64-bit word, xored with the mixed third value and band number, mixed again."""
    values = signatures[:, : BANDS * ROWS].reshape(len(signatures), BANDS, ROWS)
    keys = values[:, :, 0].astype(np.uint64)
    keys <<= _HALF
    keys |= values[:, :, 1]
    last = values[:, :, 2].astype(np.uint64)
    last |= _BAND_NUMBERS
    keys ^= _mix(last)
    return _mix(keys)


_HALF = np.uint64(32)
_BAND_NUMBERS = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) << _HALF


def band_keys(fp: Fingerprint) -> list[int]:
    """LSH band keys of one signature: texts sharing any of them are candidate duplicates."""
    if not fp.shingles:
        return []
    return [int(k) for k in band_matrix(fp.values[None, :])[0]]


def overlap(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """Estimated (Jaccard, containment) of two texts' shingle sets."""
    if not a.shingles or not b.shingles:
        same = float(a.text_hash == b.text_hash)
        return same, same
    jaccard = float(np.count_nonzero(a.values == b.values)) / NUM_PERM
    shared = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    return jaccard, min(1.0, shared / min(a.shingles, b.shingles))


def is_near_duplicate(a: Fingerprint, b: Fingerprint) -> bool:
    """True when the two texts are the same story: equal, or one (nearly) contained in the other."""
    return a.text_hash == b.text_hash or overlap(a, b)[1] >= CONTAINMENT


def wire_agency(authors: Iterable[str]) -> str | None:
    """The news agency a byline credits ("Reuters", "AFP"), if any."""
    for author in authors:
        name = _AGENCY_LOOKUP.get(author.strip().casefold())
        if name:
            return name
    return None


def cluster(prints: Sequence[Fingerprint]) -> list[int]:
    """Story clusters of a set of texts: for each, the index of the first member of its cluster.

    Connected components of verified pairs; the candidates are pairs sharing a band key (a bucket)
    or the exact text hash. A bucket with more than ``BUCKET_CAP`` members is boilerplate and skipped.
    The result does not depend on the order of ``prints`` beyond which index names a cluster.
    """
    return cluster_columns(
        [fp.text_hash for fp in prints], [fp.shingles for fp in prints], [fp.signature for fp in prints]
    )


def cluster_columns(
    text_hashes: Sequence[str], shingles: Sequence[int], signatures: Sequence[bytes]
) -> list[int]:
    """``cluster`` over the three columns of the fingerprints, as an archive reads them (no record per text).
    The bands and the verification run on every core (numpy's sorting and comparing release the GIL)."""
    n = len(text_hashes)
    sizes = np.fromiter(shingles, dtype=np.int64, count=n)
    idx = np.flatnonzero(sizes)
    pairs = [_exact_pairs(text_hashes)]
    if len(idx) > 1:
        sigs = np.frombuffer(b"".join([signatures[i] for i in idx.tolist()]), dtype="<u4").reshape(
            len(idx), NUM_PERM
        )
        with ThreadPoolExecutor(os.cpu_count() or 1) as threads:
            candidates = _bucket_pairs(band_matrix(sigs), threads)
            pairs.append(idx[_verified(candidates, sigs, sizes[idx].astype(np.float64), threads)])
    return _components(n, np.concatenate(pairs))


def _exact_pairs(text_hashes: Sequence[str]) -> np.ndarray:
    first: dict[str, int] = {}
    pairs = [(first.setdefault(h, i), i) for i, h in enumerate(text_hashes)]
    return np.array([p for p in pairs if p[0] != p[1]], dtype=np.int64).reshape(-1, 2)


def _bucket_pairs(keys: np.ndarray, threads: Executor) -> np.ndarray:
    """Distinct (i, j), i < j, of rows sharing a key in any band, buckets over the cap left out."""
    n = len(keys)
    found = [
        codes for band in threads.map(partial(_band_pairs, keys), range(keys.shape[1])) for codes in band
    ]
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = _distinct(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def _band_pairs(keys: np.ndarray, band: int) -> list[np.ndarray]:
    """The pairs of rows sharing a key in one band, each as one number i * n + j (i < j): one 1-D unique."""
    found, n = [], len(keys)
    order = np.argsort(keys[:, band])
    ordered = keys[order, band]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= BUCKET_CAP)]):
        groups = order[starts[sizes == size][:, None] + np.arange(size)]  # (buckets, size)
        left, right = np.triu_indices(int(size), 1)
        a, b = groups[:, left].ravel(), groups[:, right].ravel()
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
    return found


def _verified(pairs: np.ndarray, sigs: np.ndarray, sizes: np.ndarray, threads: Executor) -> np.ndarray:
    """The candidate pairs whose estimated containment reaches ``CONTAINMENT``, checked in chunks."""
    chunk = 16_384
    keep = list(
        threads.map(
            partial(_contained, sigs, sizes), (pairs[s : s + chunk] for s in range(0, len(pairs), chunk))
        )
    )
    return np.concatenate(keep) if keep else np.empty((0, 2), dtype=np.int64)


def _contained(sigs: np.ndarray, sizes: np.ndarray, part: np.ndarray) -> np.ndarray:
    a, b = part[:, 0], part[:, 1]
    jaccard = np.count_nonzero(sigs[a] == sigs[b], axis=1) / NUM_PERM
    shared = jaccard * (sizes[a] + sizes[b]) / (1.0 + jaccard)
    return part[shared / np.minimum(sizes[a], sizes[b]) >= CONTAINMENT]


def _components(n: int, edges: np.ndarray) -> list[int]:
    """Label each node with the smallest node of its connected component."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if n == 0:
        return []
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(n))
    return [int(x) for x in first[labels]]
