# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The HTML walk (``html._Walker.walk``) compiled: the same decisions, read from lexbor's nodes directly.

The Python walk pays for a wrapper object per node it steps to, a dictionary of attributes per
element and a decoded tag name per element; here the nodes are lexbor's own pointers, tag and class
names are remembered by their bytes, and an element's attributes are read by name into a small table
(``Found``). What the walk decides stays in ``html``'s Python helpers and tables, or is written here
beside its Python twin; ``tests/test_compiled.py`` holds the two walks to the same output.

No lexbor headers are needed to build it: lexbor's accessor functions are looked up by name in
selectolax's own extension (which exports them), node wrappers are made by selectolax's own
constructor (reached through the table Cython publishes for modules that build on selectolax), and
the one struct offset read directly (a text node's characters) is found on a known page by ``bind``,
which also checks the whole walk against the Python one before it is used.
"""

from cpython.bytes cimport PyBytes_AsString
from cpython.pycapsule cimport PyCapsule_GetPointer
from cpython.ref cimport Py_INCREF, Py_XDECREF, PyObject
from cpython.unicode cimport PyUnicode_DecodeASCII, PyUnicode_DecodeUTF8

cdef extern from "Python.h":
    const char *PyUnicode_AsUTF8AndSize(object unicode, Py_ssize_t *size) except NULL
from libc.stdint cimport uintptr_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcmp

cdef extern from "<dlfcn.h>":
    void *dlopen(const char *filename, int flag)
    void *dlsym(void *handle, const char *symbol)
    int RTLD_NOW
    int RTLD_NOLOAD


ctypedef void *(*node_f)(void *node)
ctypedef int (*type_f)(void *node)
ctypedef const unsigned char *(*name_f)(void *thing, size_t *length)
ctypedef object (*new_f)(void *node, object parser)
ctypedef struct lexbor_str:
    unsigned char *data
    size_t length

cdef node_f c_first_child = NULL
cdef node_f c_next = NULL
cdef node_f c_parent = NULL
cdef type_f c_type = NULL
cdef name_f c_element_name = NULL
cdef node_f c_first_attr = NULL
cdef node_f c_next_attr = NULL
cdef name_f c_attr_name = NULL
cdef name_f c_attr_value = NULL
cdef new_f c_new_node = NULL
cdef Py_ssize_t text_offset = -1  # where a text node's characters (lexbor_str_t) sit in it

cdef enum:
    ELEMENT = 1
    TEXT = 3
    COMMENT = 8
    TAG_SLOTS = 1024

# per tag name (remembered by its lexbor id, checked against the name's bytes): the name, and what the
# walk asks of it
cdef struct TagInfo:
    const char *utf8
    Py_ssize_t length
    void *name  # a str kept alive by ``_kept``
    int block
    int mark
    int context  # the tag has a context kind
    long bit

cdef TagInfo tag_slots[TAG_SLOTS]

# per class string (remembered by a hash of its bytes, checked against them): the str, and what
# ``_class_marks`` and ``_words_mask`` say of it (both pure functions of the string), made on demand
cdef enum:
    CLASS_SLOTS = 4096
    MAX_KEPT = 256  # bytes of a tag or class name the slots remember
cdef struct ClassInfo:
    void *name  # a str (one reference held here)
    const char *utf8
    Py_ssize_t length
    void *marks  # a tuple, or NULL until asked (one reference held here)
    void *mask  # a tuple, or NULL until asked (one reference held here)
cdef ClassInfo class_slots[CLASS_SLOTS]
cdef TagInfo _scratch
_kept = []

# html's tables and helpers, set by ``bind``
cdef object BLOCK_TAGS, MARK_TAGS, CONTEXT_KIND, TAG_BIT, class_cache, mask_cache
cdef object class_marks, words_mask, naming, is_hidden, style_hides, NO_MARKS
cdef long HIDDEN_BIT = 0
cdef object word_cache, word_bits
cdef list CLASS_WORDS = [], MEDIA = []
cdef Py_ssize_t ATTR_CHARS = 0
cdef long EMBED_BIT = 0
cdef long MAX_DEPTH = 0
cdef object BR, BREAKS, HEADINGS, Candidate
cdef bint ready = False


def bind(module, parser_type, node_type) -> bool:
    """Look up lexbor's accessors in selectolax's extension and take ``html``'s tables; True when the walk
    can be used (``html`` then checks it on a page before relying on it)."""
    global c_first_child, c_next, c_parent, c_type, c_element_name, c_first_attr, c_next_attr, c_attr_name
    global c_attr_value, c_new_node, BLOCK_TAGS, MARK_TAGS, CONTEXT_KIND, TAG_BIT
    global class_cache, mask_cache, class_marks, words_mask, naming, is_hidden, style_hides, NO_MARKS, EMBED_BIT
    global HIDDEN_BIT, ATTR_CHARS, word_cache, word_bits, CLASS_WORDS, MEDIA
    global MAX_DEPTH, BR, BREAKS, HEADINGS, Candidate, ready
    import selectolax.lexbor as lexbor

    handle = dlopen(lexbor.__file__.encode(), RTLD_NOW | RTLD_NOLOAD)
    if handle == NULL:
        return False
    c_first_child = <node_f>dlsym(handle, b"lxb_dom_node_first_child_noi")
    c_next = <node_f>dlsym(handle, b"lxb_dom_node_next_noi")
    c_parent = <node_f>dlsym(handle, b"lxb_dom_node_parent_noi")
    c_type = <type_f>dlsym(handle, b"lxb_dom_node_type_noi")
    c_element_name = <name_f>dlsym(handle, b"lxb_dom_element_qualified_name")
    c_first_attr = <node_f>dlsym(handle, b"lxb_dom_element_first_attribute_noi")
    c_next_attr = <node_f>dlsym(handle, b"lxb_dom_element_next_attribute_noi")
    c_attr_name = <name_f>dlsym(handle, b"lxb_dom_attr_qualified_name")
    c_attr_value = <name_f>dlsym(handle, b"lxb_dom_attr_value_noi")
    if not (c_first_child and c_next and c_parent and c_type and c_element_name and c_first_attr and c_next_attr
            and c_attr_name and c_attr_value):
        return False
    vtable = node_type.__dict__.get("__pyx_vtable__")
    if vtable is None:
        return False
    c_new_node = (<new_f *>PyCapsule_GetPointer(vtable, NULL))[0]  # LexborNode.new, first in its table
    if not _find_text_offset(parser_type):
        return False
    BLOCK_TAGS, MARK_TAGS, CONTEXT_KIND = module.BLOCK_TAGS, module._MARK_TAGS, module._CONTEXT_KIND
    TAG_BIT, NO_MARKS = module._TAG_BIT, module._NO_MARKS
    # the attributes read here by name: ``mark``'s and ``_naming``'s, as html.py has them
    if set(module._MARKING) != {"rel", "itemprop", "itemtype", "property", "id"}:
        return False
    if tuple(module._NAMING) != ("class", "id", "role", "itemprop"):
        return False
    class_cache, mask_cache = module._class_cache, module._mask_cache
    class_marks, words_mask, naming, is_hidden, style_hides = (
        module._class_marks, module._words_mask, module._naming, module.is_hidden, module._style_hides
    )
    HIDDEN_BIT, ATTR_CHARS = module._HIDDEN_BIT, module._ATTR_CHARS
    word_cache, word_bits = module._word_cache, module._word_bits
    CLASS_WORDS = [w.encode() for w in (*module._MARK_WORDS, *sorted(module._PAYWALL_WORDS))]
    MEDIA = [w.encode() for w in module.MEDIA_WORDS]
    if not all(w.isascii() and w == w.lower() for w in CLASS_WORDS + MEDIA) or ATTR_CHARS > 512:
        return False  # the fast paths below fold ASCII only, into a buffer of 512
    EMBED_BIT, MAX_DEPTH, BR = module._EMBED_BIT, module.MAX_DEPTH, module._BR
    BREAKS, HEADINGS, Candidate = module._BREAKS, module._HEADINGS, module.Candidate
    for i in range(TAG_SLOTS):
        tag_slots[i].name = NULL
    for i in range(CLASS_SLOTS):
        class_slots[i].name = NULL
        class_slots[i].marks = NULL
        class_slots[i].mask = NULL
    ready = True
    return True


cdef bint _find_text_offset(parser_type):
    """Where a text node keeps its characters: found on a known page, at the first offset after the
    node's own fields that holds a (pointer, length) pair naming exactly the node's text."""
    global text_offset
    cdef bytes sample = "broadsheet-walk-probe \u00e9t\u00e9".encode()
    cdef const char *want = PyBytes_AsString(sample)
    cdef size_t n = len(sample)
    tree = parser_type(b"<html><body><p>" + sample + b"</p></body></html>")
    node = tree.css_first("p").first_child
    if node is None or node.text_content != sample.decode():
        return False
    cdef char *at = <char *><uintptr_t>node.mem_id
    cdef lexbor_str *probe
    cdef Py_ssize_t offset
    for offset in range(8, 512, sizeof(void *)):
        probe = <lexbor_str *>(at + offset)
        if probe.length == n and probe.data != NULL and memcmp(probe.data, want, n) == 0:
            text_offset = offset
            return True
    return False


cdef TagInfo *_tag(void *node):
    """The element's tag name and what the walk asks of it (remembered per name)."""
    cdef size_t length = 0
    cdef const unsigned char *raw = c_element_name(node, &length)
    if raw == NULL:
        return NULL
    # slots are keyed by the name's first bytes and length; the bytes themselves decide a hit
    cdef uintptr_t key = length
    if length:
        key = key * 131 + raw[0]
        key = key * 131 + raw[length - 1]
        if length > 2:
            key = key * 131 + raw[1]
    cdef TagInfo *slot = &tag_slots[key % TAG_SLOTS]
    if slot.name != NULL and <size_t>slot.length == length and memcmp(slot.utf8, raw, length) == 0:
        return slot
    name = PyUnicode_DecodeUTF8(<const char *>raw, length, "replace")
    _kept.append(name)
    if len(_kept) > 4 * TAG_SLOTS:  # custom tag names come and go: keep what the slots still name
        live = {<object>tag_slots[i].name for i in range(TAG_SLOTS) if tag_slots[i].name != NULL}
        _kept[:] = [name, *live]
    cdef Py_ssize_t size = 0
    cdef const char *utf8 = PyUnicode_AsUTF8AndSize(name, &size)  # kept by the str itself
    cdef TagInfo *into = slot
    if size != <Py_ssize_t>length or memcmp(utf8, raw, length) != 0 or length > MAX_KEPT:
        # a name that does not round-trip (undecodable bytes), or a long one: used once, not remembered
        into = &_scratch
        size = -1
    into.name = <void *>name
    into.utf8 = utf8
    into.length = size
    into.block = name in BLOCK_TAGS
    into.mark = name in MARK_TAGS
    into.context = name in CONTEXT_KIND
    into.bit = TAG_BIT.get(name, 0)
    return into


cdef ClassInfo *_class(const unsigned char *raw, size_t length):
    """The slot of a class string (its bytes as lexbor holds them), filled with the decoded str."""
    cdef uintptr_t key = 2166136261
    cdef size_t i
    for i in range(length):
        key = (key ^ raw[i]) * 16777619
    cdef ClassInfo *slot = &class_slots[key % CLASS_SLOTS]
    if slot.name != NULL and <size_t>slot.length == length and memcmp(slot.utf8, raw, length) == 0:
        return slot
    if length > MAX_KEPT:
        return NULL  # a long class is not remembered: the slots hold at most CLASS_SLOTS x MAX_KEPT bytes
    name = _decode(raw, length)
    cdef Py_ssize_t size = 0
    cdef const char *utf8 = PyUnicode_AsUTF8AndSize(name, &size)
    if size != <Py_ssize_t>length or memcmp(utf8, raw, length) != 0:
        return NULL  # undecodable bytes: read as the Python walk reads them, not remembered
    Py_XDECREF(<PyObject *>slot.name)
    Py_XDECREF(<PyObject *>slot.marks)
    Py_XDECREF(<PyObject *>slot.mask)
    Py_INCREF(name)
    slot.name = <void *>name
    slot.utf8 = utf8
    slot.length = size
    slot.marks = NULL
    slot.mask = NULL
    return slot


cdef bint _ascii(const unsigned char *raw, size_t length) noexcept:
    cdef size_t i
    for i in range(length):
        if raw[i] >= 128:
            return False
    return True


cdef object _ascii_class_marks(const unsigned char *raw, size_t length, object cls):
    """``html._class_marks`` of an ASCII class: without its regex when none of its words is there (it can
    only match where one is), else by it."""
    cdef bytes word
    cdef long in_media = 0
    for word in MEDIA:
        in_media += _has(raw, length, PyBytes_AsString(word), len(word), True)
    for word in CLASS_WORDS:
        if _has(raw, length, PyBytes_AsString(word), len(word), True):
            return class_marks(cls)
    return (0, False, in_media)


cdef tuple _ascii_words_mask(const unsigned char *raw, size_t length):
    """``html._words_mask`` of an ASCII value: its lower-cased runs of letters, and their groups' bits."""
    if length > <size_t>ATTR_CHARS:
        length = ATTR_CHARS
    cdef unsigned char low[512]
    cdef size_t i, start = 0
    cdef unsigned char c
    cdef long mask = 0
    cdef list words = []
    cdef bint inside = False
    for i in range(length + 1):
        c = raw[i] if i < length else 32
        if 65 <= c <= 90:
            c += 32
        if 97 <= c <= 122:
            low[i] = c
            if not inside:
                inside = True
                start = i
        elif inside:
            inside = False
            word = PyUnicode_DecodeASCII(<const char *>low + start, i - start, NULL)
            bits = word_cache.get(word)
            if bits is None:
                bits = word_bits(word)
            mask |= <long>bits
            if len(words) < 8:
                words.append(word)
    return (mask, tuple(words))


cdef object _class_marks(ClassInfo *slot):
    if slot.marks == NULL:
        if _ascii(<const unsigned char *>slot.utf8, slot.length):
            marks = _ascii_class_marks(<const unsigned char *>slot.utf8, slot.length, <object>slot.name)
        else:
            marks = class_marks(<object>slot.name)
        Py_INCREF(marks)
        slot.marks = <void *>marks
    return <object>slot.marks


cdef object _words_mask(ClassInfo *slot):
    if slot.mask == NULL:
        if _ascii(<const unsigned char *>slot.utf8, slot.length):
            mask = _ascii_words_mask(<const unsigned char *>slot.utf8, slot.length)
        else:
            mask = _mask_for(NULL, <object>slot.name)
        Py_INCREF(mask)
        slot.mask = <void *>mask
    return <object>slot.mask


cdef object _marks_for(ClassInfo *slot, object cls):
    """``html._class_marks`` of a class: from its slot, else from html's cache or the helper itself."""
    if slot != NULL:
        return _class_marks(slot)
    hit = class_cache.get(cls)
    return hit if hit is not None else class_marks(cls)


cdef object _mask_for(ClassInfo *slot, object value):
    """``html._words_mask`` of a class, id, role or itemprop value: from its slot, else from html's cache or
    the helper itself."""
    if slot != NULL:
        return _words_mask(slot)
    hit = mask_cache.get(value)
    return hit if hit is not None else words_mask(value)


cdef inline str _decode(const unsigned char *raw, size_t length):
    return PyUnicode_DecodeUTF8(<const char *>raw, length, "replace")


# the attributes the walk reads, by name; an element's are gathered into ``Found`` in one pass
cdef enum:
    A_CLASS = 0
    A_ID
    A_ROLE
    A_ITEMPROP
    A_HIDDEN
    A_ARIA_HIDDEN
    A_STYLE
    A_REL
    A_ITEMTYPE
    A_PROPERTY
    A_CONTENT
    A_HREF
    N_NAMES

cdef struct Found:
    long count  # attributes of the element
    bint present[N_NAMES]
    const unsigned char *value[N_NAMES]  # NULL: no value (selectolax reads None)
    size_t length[N_NAMES]

_NAMES = tuple(name.encode() for name in (
    "class", "id", "role", "itemprop", "hidden", "aria-hidden", "style", "rel", "itemtype", "property", "content",
    "href",
))  # in the order of the A_ constants
cdef const char *NAME_AT[N_NAMES]
cdef size_t NAME_LENGTH[N_NAMES]
for _i, _name in enumerate(_NAMES):
    NAME_AT[_i] = PyBytes_AsString(_name)
    NAME_LENGTH[_i] = len(_name)


cdef int _name_index(const unsigned char *raw, size_t length) noexcept:
    """Which of the attributes the walk reads this name is (an ``A_`` constant), or -1."""
    cdef int i
    for i in range(N_NAMES):
        if NAME_LENGTH[i] == length and memcmp(raw, NAME_AT[i], length) == 0:
            return i
    return -1


cdef void _gather(void *node, Found *found) noexcept:
    """One pass over the element's attributes: how many, and where the ones the walk reads are."""
    cdef size_t length = 0
    cdef const unsigned char *raw
    cdef int i
    cdef void *attr = c_first_attr(node)
    found.count = 0
    for i in range(N_NAMES):
        found.present[i] = False
    while attr != NULL:
        found.count += 1
        length = 0
        raw = c_attr_name(attr, &length)
        i = _name_index(raw, length)
        if i >= 0 and not found.present[i]:
            found.present[i] = True
            length = 0
            found.value[i] = c_attr_value(attr, &length)
            found.length[i] = length
        attr = c_next_attr(attr)


cdef object _class_of(Found *found, ClassInfo **slot):
    """The element's class as selectolax reads it (None: none, or no value), and its slot in ``*slot`` (NULL
    where it is not remembered)."""
    slot[0] = NULL
    if not found.present[A_CLASS] or found.value[A_CLASS] == NULL:
        return None
    slot[0] = _class(found.value[A_CLASS], found.length[A_CLASS])
    return <object>slot[0].name if slot[0] != NULL else _decode(found.value[A_CLASS], found.length[A_CLASS])


cdef inline str _value(Found *found, int k):
    """An attribute's value as selectolax reads it (None: no value)."""
    return _decode(found.value[k], found.length[k]) if found.value[k] != NULL else None


cdef bint _has(const unsigned char *raw, size_t length, const char *word, size_t n, bint fold) noexcept:
    """Whether ``word`` (lower-case ASCII) is in the bytes, ASCII letters folded to lower case when ``fold``."""
    cdef size_t i, j
    cdef unsigned char c
    if raw == NULL or length < n:
        return False
    for i in range(length - n + 1):
        for j in range(n):
            c = raw[i + j]
            if fold and 65 <= c <= 90:
                c += 32
            if c != <unsigned char>word[j]:
                break
        else:
            return True
    return False


cdef tuple _naming_found(Found *found, ClassInfo *cslot):
    """``html._naming`` of the element's attributes, read from ``found``."""
    cdef long mask = 0
    cdef tuple words = ()
    cdef int k
    for k in (A_CLASS, A_ID, A_ROLE, A_ITEMPROP):  # html._NAMING's order
        if not found.present[k] or found.value[k] == NULL or found.length[k] == 0:
            continue
        if k == A_CLASS and cslot != NULL:
            hit = _words_mask(cslot)
        elif _ascii(found.value[k], found.length[k]):
            hit = _ascii_words_mask(found.value[k], found.length[k])
        else:
            hit = _mask_for(NULL, _decode(found.value[k], found.length[k]))
        if words:
            mask |= <long>hit[0]
            words = (words + hit[1])[:8]
        else:
            mask |= <long>hit[0]
            words = hit[1]
    if found.present[A_HIDDEN] or (
        found.present[A_ARIA_HIDDEN] and found.value[A_ARIA_HIDDEN] != NULL
        and _is(found.value[A_ARIA_HIDDEN], found.length[A_ARIA_HIDDEN], b"true", 4)
    ):
        mask |= HIDDEN_BIT
    elif found.present[A_STYLE] and (
        _has(found.value[A_STYLE], found.length[A_STYLE], b"none", 4, False)
        or _has(found.value[A_STYLE], found.length[A_STYLE], b"hidden", 6, False)
    ):
        style = _value(found, A_STYLE) or ""
        if style_hides(style[:ATTR_CHARS]):
            mask |= HIDDEN_BIT
    return (mask, words)


cdef bint _hidden_found(Found *found):
    """``html.is_hidden`` of the element's attributes, read from ``found``."""
    if found.present[A_HIDDEN]:
        value = _value(found, A_HIDDEN)
        if (value or "").lower() != "until-found":
            return True
    if not found.present[A_STYLE] or found.value[A_STYLE] == NULL:
        return False
    if not (
        _has(found.value[A_STYLE], found.length[A_STYLE], b"none", 4, True)
        or _has(found.value[A_STYLE], found.length[A_STYLE], b"dden", 4, True)
    ):
        return False  # what the Python check's own pre-check would find, on the bytes
    return is_hidden({"style": _value(found, A_STYLE)})


cdef _mark_found(Found *found, str tag, object node, object marked, long count, bint paywall):
    """``_Walker.mark`` of an element, read from ``found``."""
    if found.present[A_REL] and found.value[A_REL] != NULL and found.length[A_REL]:
        tokens = _value(found, A_REL).lower().split()
        count += ("author" in tokens) + ("tag" in tokens)
    if found.present[A_ITEMPROP] and found.value[A_ITEMPROP] != NULL and found.length[A_ITEMPROP]:
        if "author" in _value(found, A_ITEMPROP).split():
            count += 1
    if found.present[A_ITEMTYPE] and found.value[A_ITEMTYPE] != NULL:
        if "BreadcrumbList" in _value(found, A_ITEMTYPE):
            count += 1
    if found.present[A_ITEMPROP]:
        marked.itemprops.append(node)
    if tag == "meta" or (found.present[A_PROPERTY] and found.present[A_CONTENT]):
        marked.metas.append(node)
    if count:
        marked.scan.extend([node] * count)
    if paywall:
        marked.paywall = True
    elif found.present[A_ID] and found.value[A_ID] != NULL:
        if "paywall" in _value(found, A_ID).lower():
            marked.paywall = True


cdef inline bint _is(const unsigned char *raw, size_t length, const char *word, size_t n):
    return length == n and memcmp(raw, word, n) == 0


cdef inline bint _ascii_space(const unsigned char *raw, size_t length):
    """Whether every byte is one of the ASCII characters ``str.isspace`` counts; False also when some byte
    is not ASCII (the decoded text then decides)."""
    cdef size_t i
    cdef unsigned char c
    for i in range(length):
        c = raw[i]
        if not (c == 32 or (9 <= c <= 13) or (28 <= c <= 31)):
            return False
    return True


cdef class _Blocks:
    """``_Walker.flush`` and ``emit``: the text read into ``buf`` becomes candidates."""

    cdef list buf, rows, candidates
    cdef dict chains

    def __init__(self, walker):
        self.buf = walker.buf
        self.rows = walker.rows
        self.candidates = walker.candidates
        self.chains = walker.chains

    cdef flush(self, long buf_cid, long links):
        cdef str joined = "".join(self.buf)
        del self.buf[:]
        cdef long cid = buf_cid if buf_cid > 0 else 0
        cdef long total
        if BR in joined:
            parts = [p for p in (" ".join(p.split()) for p in BREAKS.split(joined)) if p]
            total = sum([len(p) for p in parts]) or 1
            for part in parts:
                self.emit(part, cid, <long>((<double>(links * len(part))) / total))
        else:
            self.emit(" ".join(joined.split()), cid, links)

    cdef tuple _chain(self, long cid):
        """``_Walker.chain``: the container's ancestors, outermost first, itself last (remembered)."""
        cdef dict chains = self.chains
        cdef list climbed = []
        cdef long node = cid
        while node >= 0 and node not in chains:
            climbed.append(node)
            node = self.rows[node][1]
        cdef tuple found = chains[node] if node >= 0 else ()
        for node in reversed(climbed):
            found = found + (node,)
            chains[node] = found
        return found

    cdef emit(self, str text, long cid, long links):
        if not text:
            return
        row = self.rows[cid]
        tag = row[0]
        level = HEADINGS.get(tag, 0)
        if level:
            kind = "heading"
        elif tag == "td" or tag == "th":
            kind = "table"
        else:
            kind = row[7] or "paragraph"
        chain = self.chains.get(cid)
        if chain is None:
            chain = self._chain(cid)
        cdef long n = len(text)
        self.candidates.append(Candidate(text, kind, level, tag, "", cid, chain, links if links < n else n))


def walk_head(walker, head):
    """``_Walker.walk_head``: the head's ``[itemprop]`` and ``<meta>`` elements and paywall marks."""
    if not ready:
        raise RuntimeError("the compiled walk is not bound")
    parser = head.parser
    marked = walker.marked
    cdef list itemprops = marked.itemprops
    cdef list metas = marked.metas
    cdef void *root = <void *><uintptr_t>head.mem_id
    cdef void *node = root
    cdef void *child
    cdef Found found
    cdef TagInfo *info
    cdef ClassInfo *cslot = NULL
    while node != NULL:
        if c_type(node) == ELEMENT:
            _gather(node, &found)
            if found.count:
                wrapper = None
                if found.present[A_ITEMPROP]:
                    wrapper = c_new_node(node, parser)
                    itemprops.append(wrapper)
                info = _tag(node)
                if info != NULL and <object>info.name == "meta":
                    metas.append(wrapper if wrapper is not None else c_new_node(node, parser))
                cls = _class_of(&found, &cslot)
                if cls and _marks_for(cslot, cls)[1]:
                    marked.paywall = True
                if found.present[A_ID] and found.value[A_ID] != NULL:
                    if "paywall" in _decode(found.value[A_ID], found.length[A_ID]).lower():
                        marked.paywall = True
        child = c_first_child(node)
        if child != NULL:
            node = child
            continue
        while node != root and c_next(node) == NULL:
            node = c_parent(node)
        if node == root:
            break
        node = c_next(node)


def walk(walker, body):
    """``_Walker.walk`` over <body> (a selectolax node), with the same results."""
    if not ready:
        raise RuntimeError("the compiled walk is not bound")
    parser = body.parser
    cdef list rows = walker.rows
    attrs0 = body.attributes
    mask0, words0 = naming(attrs0) if attrs0 else (0, ())
    rows.append(("body", -1, 0, mask0, words0, TAG_BIT.get("body", 0), 0, ""))
    cdef list buf = walker.buf
    marked = walker.marked
    cdef list scan = marked.scan
    cdef list media = marked.media
    cdef list hidden = walker.layout.hidden
    marked.walked = True
    cdef _Blocks blocks = _Blocks(walker)
    cdef dict context_kind = CONTEXT_KIND

    cdef Py_ssize_t cap = 256, top = 0
    cdef void **stack_node = <void **>malloc(cap * sizeof(void *))
    cdef long *stack_code = <long *>malloc(cap * sizeof(long))
    if stack_node == NULL or stack_code == NULL:
        free(stack_node)
        free(stack_code)
        raise MemoryError()

    cdef long buf_cid = -1, links = 0, code = 0, inner, parent, depth, count, in_media, n_attrs, up_mask
    cdef long mask
    cdef void *node = <void *><uintptr_t>body.mem_id
    cdef void *after
    cdef void *child
    cdef void **grown_node
    cdef long *grown_code
    cdef int kind_of
    cdef TagInfo *info
    cdef lexbor_str *text
    cdef bint paywall
    cdef ClassInfo *cslot
    cdef Found found
    cdef object cls, value, wrapper, tag, kind, words, hit, up
    try:
        while True:
            kind_of = c_type(node)
            if kind_of == TEXT:
                text = <lexbor_str *>(<char *>node + text_offset)
                if text.data == NULL:
                    pass  # no characters: selectolax reads None
                elif text.length == 0:
                    pass
                elif _ascii_space(text.data, text.length):
                    if buf:
                        buf.append(" ")
                else:
                    value = _decode(text.data, text.length)
                    if value.isspace():
                        if buf:
                            buf.append(" ")
                    else:
                        if code >> 1 != buf_cid:
                            if buf:
                                blocks.flush(buf_cid, links)
                                links = 0
                            buf_cid = code >> 1
                        buf.append(value)
                        if code & 1:
                            links += len(value.strip())
                after = c_next(node)
            elif kind_of == COMMENT:
                after = c_next(node)
            else:
                info = _tag(node) if kind_of == ELEMENT else NULL
                tag = <object>info.name if info != NULL else None
                # the attributes: how many, and the ones the walk reads
                cls = None
                cslot = NULL
                if kind_of == ELEMENT:
                    _gather(node, &found)
                    cls = _class_of(&found, &cslot)
                    n_attrs = found.count
                else:
                    n_attrs = 0
                wrapper = None
                if n_attrs:
                    hit = _marks_for(cslot, cls) if cls is not None else NO_MARKS
                    count = hit[0]
                    paywall = hit[1]
                    in_media = hit[2]
                    if in_media:
                        wrapper = c_new_node(node, parser)
                        media.extend([wrapper] * in_media)
                    if info != NULL and info.mark:
                        count += 1
                    if n_attrs > (cls is not None):
                        if found.present[A_HREF] and found.value[A_HREF] != NULL and found.length[A_HREF] and tag == "a":
                            value = _decode(found.value[A_HREF], found.length[A_HREF]).lower()
                            count += ("/author" in value) + ("/autor" in value)
                        if (
                            tag == "meta"
                            or found.present[A_REL]
                            or found.present[A_ITEMPROP]
                            or found.present[A_ITEMTYPE]
                            or found.present[A_PROPERTY]
                            or found.present[A_ID]
                        ):
                            if wrapper is None:
                                wrapper = c_new_node(node, parser)
                            _mark_found(&found, tag, wrapper, marked, count, paywall)
                            count = 0
                            paywall = False
                    if count:
                        if wrapper is None:
                            wrapper = c_new_node(node, parser)
                        scan.extend([wrapper] * count)
                    if paywall:
                        marked.paywall = True
                elif info != NULL and info.mark:
                    scan.append(c_new_node(node, parser))
                inner = code
                if info != NULL and info.block:
                    if buf:
                        blocks.flush(buf_cid, links)
                        links = 0
                    buf_cid = -1
                    parent = code >> 1
                    up = rows[parent]
                    depth = <long>up[2] + 1
                    if depth <= MAX_DEPTH:
                        if not n_attrs:
                            mask, words = 0, ()
                        elif cls is not None and n_attrs == 1:
                            if cls:
                                mask, words = _mask_for(cslot, cls)
                            else:
                                mask, words = 0, ()
                        else:
                            mask, words = _naming_found(&found, cslot)
                        kind = up[7]
                        if info.context and kind != "caption" and kind != "code":
                            kind = context_kind[tag]
                        if tag == "blockquote" and mask & EMBED_BIT:
                            kind = "embed"
                        inner = len(rows) * 2 + (code & 1)
                        if n_attrs > (cls is not None):
                            if _hidden_found(&found):
                                hidden.append(len(rows))
                        up_mask = up[3]
                        rows.append(
                            (tag, parent, depth, mask, words, info.bit | <long>up[5], <long>up[6] | up_mask, kind)
                        )
                elif tag == "a":
                    inner = code | 1
                elif tag == "br":
                    if buf:
                        buf.append(BR)
                elif tag == "img" and buf:
                    buf.append(" ")
                child = c_first_child(node)
                if child != NULL:
                    if top == cap:
                        cap *= 2
                        grown_node = <void **>realloc(stack_node, cap * sizeof(void *))
                        if grown_node == NULL:
                            raise MemoryError()  # the old stacks are freed below
                        stack_node = grown_node
                        grown_code = <long *>realloc(stack_code, cap * sizeof(long))
                        if grown_code == NULL:
                            raise MemoryError()
                        stack_code = grown_code
                    stack_node[top] = c_next(node) if top else NULL  # <body>'s siblings are not walked
                    stack_code[top] = code
                    top += 1
                    node = child
                    code = inner
                    continue
                after = c_next(node) if top else NULL
            while after == NULL and top:
                top -= 1
                after = stack_node[top]
                code = stack_code[top]
            if after == NULL:
                break
            node = after
    finally:
        free(stack_node)
        free(stack_code)
    if buf:
        blocks.flush(buf_cid, links)
    walker.finish()
