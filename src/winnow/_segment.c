/* The tree walk of winnow.stages.blocks.segment in C, over lexbor's own
 * structures (winnow.stages.lexbor_walk; the Python walk is its twin).
 *
 * Walker.walk(address) starts at the lxb_dom_node_t whose address selectolax
 * gives as LexborNode.mem_id and does, node for node, what
 * blocks.segment_python does through selectolax's API: the same blocks, the
 * same containers, the same bits, then what blocks.aggregate adds up. It
 * never writes to the tree and never recurses: open elements are a stack
 * that grows on the heap.
 *
 * It reads what selectolax would report:
 * - a node's tag: its qualified name when it has one, else its local name
 *   (LexborNode.tag); a tag is matched by the id lexbor gives known names,
 *   learned at load from selectolax itself, or, for a name lexbor met while
 *   parsing (its id is the address of its data), by its characters;
 * - attributes by qualified name, last one winning, a valueless one None
 *   (LexborNode.attributes);
 * - text decoded as UTF-8 with U+FFFD for bad bytes (selectolax's
 *   _decode_utf8). Text nodes go into the block's buffer as valid UTF-8
 *   (a node with bad bytes is decoded by Python and re-encoded), so the
 *   buffer decodes to the very string Python would join.
 * White space is Python's (Py_UNICODE_ISSPACE: str.split, str.strip,
 * str.isspace) and lengths count code points, as len() does.
 *
 * Class, id, role and itemprop are categorised here too when the Walker is
 * given a ClassMatcher (_classmatch.h, programmed by
 * winnow.stages.class_match): blocks._attr_bits in C, with the walk's cache
 * keyed by the attributes' bytes. Without one, or where the matcher gives
 * up, each key not yet in the walk's cache is handed to blocks._attr_bits.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <structmember.h> /* T_OBJECT_EX, READONLY */
#include <string.h>

#include "_classmatch.h"
#include "_lexbor.h"

/* A name id below this indexes lexbor's static table of known names (199
 * tags, 73 attributes in lexbor 3.1); from here up it is the address of the
 * name's data, and no address is this small. */
#define WN_STATIC_IDS 65536

/* What the walk does with an element, by tag. */
enum {
    K_SKIP = 1 << 0,   /* patterns.SKIP_TAGS: neither it nor what it holds is read */
    K_BLOCK = 1 << 1,  /* patterns.BLOCK_TAGS */
    K_BR = 1 << 2,
    K_IMG = 1 << 3,
    K_LINK = 1 << 4,   /* <a> */
    K_PRE = 1 << 5,
    K_FIGURE = 1 << 6,
    K_PAGE = 1 << 7,   /* <html>, <body>: their bits describe the page */
    K_BODY = 1 << 8,
    K_P = 1 << 9,
};

/* The attributes the walk reads, by their index here. */
enum { A_CLASS, A_ID, A_ROLE, A_ITEMPROP, A_HIDDEN, A_ARIA_HIDDEN, A_STYLE,
       A_SRC, A_DATA_SRC, A_ALT, N_ATTRS };
static const char *const ATTR_NAMES[N_ATTRS] = {
    "class", "id", "role", "itemprop", "hidden", "aria-hidden", "style",
    "src", "data-src", "alt",
};

typedef struct {
    PyObject *name; /* str, as selectolax reports it */
    const char *utf8;
    Py_ssize_t length;
    unsigned flags;
    uint64_t bit; /* _TAG_BIT */
} Tag;

/* Makes Node or RawBlock objects. Their classes are slotted dataclasses
 * with no __post_init__ (lexbor_walk checks), so an object is allocated and
 * its slots filled directly, without running the generated __init__ (0.2 ms
 * a dev page); where a field is not a plain writable slot, the class is
 * called. */
#define MAX_FIELDS 11
typedef struct {
    PyObject *type;
    Py_ssize_t n_fields;
    Py_ssize_t offsets[MAX_FIELDS];
    int fill; /* offsets are the slots of the fields, in order */
} Maker;

/* patterns.CLASS_PATTERN as a program, with the role and itemprop vocabularies. */
typedef struct {
    PyObject_HEAD
    CmProgram program;
    PyObject *roles, *itemprops; /* dict: lower-cased value -> bit */
    int ready;
} ClassMatcher;
static PyTypeObject ClassMatcherType;

typedef struct {
    PyObject_HEAD
    Tag *tags;
    Py_ssize_t n_tags;
    int32_t *tag_of_id; /* static tag id -> index in tags, or -1 */
    Py_ssize_t n_tag_ids;
    int32_t *attr_of_id; /* static attribute id -> index in ATTR_NAMES, or -1 */
    Py_ssize_t n_attr_ids;
    wn_lxb_id_t text_id;
    Maker node_maker, block_maker;
    PyObject *attr_bits, *empty;
    ClassMatcher *classes; /* NULL: attr_bits categorises every key */
    uint64_t hidden_bit;
    Py_ssize_t max_blocks;
    int figure_reach;
} Walker;

/* --- growable arrays ---------------------------------------------------------- */

#define GROW(array, count, capacity, type)                                          \
    ((count) < (capacity) ? 0 : grow((void **)&(array), &(capacity), sizeof(type)))

static int
grow(void **array, Py_ssize_t *capacity, size_t item)
{
    Py_ssize_t wanted = *capacity ? *capacity * 2 : 64;
    if ((size_t)wanted > PY_SSIZE_T_MAX / item) {
        PyErr_NoMemory();
        return -1;
    }
    void *bigger = PyMem_Realloc(*array, (size_t)wanted * item);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *array = bigger;
    *capacity = wanted;
    return 0;
}

typedef struct {
    unsigned char *data;
    Py_ssize_t length, capacity;
} Buffer;

static int
append(Buffer *buffer, const void *bytes, Py_ssize_t n)
{
    while (buffer->length + n > buffer->capacity) {
        if (grow((void **)&buffer->data, &buffer->capacity, 1) < 0) {
            return -1;
        }
    }
    memcpy(buffer->data + buffer->length, bytes, (size_t)n);
    buffer->length += n;
    return 0;
}

/* --- UTF-8 ---------------------------------------------------------------------- */

/* Whether s[0:n] is UTF-8 that Python decodes strictly (no surrogates, no
 * overlong forms, nothing past U+10FFFF). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        }
        else {
            return 0;
        }
        if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi) {
            return 0;
        }
        for (size_t k = 2; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        i += need + 1;
    }
    return 1;
}

/* The code point at s[*i] of valid UTF-8; moves *i past it. */
static Py_UCS4
next_char(const unsigned char *s, Py_ssize_t *i)
{
    unsigned c = s[*i];
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if (c < 0xE0) {
        *i += 2;
        return ((c & 0x1F) << 6) | (s[*i - 1] & 0x3F);
    }
    if (c < 0xF0) {
        *i += 3;
        return ((c & 0x0F) << 12) | ((s[*i - 2] & 0x3F) << 6) | (s[*i - 1] & 0x3F);
    }
    *i += 4;
    return ((c & 0x07) << 18) | ((s[*i - 3] & 0x3F) << 12) | ((s[*i - 2] & 0x3F) << 6)
           | (s[*i - 1] & 0x3F);
}

/* White space as str.split() and str.isspace() see it (a function: the
 * macro reads its argument twice). */
static int
is_space(Py_UCS4 c)
{
    return Py_UNICODE_ISSPACE(c);
}

static Py_ssize_t
count_chars(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t chars = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        chars += (s[i] & 0xC0) != 0x80;
    }
    return chars;
}

/* " ".join(s[0:n].split()), appended to out. */
static int
fold(Buffer *out, const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    int first = 1;
    while (i < n) {
        Py_ssize_t word = i;
        if (is_space(next_char(s, &i))) {
            continue;
        }
        Py_ssize_t end = i;
        while (i < n && !is_space(next_char(s, &i))) {
            end = i;
        }
        if ((!first && append(out, " ", 1) < 0) || append(out, s + word, end - word) < 0) {
            return -1;
        }
        first = 0;
    }
    return 0;
}

/* --- class, id, role and itemprop in C ------------------------------------------------ */

/* A class string as code points, for the matcher. */
typedef struct {
    Py_UCS4 *data;
    Py_ssize_t capacity;
} Chars;

static int
chars_reserve(Chars *chars, Py_ssize_t n)
{
    while (chars->capacity < n) {
        if (grow((void **)&chars->data, &chars->capacity, sizeof(Py_UCS4)) < 0) {
            return -1;
        }
    }
    return 0;
}

/* An attribute's value as bytes; NULL and "" alike (both falsy in Python). */
typedef struct {
    const unsigned char *data;
    Py_ssize_t length;
} Value;

static int
is_ascii(const Value *value)
{
    for (Py_ssize_t i = 0; i < value->length; i++) {
        if (value->data[i] >= 0x80) {
            return 0;
        }
    }
    return 1;
}

static PyObject *
decoded(const Value *value)
{
    return PyUnicode_DecodeUTF8((const char *)value->data, value->length, "replace");
}

/* value.lower() as str (decoded as selectolax decodes it). */
static PyObject *
lowered(const Value *value)
{
    if (is_ascii(value)) { /* str.lower() maps A-Z and nothing else in ASCII */
        PyObject *text = PyUnicode_New(value->length, 127);
        if (text != NULL) {
            Py_UCS1 *out = PyUnicode_1BYTE_DATA(text);
            for (Py_ssize_t i = 0; i < value->length; i++) {
                Py_UCS1 c = value->data[i];
                out[i] = (c >= 'A' && c <= 'Z') ? (Py_UCS1)(c + 32) : c;
            }
        }
        return text;
    }
    PyObject *text = decoded(value);
    if (text == NULL) {
        return NULL;
    }
    PyObject *lower = PyObject_CallMethod(text, "lower", NULL);
    Py_DECREF(text);
    return lower;
}

/* f"{names} {ident}".lower() (or the one that is not empty) as code points in
 * chars; its length in *n. */
static int
joined_lower(const Value *names, const Value *ident, Chars *chars, Py_ssize_t *n)
{
    if (is_ascii(names) && is_ascii(ident)) {
        *n = names->length + ident->length + (names->length && ident->length);
        if (chars_reserve(chars, *n) < 0) {
            return -1;
        }
        Py_ssize_t k = 0;
        for (int part = 0; part < 2; part++) {
            const Value *value = part ? ident : names;
            if (part && names->length && ident->length) {
                chars->data[k++] = ' ';
            }
            for (Py_ssize_t i = 0; i < value->length; i++) {
                unsigned char c = value->data[i];
                chars->data[k++] = (c >= 'A' && c <= 'Z') ? (Py_UCS4)(c + 32) : c;
            }
        }
        return 0;
    }
    PyObject *a = names->length ? decoded(names) : NULL;
    PyObject *b = ident->length ? decoded(ident) : NULL;
    PyObject *text = NULL, *lower = NULL;
    if ((names->length && a == NULL) || (ident->length && b == NULL)) {
        goto done;
    }
    text = a && b ? PyUnicode_FromFormat("%U %U", a, b) : Py_NewRef(a ? a : b);
    lower = text ? PyObject_CallMethod(text, "lower", NULL) : NULL;
    if (lower == NULL) {
        goto done;
    }
    *n = PyUnicode_GET_LENGTH(lower);
    if (chars_reserve(chars, *n + 1) < 0
        || PyUnicode_AsUCS4(lower, chars->data, *n + 1, 0) == NULL) {
        Py_CLEAR(lower);
    }
done:
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(text);
    if (lower == NULL) {
        return -1;
    }
    Py_DECREF(lower);
    return 0;
}

/* vocabulary.get(value.lower()) as a bit, or'ed into *bits. */
static int
vocabulary_bit(PyObject *vocabulary, const Value *value, uint64_t *bits)
{
    if (value->length == 0) {
        return 0;
    }
    PyObject *key = lowered(value);
    if (key == NULL) {
        return -1;
    }
    PyObject *bit = PyDict_GetItemWithError(vocabulary, key);
    Py_DECREF(key);
    if (bit == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    uint64_t found = PyLong_AsUnsignedLongLong(bit);
    if (found == (uint64_t)-1 && PyErr_Occurred()) {
        return -1;
    }
    *bits |= found;
    return 0;
}

/* blocks._attr_bits of (class, id, role, itemprop): 1 with *bits set, 0 if
 * the matcher gave up on the class string (then ask attr_bits), -1 with an
 * exception. */
static int
key_bits(const ClassMatcher *cm, const Value *values, Chars *chars, uint64_t *bits)
{
    *bits = 0;
    if (values[0].length || values[1].length) {
        Py_ssize_t n;
        if (joined_lower(&values[0], &values[1], chars, &n) < 0) {
            return -1;
        }
        if (cm_finditer_bits(&cm->program, chars->data, n, bits) < 0) {
            return 0;
        }
    }
    if (vocabulary_bit(cm->roles, &values[2], bits) < 0
        || vocabulary_bit(cm->itemprops, &values[3], bits) < 0) {
        return -1;
    }
    return 1;
}

/* The walk's cache of key_bits, keyed by the four values' bytes. Open
 * addressing; a key that finds MAX_PROBES slots taken is computed again
 * rather than cached, so colliding class names cannot make a page slow. */
#define MAX_PROBES 32
typedef struct {
    uint64_t hash;
    Py_ssize_t offset, length; /* the key in bytes; length 0: a free slot */
    uint64_t bits;
} KeyEntry;

typedef struct {
    KeyEntry *entries;
    Py_ssize_t capacity, count; /* capacity: 0 or a power of two */
    Buffer bytes;               /* the keys, one after another */
    Buffer key;                 /* the key being looked up */
} KeyCache;

static uint64_t
hash_key(const unsigned char *s, Py_ssize_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n;
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        h = (h ^ word) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, s + i, (size_t)(n - i));
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

/* The four values, each as its length then its bytes, in cache->key. */
static int
key_of(KeyCache *cache, const Value *values)
{
    cache->key.length = 0;
    for (int a = 0; a < 4; a++) {
        if (append(&cache->key, &values[a].length, sizeof(Py_ssize_t)) < 0
            || (values[a].length
                && append(&cache->key, values[a].data, values[a].length) < 0)) {
            return -1;
        }
    }
    return 0;
}

/* The entry for cache->key: found, free (length 0), or NULL past MAX_PROBES. */
static KeyEntry *
key_entry(KeyCache *cache, uint64_t hash)
{
    if (cache->capacity == 0) {
        return NULL;
    }
    Py_ssize_t mask = cache->capacity - 1;
    for (Py_ssize_t probe = 0; probe < MAX_PROBES; probe++) {
        KeyEntry *entry = &cache->entries[(Py_ssize_t)(hash + (uint64_t)probe) & mask];
        if (entry->length == 0
            || (entry->hash == hash && entry->length == cache->key.length
                && memcmp(cache->bytes.data + entry->offset, cache->key.data,
                          (size_t)entry->length) == 0)) {
            return entry;
        }
    }
    return NULL;
}

/* Doubles the table (from 256 slots), keeping it at most half full. */
static int
key_cache_grow(KeyCache *cache)
{
    Py_ssize_t capacity = cache->capacity ? cache->capacity * 2 : 256;
    KeyEntry *old = cache->entries;
    Py_ssize_t old_capacity = cache->capacity;
    cache->entries = PyMem_Calloc((size_t)capacity, sizeof(KeyEntry));
    if (cache->entries == NULL) {
        cache->entries = old;
        PyErr_NoMemory();
        return -1;
    }
    cache->capacity = capacity;
    cache->count = 0;
    for (Py_ssize_t i = 0; i < old_capacity; i++) {
        if (old[i].length == 0) {
            continue;
        }
        Py_ssize_t mask = capacity - 1;
        for (Py_ssize_t probe = 0; probe < MAX_PROBES; probe++) {
            KeyEntry *entry = &cache->entries[(Py_ssize_t)(old[i].hash + (uint64_t)probe) & mask];
            if (entry->length == 0) {
                *entry = old[i];
                cache->count++;
                break;
            }
        }
    }
    PyMem_Free(old);
    return 0;
}

/* key_bits through the cache: the same returns. */
static int
cached_key_bits(const ClassMatcher *cm, KeyCache *cache, Chars *chars, const Value *values,
                uint64_t *bits)
{
    if (key_of(cache, values) < 0) {
        return -1;
    }
    uint64_t hash = hash_key(cache->key.data, cache->key.length);
    KeyEntry *entry = key_entry(cache, hash);
    if (entry != NULL && entry->length) {
        *bits = entry->bits;
        return 1;
    }
    int status = key_bits(cm, values, chars, bits);
    if (status <= 0) {
        return status;
    }
    if (cache->count * 2 >= cache->capacity) {
        if (key_cache_grow(cache) < 0) {
            return -1;
        }
        entry = key_entry(cache, hash);
    }
    if (entry == NULL) {
        return 1; /* MAX_PROBES taken: not cached */
    }
    Py_ssize_t offset = cache->bytes.length;
    if (append(&cache->bytes, cache->key.data, cache->key.length) < 0) {
        return -1;
    }
    *entry = (KeyEntry){hash, offset, cache->key.length, *bits};
    cache->count++;
    return 1;
}

/* --- the state of one walk --------------------------------------------------------- */

typedef struct {
    Py_ssize_t node; /* the nearest block-level element, in nodes */
    uint64_t chain;
    char in_link, in_pre, is_block;
    const wn_lxb_dom_node_t *element;
} Frame;

typedef struct {
    Py_ssize_t tag, parent, depth;
    uint64_t own, chain;
    PyObject *src, *alt; /* NULL: "" */
    Py_ssize_t chars, link_chars, blocks, p_chars;
} NodeRecord;

typedef struct {
    PyObject *text;
    Py_ssize_t chars, node, link_chars;
    uint64_t chain;
    char pre;
} BlockRecord;

typedef struct {
    Frame *frames;
    Py_ssize_t n_frames, frames_capacity;
    NodeRecord *nodes;
    Py_ssize_t n_nodes, nodes_capacity;
    BlockRecord *blocks;
    Py_ssize_t n_blocks, blocks_capacity;
    Buffer text, out; /* the block being read; a flushed block's text */
    Py_ssize_t link_chars;
    uint64_t inline_bits;
    int blank;
    Py_ssize_t hidden_seen;
    uint64_t body_bits;
    int truncated;
    PyObject *cache; /* (class, id, role, itemprop) -> bits, for attr_bits */
    KeyCache keys;   /* the same by the attributes' bytes, for a ClassMatcher */
    Chars chars;     /* a class string for the matcher */
} Walk;

static const Frame NO_FRAME = {-1, 0, 0, 0, 0, NULL};

static void
walk_free(Walk *walk)
{
    for (Py_ssize_t i = 0; i < walk->n_nodes; i++) {
        Py_XDECREF(walk->nodes[i].src);
        Py_XDECREF(walk->nodes[i].alt);
    }
    for (Py_ssize_t i = 0; i < walk->n_blocks; i++) {
        Py_XDECREF(walk->blocks[i].text);
    }
    PyMem_Free(walk->frames);
    PyMem_Free(walk->nodes);
    PyMem_Free(walk->blocks);
    PyMem_Free(walk->text.data);
    PyMem_Free(walk->out.data);
    Py_XDECREF(walk->cache);
    PyMem_Free(walk->keys.entries);
    PyMem_Free(walk->keys.bytes.data);
    PyMem_Free(walk->keys.key.data);
    PyMem_Free(walk->chars.data);
}

/* Python's nodes[i], a negative i counting from the end. */
static NodeRecord *
node_at(Walk *walk, Py_ssize_t i)
{
    return &walk->nodes[i < 0 ? walk->n_nodes + i : i];
}

/* --- names and attributes ---------------------------------------------------------- */

static const wn_lxb_name_data_t *
name_data(wn_lxb_id_t id)
{
    return (const wn_lxb_name_data_t *)id;
}

/* The index in w->tags of the element's tag, or -1 (an inline tag like any). */
static Py_ssize_t
tag_of(const Walker *w, const wn_lxb_dom_element_t *element)
{
    wn_lxb_id_t id = element->qualified_name ? element->qualified_name
                                             : element->node.local_name;
    if (id < WN_STATIC_IDS) {
        return (Py_ssize_t)id < w->n_tag_ids ? w->tag_of_id[id] : -1;
    }
    size_t length;
    const unsigned char *name = wn_lxb_name(name_data(id), &length);
    for (Py_ssize_t t = 0; t < w->n_tags; t++) {
        if ((size_t)w->tags[t].length == length && memcmp(w->tags[t].utf8, name, length) == 0) {
            return t;
        }
    }
    return -1;
}

static int
attr_of(const Walker *w, const wn_lxb_dom_attr_t *attr)
{
    wn_lxb_id_t id = attr->qualified_name ? attr->qualified_name : attr->node.local_name;
    if (id < WN_STATIC_IDS) {
        return (Py_ssize_t)id < w->n_attr_ids ? w->attr_of_id[id] : -1;
    }
    size_t length;
    const unsigned char *name = wn_lxb_name(name_data(id), &length);
    for (int a = 0; a < N_ATTRS; a++) {
        if (strlen(ATTR_NAMES[a]) == length && memcmp(ATTR_NAMES[a], name, length) == 0) {
            return a;
        }
    }
    return -1;
}

/* An attribute's value as bytes: NULL where selectolax says None. */
static const unsigned char *
value_of(const wn_lxb_dom_attr_t *attr, Py_ssize_t *length)
{
    if (attr == NULL || attr->value == NULL || attr->value->data == NULL) {
        *length = 0;
        return NULL;
    }
    *length = (Py_ssize_t)attr->value->length;
    return attr->value->data;
}

/* attributes.get(name): a new reference to str or None. */
static PyObject *
get_value(const wn_lxb_dom_attr_t *attr)
{
    Py_ssize_t length;
    const unsigned char *value = value_of(attr, &length);
    if (value == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_DecodeUTF8((const char *)value, length, "replace");
}

/* blocks._is_hidden. Spaces out and ASCII letters lowered on the bytes is
 * str.replace(" ", "").lower() on the text as far as the needles go: decoding
 * keeps every ASCII byte, and the only non-ASCII characters that lower to
 * ASCII (U+212A to "k", U+0130 to "i" and a combining dot) cannot complete
 * a needle. */
static int
is_hidden(const wn_lxb_dom_attr_t *const *attrs, Buffer *scratch)
{
    if (attrs[A_HIDDEN]) {
        return 1;
    }
    Py_ssize_t length;
    const unsigned char *value = value_of(attrs[A_ARIA_HIDDEN], &length);
    if (value && length == 4 && memcmp(value, "true", 4) == 0) {
        return 1;
    }
    value = value_of(attrs[A_STYLE], &length);
    if (value == NULL || length == 0) {
        return 0;
    }
    scratch->length = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = value[i];
        if (c == ' ') {
            continue;
        }
        c = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
        if (append(scratch, &c, 1) < 0) {
            return -1;
        }
    }
    static const char *const needles[2] = {"display:none", "visibility:hidden"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(needles[k]);
        for (Py_ssize_t i = 0; i + (Py_ssize_t)n <= scratch->length; i++) {
            if (memcmp(scratch->data + i, needles[k], n) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* The category bits of class, id, role and itemprop from attr_bits, through
 * the walk's dict. */
static int
class_bits_python(const Walker *w, Walk *walk, const wn_lxb_dom_attr_t *const *attrs,
                  uint64_t *bits)
{
    PyObject *key = PyTuple_New(4);
    if (key == NULL) {
        return -1;
    }
    for (int a = 0; a < 4; a++) {
        PyObject *value = get_value(attrs[A_CLASS + a]);
        if (value == NULL) {
            Py_DECREF(key);
            return -1;
        }
        PyTuple_SET_ITEM(key, a, value);
    }
    PyObject *found = PyDict_GetItemWithError(walk->cache, key);
    if (found == NULL) {
        if (PyErr_Occurred()) {
            Py_DECREF(key);
            return -1;
        }
        found = PyObject_CallOneArg(w->attr_bits, key);
        if (found == NULL || PyDict_SetItem(walk->cache, key, found) < 0) {
            Py_XDECREF(found);
            Py_DECREF(key);
            return -1;
        }
        Py_DECREF(found); /* the cache holds it */
    }
    Py_DECREF(key);
    *bits = PyLong_AsUnsignedLongLong(found);
    return *bits == (uint64_t)-1 && PyErr_Occurred() ? -1 : 0;
}

/* The category bits of class, id, role and itemprop. */
static int
class_bits(const Walker *w, Walk *walk, const wn_lxb_dom_attr_t *const *attrs, uint64_t *bits)
{
    if (w->classes == NULL) {
        return class_bits_python(w, walk, attrs, bits);
    }
    Value values[4];
    int any = 0;
    for (int a = 0; a < 4; a++) {
        values[a].data = value_of(attrs[A_CLASS + a], &values[a].length);
        any |= values[a].length != 0;
    }
    if (!any) { /* none, or all empty: no category */
        *bits = 0;
        return 0;
    }
    int status = cached_key_bits(w->classes, &walk->keys, &walk->chars, values, bits);
    if (status == 0) {
        return class_bits_python(w, walk, attrs, bits);
    }
    return status < 0 ? -1 : 0;
}

/* --- blocks and containers ----------------------------------------------------------- */

/* blocks._flush: the text read since the last boundary becomes a block. */
static int
flush(Walk *walk, const Frame *top)
{
    const unsigned char *raw = walk->text.data;
    Py_ssize_t n = walk->text.length;
    Buffer *out = &walk->out;
    out->length = 0;
    if (top->in_pre) {
        /* raw.replace(_BREAK, "\n").strip("\n") */
        Py_ssize_t start = 0, end = n;
        while (start < end && (raw[start] == '\n' || raw[start] == '\0')) {
            start++;
        }
        while (end > start && (raw[end - 1] == '\n' || raw[end - 1] == '\0')) {
            end--;
        }
        if (append(out, raw + start, end - start) < 0) {
            return -1;
        }
        for (Py_ssize_t i = 0; i < out->length; i++) {
            out->data[i] = out->data[i] ? out->data[i] : '\n';
        }
    }
    else {
        /* Each <br>-separated line with its white space folded; blank lines dropped. */
        Py_ssize_t start = 0;
        for (Py_ssize_t i = 0; i <= n; i++) {
            if (i < n && raw[i] != '\0') {
                continue;
            }
            Py_ssize_t before = out->length;
            if (before && append(out, "\n", 1) < 0) {
                return -1;
            }
            if (fold(out, raw + start, i - start) < 0) {
                return -1;
            }
            if (out->length == before + (before > 0)) {
                out->length = before; /* a blank line */
            }
            start = i + 1;
        }
    }
    if (out->length == 0) {
        return 0;
    }
    if (GROW(walk->blocks, walk->n_blocks, walk->blocks_capacity, BlockRecord) < 0) {
        return -1;
    }
    PyObject *text = PyUnicode_DecodeUTF8((const char *)out->data, out->length, "strict");
    if (text == NULL) {
        return -1;
    }
    BlockRecord *block = &walk->blocks[walk->n_blocks++];
    block->text = text;
    block->chars = PyUnicode_GET_LENGTH(text);
    block->node = top->node;
    block->chain = top->chain | walk->inline_bits;
    block->link_chars = walk->link_chars;
    block->pre = top->in_pre;
    return 0;
}

/* A text node's bytes, read into the block being read (or noted as blank). */
static int
read_text(Walk *walk, const Frame *top, const unsigned char *data, size_t n)
{
    Buffer *text = &walk->text;
    Py_ssize_t start = text->length;
    if ((Py_ssize_t)n < 0) {
        PyErr_NoMemory();
        return -1;
    }
    if (valid_utf8(data, n)) {
        if (append(text, data, (Py_ssize_t)n) < 0) {
            return -1;
        }
    }
    else {
        PyObject *decoded = PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)n, "replace");
        if (decoded == NULL) {
            return -1;
        }
        Py_ssize_t length;
        const char *utf8 = PyUnicode_AsUTF8AndSize(decoded, &length);
        int failed = utf8 == NULL || append(text, utf8, length) < 0;
        Py_DECREF(decoded);
        if (failed) {
            return -1;
        }
    }
    /* The first and last characters that are not white space. */
    const unsigned char *s = text->data;
    Py_ssize_t i = start, first = -1, last = -1;
    while (i < text->length) {
        Py_ssize_t at = i;
        if (!is_space(next_char(s, &i))) {
            first = first < 0 ? at : first;
            last = i;
        }
    }
    if (first < 0 && start == 0 && !top->in_pre) {
        /* White space that would start a block folds away when the block is
         * flushed: only note that a flush is due. */
        text->length = 0;
        walk->blank = 1;
        return 0;
    }
    if (top->in_link && first >= 0) {
        walk->link_chars += count_chars(s + first, last - first);
    }
    return 0;
}

/* blocks._open_block: a block-level element joins the containers. */
static int
open_block(const Walker *w, Walk *walk, Py_ssize_t tag, uint64_t bits, const Frame *parent,
           Frame *frame)
{
    if (GROW(walk->nodes, walk->n_nodes, walk->nodes_capacity, NodeRecord) < 0) {
        return -1;
    }
    unsigned flags = w->tags[tag].flags;
    const NodeRecord *parent_node = walk->n_nodes ? node_at(walk, parent->node) : NULL;
    uint64_t own = (flags & K_PAGE) ? 0 : bits;
    uint64_t chain = own | (parent_node ? parent_node->chain : 0);
    NodeRecord *node = &walk->nodes[walk->n_nodes];
    memset(node, 0, sizeof(*node));
    node->tag = tag;
    node->parent = walk->n_nodes ? parent->node : -1;
    node->depth = parent_node ? parent_node->depth + 1 : 0;
    node->own = bits;
    node->chain = chain;
    walk->n_nodes++;
    if (flags & K_BODY) {
        walk->body_bits = bits;
    }
    *frame = (Frame){walk->n_nodes - 1, chain, parent->in_link,
                     (char)(parent->in_pre || (flags & K_PRE)), 1, NULL};
    return 0;
}

/* blocks._note_image: the first image of the nearest figure (else of the container). */
static int
note_image(const Walker *w, Walk *walk, const wn_lxb_dom_attr_t *const *attrs, Py_ssize_t node)
{
    if (walk->n_nodes == 0) {
        return 0;
    }
    NodeRecord *target = node_at(walk, node);
    Py_ssize_t j = node;
    for (int step = 0; step < w->figure_reach && j >= 0; step++) {
        if (w->tags[walk->nodes[j].tag].flags & K_FIGURE) {
            target = &walk->nodes[j];
            break;
        }
        j = walk->nodes[j].parent;
    }
    if (target->src != NULL || attrs == NULL) {
        return 0;
    }
    Py_ssize_t length;
    const wn_lxb_dom_attr_t *src = attrs[A_SRC];
    if (value_of(src, &length) == NULL || length == 0) {
        src = attrs[A_DATA_SRC];
    }
    const unsigned char *value = value_of(src, &length);
    if (value == NULL || length == 0 || (length >= 5 && memcmp(value, "data:", 5) == 0)) {
        return 0;
    }
    target->src = get_value(src);
    if (target->src == NULL) {
        return -1;
    }
    value = value_of(attrs[A_ALT], &length);
    if (value != NULL && length > 0) {
        target->alt = get_value(attrs[A_ALT]);
        if (target->alt == NULL) {
            return -1;
        }
    }
    return 0;
}

/* blocks.aggregate: each block's text summed into every container above it. */
static void
aggregate(const Walker *w, Walk *walk)
{
    if (walk->n_nodes == 0) {
        return;
    }
    for (Py_ssize_t b = 0; b < walk->n_blocks; b++) {
        const BlockRecord *block = &walk->blocks[b];
        if (block->node < 0) {
            continue;
        }
        NodeRecord *node = &walk->nodes[block->node];
        node->chars += block->chars;
        node->link_chars += block->link_chars;
        node->blocks += 1;
        if (w->tags[node->tag].flags & K_P) {
            node->p_chars += block->chars;
        }
    }
    for (Py_ssize_t i = walk->n_nodes - 1; i >= 0; i--) {
        const NodeRecord *node = &walk->nodes[i];
        if (node->parent >= 0) {
            NodeRecord *parent = &walk->nodes[node->parent];
            parent->chars += node->chars;
            parent->link_chars += node->link_chars;
            parent->blocks += node->blocks;
            parent->p_chars += node->p_chars;
        }
    }
}

/* --- the walk -------------------------------------------------------------------------- */

/* What an element does to the walk; *frame is set when its children are read. */
static int
visit_element(const Walker *w, Walk *walk, const wn_lxb_dom_element_t *element,
              const Frame *top, Frame *frame, int *opens, Buffer *scratch)
{
    Py_ssize_t tag = tag_of(w, element);
    unsigned flags = tag >= 0 ? w->tags[tag].flags : 0;
    if (flags & K_SKIP) {
        return 0;
    }
    uint64_t bits = 0;
    const wn_lxb_dom_attr_t *attrs[N_ATTRS] = {NULL};
    int has_attrs = element->first_attr != NULL;
    if (has_attrs) {
        for (const wn_lxb_dom_attr_t *attr = element->first_attr; attr; attr = attr->next) {
            int a = attr_of(w, attr);
            if (a >= 0) {
                attrs[a] = attr; /* a later one of the same name wins, as in a dict */
            }
        }
        if (!(flags & K_BR) && class_bits(w, walk, attrs, &bits) < 0) {
            return -1;
        }
        if (attrs[A_HIDDEN] || attrs[A_ARIA_HIDDEN] || attrs[A_STYLE]) {
            int hidden = is_hidden(attrs, scratch);
            if (hidden < 0) {
                return -1;
            }
            if (hidden) {
                walk->hidden_seen++;
                bits |= w->hidden_bit;
            }
        }
    }
    if (flags & K_BR) {
        return append(&walk->text, "", 1); /* _BREAK */
    }
    if (flags & K_BLOCK) {
        if (walk->text.length) {
            if (flush(walk, top) < 0) {
                return -1;
            }
            walk->text.length = 0;
            walk->link_chars = 0;
            walk->inline_bits = 0;
        }
        else if (walk->blank) {
            walk->link_chars = 0;
            walk->inline_bits = 0;
        }
        walk->blank = 0;
        if (walk->n_blocks >= w->max_blocks) {
            walk->truncated = 1;
            return 0;
        }
        *opens = 1;
        return open_block(w, walk, tag, bits | w->tags[tag].bit, top, frame);
    }
    if (tag >= 0) {
        bits |= w->tags[tag].bit;
    }
    if ((flags & K_IMG) && note_image(w, walk, has_attrs ? attrs : NULL, top->node) < 0) {
        return -1;
    }
    walk->inline_bits |= bits;
    *frame = (Frame){top->node, top->chain | bits, (char)(top->in_link || (flags & K_LINK)),
                     top->in_pre, 0, NULL};
    *opens = 1;
    return 0;
}

static int
walk_tree(const Walker *w, Walk *walk, const wn_lxb_dom_node_t *node)
{
    Frame top = NO_FRAME;
    Buffer scratch = {NULL, 0, 0};
    int status = -1;
    for (;;) {
        Frame frame;
        int opens = 0;
        if (node->local_name == w->text_id) {
            const wn_lxb_dom_character_data_t *text = (const wn_lxb_dom_character_data_t *)node;
            if (node->type == WN_LXB_NODE_TEXT && text->data.data != NULL && text->data.length
                && read_text(walk, &top, text->data.data, text->data.length) < 0) {
                goto done;
            }
        }
        else if (node->type == WN_LXB_NODE_ELEMENT) {
            if (visit_element(w, walk, (const wn_lxb_dom_element_t *)node, &top, &frame, &opens,
                              &scratch) < 0) {
                goto done;
            }
            if (walk->truncated) {
                break;
            }
        }
        /* else a comment, a doctype: nothing to read */
        if (opens) {
            if (GROW(walk->frames, walk->n_frames, walk->frames_capacity, Frame) < 0) {
                goto done;
            }
            frame.element = node;
            walk->frames[walk->n_frames++] = frame;
            top = frame;
            if (node->first_child != NULL) {
                node = node->first_child;
                continue;
            }
            /* An empty element: closed right away below. */
        }
        else if (walk->n_frames && node->next != NULL) {
            node = node->next;
            continue;
        }
        /* Close elements, innermost first, until one has a next sibling. */
        int closed_all = 1;
        while (walk->n_frames) {
            node = walk->frames[walk->n_frames - 1].element;
            if (top.is_block && (walk->text.length || walk->blank)) {
                if (walk->text.length) {
                    if (flush(walk, &top) < 0) {
                        goto done;
                    }
                    walk->text.length = 0;
                }
                walk->link_chars = 0;
                walk->inline_bits = 0;
                walk->blank = 0;
            }
            walk->n_frames--;
            top = walk->n_frames ? walk->frames[walk->n_frames - 1] : NO_FRAME;
            if (walk->n_frames && node->next != NULL) {
                node = node->next;
                closed_all = 0;
                break;
            }
        }
        if (closed_all) {
            break; /* the root is closed */
        }
    }
    if (walk->text.length) {
        PyErr_SetString(PyExc_ValueError,
                        "text outside any block element: the root must be one");
        goto done;
    }
    status = 0;
done:
    PyMem_Free(scratch.data);
    return status;
}

static PyObject *
make(const Maker *maker, PyObject *const *args)
{
    if (!maker->fill) {
        return PyObject_Vectorcall(maker->type, args, (size_t)maker->n_fields, NULL);
    }
    PyTypeObject *type = (PyTypeObject *)maker->type;
    PyObject *object = type->tp_alloc(type, 0);
    if (object == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < maker->n_fields; k++) {
        Py_INCREF(args[k]);
        *(PyObject **)((char *)object + maker->offsets[k]) = args[k];
    }
    return object;
}

/* A Maker for type with the n given fields; fill only if fields names
 * exactly its writable object slots, in order. */
static int
maker_init(Maker *maker, PyObject *type, PyObject *fields, Py_ssize_t n)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "node_type and block_type must be classes");
        return -1;
    }
    Py_INCREF(type);
    maker->type = type;
    maker->n_fields = n;
    maker->fill = 0;
    if (fields == Py_None) {
        return 0;
    }
    if (!PyTuple_Check(fields) || PyTuple_GET_SIZE(fields) != n) {
        PyErr_Format(PyExc_ValueError, "%zd field names needed", n);
        return -1;
    }
    PyObject *slots = PyObject_GetAttrString(type, "__slots__");
    int same = slots != NULL && PyObject_RichCompareBool(slots, fields, Py_EQ) == 1;
    Py_XDECREF(slots);
    PyErr_Clear();
    if (!same || ((PyTypeObject *)type)->tp_dictoffset != 0) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *descriptor = PyObject_GetAttr(type, PyTuple_GET_ITEM(fields, k));
        if (descriptor == NULL) {
            return -1;
        }
        int plain = Py_IS_TYPE(descriptor, &PyMemberDescr_Type);
        if (plain) {
            PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
            plain = member->type == T_OBJECT_EX && !(member->flags & READONLY);
            maker->offsets[k] = member->offset;
        }
        Py_DECREF(descriptor);
        if (!plain) {
            return 0;
        }
    }
    maker->fill = 1;
    return 0;
}

/* (nodes, blocks, hidden_seen, body_bits, truncated) from the records. */
static PyObject *
result(const Walker *w, Walk *walk)
{
    PyObject *nodes = PyList_New(walk->n_nodes);
    PyObject *blocks = nodes ? PyList_New(walk->n_blocks) : NULL;
    if (blocks == NULL) {
        Py_XDECREF(nodes);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < walk->n_nodes; i++) {
        const NodeRecord *r = &walk->nodes[i];
        PyObject *args[11] = {
            w->tags[r->tag].name,
            PyLong_FromSsize_t(r->parent),
            PyLong_FromSsize_t(r->depth),
            PyLong_FromUnsignedLongLong(r->own),
            PyLong_FromUnsignedLongLong(r->chain),
            r->src ? r->src : w->empty,
            r->alt ? r->alt : w->empty,
            PyLong_FromSsize_t(r->chars),
            PyLong_FromSsize_t(r->link_chars),
            PyLong_FromSsize_t(r->blocks),
            PyLong_FromSsize_t(r->p_chars),
        };
        static const int owned[11] = {0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1};
        int ok = 1;
        for (int k = 0; k < 11; k++) {
            ok &= args[k] != NULL;
        }
        PyObject *node = ok ? make(&w->node_maker, args) : NULL;
        for (int k = 0; k < 11; k++) {
            if (owned[k]) {
                Py_XDECREF(args[k]);
            }
        }
        if (node == NULL) {
            goto error;
        }
        PyList_SET_ITEM(nodes, i, node);
    }
    for (Py_ssize_t i = 0; i < walk->n_blocks; i++) {
        const BlockRecord *r = &walk->blocks[i];
        PyObject *args[5] = {
            r->text,
            PyLong_FromSsize_t(r->node),
            PyLong_FromUnsignedLongLong(r->chain),
            PyLong_FromSsize_t(r->link_chars),
            r->pre ? Py_True : Py_False,
        };
        PyObject *block = args[1] && args[2] && args[3]
                              ? make(&w->block_maker, args)
                              : NULL;
        Py_XDECREF(args[1]);
        Py_XDECREF(args[2]);
        Py_XDECREF(args[3]);
        if (block == NULL) {
            goto error;
        }
        PyList_SET_ITEM(blocks, i, block);
    }
    return Py_BuildValue("(NNnKO)", nodes, blocks, walk->hidden_seen,
                         (unsigned long long)walk->body_bits,
                         walk->truncated ? Py_True : Py_False);
error:
    Py_DECREF(nodes);
    Py_DECREF(blocks);
    return NULL;
}

static const wn_lxb_dom_node_t *
node_from(PyObject *address)
{
    size_t value = PyLong_AsSize_t(address);
    if (value == (size_t)-1 && PyErr_Occurred()) {
        return NULL;
    }
    if (value == 0) {
        PyErr_SetString(PyExc_ValueError, "no node at address 0");
        return NULL;
    }
    return (const wn_lxb_dom_node_t *)value;
}

static PyObject *
Walker_walk(Walker *self, PyObject *address)
{
    if (self->tags == NULL) {
        PyErr_SetString(PyExc_ValueError, "the Walker was not set up");
        return NULL;
    }
    const wn_lxb_dom_node_t *root = node_from(address);
    if (root == NULL) {
        return NULL;
    }
    Walk walk;
    memset(&walk, 0, sizeof(walk));
    walk.cache = PyDict_New();
    PyObject *out = NULL;
    if (walk.cache != NULL && walk_tree(self, &walk, root) == 0) {
        aggregate(self, &walk);
        out = result(self, &walk);
    }
    walk_free(&walk);
    return out;
}

/* --- Walker(...) ------------------------------------------------------------------------ */

static int
static_id(PyObject *obj, Py_ssize_t *id)
{
    *id = PyLong_AsSsize_t(obj);
    if (*id == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (*id < 0 || *id >= WN_STATIC_IDS) {
        PyErr_SetString(PyExc_ValueError, "a learned id must be one of lexbor's static ids");
        return -1;
    }
    return 0;
}

/* tags: one (name, static id, flags, bit) per tag the walk knows. */
static int
set_tags(Walker *self, PyObject *tags)
{
    PyObject *items = PySequence_Fast(tags, "tags must be a sequence");
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    self->tags = PyMem_Calloc((size_t)n + 1, sizeof(Tag));
    self->n_tag_ids = 0;
    int status = self->tags == NULL ? -1 : 0;
    for (Py_ssize_t t = 0; status == 0 && t < n; t++) {
        PyObject *name, *id, *bit;
        unsigned flags;
        Py_ssize_t sid;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(items, t), "UOIO", &name, &id, &flags,
                              &bit)
            || static_id(id, &sid) < 0) {
            status = -1;
            break;
        }
        Tag *tag = &self->tags[t];
        tag->utf8 = PyUnicode_AsUTF8AndSize(name, &tag->length);
        tag->bit = PyLong_AsUnsignedLongLong(bit);
        if (tag->utf8 == NULL || (tag->bit == (uint64_t)-1 && PyErr_Occurred())) {
            status = -1;
            break;
        }
        Py_INCREF(name);
        tag->name = name;
        tag->flags = flags;
        self->n_tags = t + 1;
        self->n_tag_ids = sid + 1 > self->n_tag_ids ? sid + 1 : self->n_tag_ids;
    }
    if (status == 0) {
        self->tag_of_id = PyMem_Malloc((size_t)self->n_tag_ids * sizeof(int32_t) + 1);
        status = self->tag_of_id == NULL ? -1 : 0;
    }
    for (Py_ssize_t i = 0; status == 0 && i < self->n_tag_ids; i++) {
        self->tag_of_id[i] = -1;
    }
    for (Py_ssize_t t = 0; status == 0 && t < n; t++) {
        Py_ssize_t sid;
        static_id(PyTuple_GET_ITEM(PySequence_Fast_GET_ITEM(items, t), 1), &sid);
        if (self->tag_of_id[sid] >= 0) {
            PyErr_SetString(PyExc_ValueError, "two tags with one id");
            status = -1;
        }
        self->tag_of_id[sid] = (int32_t)t;
    }
    if (status < 0 && !PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    Py_DECREF(items);
    return status;
}

/* attrs: for each of ATTR_NAMES, its static id, or None if lexbor has none. */
static int
set_attrs(Walker *self, PyObject *attrs)
{
    PyObject *items = PySequence_Fast(attrs, "attrs must be a sequence");
    if (items == NULL) {
        return -1;
    }
    int status = 0;
    if (PySequence_Fast_GET_SIZE(items) != N_ATTRS) {
        PyErr_Format(PyExc_ValueError, "attrs must have %d ids", N_ATTRS);
        status = -1;
    }
    Py_ssize_t ids[N_ATTRS];
    self->n_attr_ids = 0;
    for (int a = 0; status == 0 && a < N_ATTRS; a++) {
        PyObject *id = PySequence_Fast_GET_ITEM(items, a);
        ids[a] = -1;
        if (id != Py_None && static_id(id, &ids[a]) < 0) {
            status = -1;
        }
        self->n_attr_ids = ids[a] + 1 > self->n_attr_ids ? ids[a] + 1 : self->n_attr_ids;
    }
    if (status == 0) {
        self->attr_of_id = PyMem_Malloc((size_t)self->n_attr_ids * sizeof(int32_t) + 1);
        if (self->attr_of_id == NULL) {
            PyErr_NoMemory();
            status = -1;
        }
    }
    for (Py_ssize_t i = 0; status == 0 && i < self->n_attr_ids; i++) {
        self->attr_of_id[i] = -1;
    }
    for (int a = 0; status == 0 && a < N_ATTRS; a++) {
        if (ids[a] >= 0) {
            self->attr_of_id[ids[a]] = a;
        }
    }
    Py_DECREF(items);
    return status;
}

static int
Walker_init(Walker *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"tags",       "text_id",      "attrs",       "node_type",
                             "block_type", "attr_bits",    "hidden_bit",  "max_blocks",
                             "figure_reach", "node_fields", "block_fields", "classes", NULL};
    PyObject *tags, *text_id, *attrs, *node_type, *block_type, *attr_bits, *hidden_bit;
    PyObject *node_fields = Py_None, *block_fields = Py_None, *classes = Py_None;
    Py_ssize_t max_blocks;
    int figure_reach;
    if (self->tags != NULL) {
        PyErr_SetString(PyExc_TypeError, "a Walker is set up once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOOOOni|OOO:Walker", kwlist, &tags,
                                     &text_id, &attrs, &node_type, &block_type, &attr_bits,
                                     &hidden_bit, &max_blocks, &figure_reach, &node_fields,
                                     &block_fields, &classes)) {
        return -1;
    }
    if (classes != Py_None
        && (!PyObject_TypeCheck(classes, &ClassMatcherType) || !((ClassMatcher *)classes)->ready)) {
        PyErr_SetString(PyExc_TypeError, "classes must be a ClassMatcher that is set up, or None");
        return -1;
    }
    Py_ssize_t sid;
    if (!PyCallable_Check(attr_bits)) {
        PyErr_SetString(PyExc_TypeError, "attr_bits must be callable");
        return -1;
    }
    if (static_id(text_id, &sid) < 0 || set_tags(self, tags) < 0 || set_attrs(self, attrs) < 0) {
        return -1;
    }
    self->text_id = (wn_lxb_id_t)sid;
    self->hidden_bit = PyLong_AsUnsignedLongLong(hidden_bit);
    if (self->hidden_bit == (uint64_t)-1 && PyErr_Occurred()) {
        return -1;
    }
    self->empty = PyUnicode_New(0, 0);
    if (self->empty == NULL) {
        return -1;
    }
    if (maker_init(&self->node_maker, node_type, node_fields, 11) < 0
        || maker_init(&self->block_maker, block_type, block_fields, 5) < 0) {
        return -1;
    }
    Py_INCREF(attr_bits);
    self->attr_bits = attr_bits;
    self->classes = classes == Py_None ? NULL : (ClassMatcher *)Py_NewRef(classes);
    self->max_blocks = max_blocks;
    self->figure_reach = figure_reach;
    return 0;
}

static void
Walker_dealloc(Walker *self)
{
    for (Py_ssize_t t = 0; t < self->n_tags; t++) {
        Py_XDECREF(self->tags[t].name);
    }
    PyMem_Free(self->tags);
    PyMem_Free(self->tag_of_id);
    PyMem_Free(self->attr_of_id);
    Py_XDECREF(self->node_maker.type);
    Py_XDECREF(self->block_maker.type);
    Py_XDECREF(self->attr_bits);
    Py_XDECREF(self->classes);
    Py_XDECREF(self->empty);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Walker_fills(Walker *self, void *closure)
{
    return PyBool_FromLong(self->node_maker.fill && self->block_maker.fill);
}

static PyObject *
Walker_categorises(Walker *self, void *closure)
{
    return PyBool_FromLong(self->classes != NULL);
}

static PyGetSetDef Walker_getset[] = {
    {"fills", (getter)Walker_fills, NULL,
     PyDoc_STR("whether Nodes and RawBlocks are made by filling their slots"), NULL},
    {"categorises", (getter)Walker_categorises, NULL,
     PyDoc_STR("whether class, id, role and itemprop are categorised in C"), NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef Walker_methods[] = {
    {"walk", (PyCFunction)Walker_walk, METH_O,
     PyDoc_STR("walk(address) -> (nodes, blocks, hidden_seen, body_bits, truncated)")},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WalkerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "winnow._segment.Walker",
    .tp_doc = PyDoc_STR("blocks.segment's walk over lexbor's tree; see winnow.stages.lexbor_walk."),
    .tp_basicsize = sizeof(Walker),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Walker_init,
    .tp_dealloc = (destructor)Walker_dealloc,
    .tp_methods = Walker_methods,
    .tp_getset = Walker_getset,
};

/* --- ClassMatcher(...) ------------------------------------------------------------------ */

/* An index read from a program: in [low, high), else ValueError. */
static int
index_in(Py_ssize_t value, Py_ssize_t low, Py_ssize_t high, const char *what)
{
    if (value < low || value >= high) {
        PyErr_Format(PyExc_ValueError, "program: %s %zd out of range", what, value);
        return -1;
    }
    return 0;
}

/* classes: (negated, [(kind, low, high), ...]) each. */
static int
read_classes(CmProgram *p, PyObject *classes)
{
    PyObject *list = PySequence_Fast(classes, "classes must be a sequence");
    if (list == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(list);
    p->classes = PyMem_Calloc((size_t)n + 1, sizeof(CmClass));
    int status = p->classes == NULL ? -1 : 0;
    for (Py_ssize_t c = 0; status == 0 && c < n; c++) {
        int negated;
        PyObject *items;
        status = PyArg_ParseTuple(PySequence_Fast_GET_ITEM(list, c), "pO", &negated, &items)
                     ? 0 : -1;
        PyObject *fast = status == 0 ? PySequence_Fast(items, "class items") : NULL;
        if (fast == NULL) {
            status = -1;
            break;
        }
        Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
        CmItem *more = PyMem_Realloc(p->items, ((size_t)(p->n_items + count) + 1) * sizeof(CmItem));
        if (more == NULL) {
            PyErr_NoMemory();
            status = -1;
        }
        else {
            p->items = more;
        }
        p->classes[c] = (CmClass){{0, 0}, negated, p->n_items, count};
        for (Py_ssize_t i = 0; status == 0 && i < count; i++) {
            int kind;
            Py_ssize_t low, high;
            if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, i), "inn", &kind, &low, &high)) {
                status = -1;
            }
            else if (kind == CM_RANGE) {
                status = index_in(low, 0, 0x110000, "character") < 0
                         || index_in(high, low, 0x110000, "character") < 0 ? -1 : 0;
            }
            else {
                status = kind == CM_CATEGORY ? index_in(low, 0, CM_N_CATEGORIES, "category")
                                             : index_in(kind, 0, 2, "item kind");
            }
            p->items[p->n_items++] = (CmItem){kind, (Py_UCS4)low, (Py_UCS4)high};
        }
        Py_DECREF(fast);
        p->n_classes = c + 1;
    }
    if (status < 0 && !PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    Py_DECREF(list);
    return status;
}

/* A node's references, checked: each to a later node (so the program has
 * no cycle), a class, an assertion, alternatives. */
static int
check_node(const CmProgram *p, Py_ssize_t i)
{
    const CmNode *x = &p->nodes[i];
    Py_ssize_t n = p->n_nodes;
    if ((x->next != -1 && index_in(x->next, i + 1, n, "next node") < 0)
        || index_in(x->kind, 0, CM_N_KINDS, "node kind") < 0) {
        return -1;
    }
    switch (x->kind) {
    case CM_TEST:
        return index_in(x->a, 0, p->n_classes, "class");
    case CM_AT:
        return index_in(x->a, 0, CM_N_AT, "assertion");
    case CM_BRANCH:
        if (index_in(x->a, 0, p->n_alts + 1, "alternative") < 0
            || index_in(x->b, 0, p->n_alts - x->a + 1, "alternatives") < 0) {
            return -1;
        }
        for (Py_ssize_t a = x->a; a < x->a + x->b; a++) {
            if (p->alts[a].start != -1 && index_in(p->alts[a].start, i + 1, n, "start") < 0) {
                return -1;
            }
        }
        return 0;
    case CM_REPEAT:
        if (index_in(x->a, i + 1, n, "body") < 0 || index_in(x->b, 0, PY_SSIZE_T_MAX, "min") < 0
            || (x->c != CM_UNBOUNDED && index_in(x->c, x->b, PY_SSIZE_T_MAX, "max") < 0)) {
            return -1;
        }
        return index_in(x->d, 0, 2, "greedy");
    default:
        if ((x->a != -1 && index_in(x->a, i + 1, n, "body") < 0)
            || index_in(x->b, 0, 2, "negative") < 0) {
            return -1;
        }
        return x->c == -1 ? 0 : index_in(x->c, 0, PY_SSIZE_T_MAX, "width");
    }
}

/* nodes: (kind, next, a, b, c, d) each; alternatives: first nodes; top:
 * (first node, bit) each. */
static int
read_program(CmProgram *p, PyObject *nodes, PyObject *alternatives, PyObject *top)
{
    PyObject *lists[3] = {PySequence_Fast(nodes, "nodes must be a sequence"), NULL, NULL};
    lists[1] = lists[0] ? PySequence_Fast(alternatives, "alternatives must be a sequence") : NULL;
    lists[2] = lists[1] ? PySequence_Fast(top, "top must be a sequence") : NULL;
    int status = lists[2] ? 0 : -1;
    if (status == 0) {
        p->n_nodes = PySequence_Fast_GET_SIZE(lists[0]);
        p->n_alts = PySequence_Fast_GET_SIZE(lists[1]);
        p->n_top = PySequence_Fast_GET_SIZE(lists[2]);
        p->nodes = PyMem_Calloc((size_t)p->n_nodes + 1, sizeof(CmNode));
        p->alts = PyMem_Calloc((size_t)p->n_alts + 1, sizeof(CmAlt));
        p->top = PyMem_Calloc((size_t)p->n_top + 1, sizeof(CmAlt));
        if (p->nodes == NULL || p->alts == NULL || p->top == NULL) {
            PyErr_NoMemory();
            status = -1;
        }
    }
    for (Py_ssize_t a = 0; status == 0 && a < p->n_alts; a++) {
        p->alts[a].start = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(lists[1], a));
        status = p->alts[a].start == -1 && PyErr_Occurred() ? -1 : 0;
    }
    for (Py_ssize_t i = 0; status == 0 && i < p->n_nodes; i++) {
        CmNode *x = &p->nodes[i];
        int kind;
        status = PyArg_ParseTuple(PySequence_Fast_GET_ITEM(lists[0], i), "innnnn", &kind,
                                  &x->next, &x->a, &x->b, &x->c, &x->d) ? 0 : -1;
        x->kind = kind;
    }
    for (Py_ssize_t i = 0; status == 0 && i < p->n_nodes; i++) {
        status = check_node(p, i);
    }
    for (Py_ssize_t i = 0; status == 0 && i < p->n_nodes; i++) {
        CmNode *x = &p->nodes[i];
        const CmNode *body = x->kind == CM_REPEAT ? &p->nodes[x->a] : NULL;
        x->single = body && body->kind == CM_TEST && body->next == -1 ? body->a : -1;
    }
    for (Py_ssize_t t = 0; status == 0 && t < p->n_top; t++) {
        PyObject *bit;
        CmAlt *alt = &p->top[t];
        status = PyArg_ParseTuple(PySequence_Fast_GET_ITEM(lists[2], t), "nO", &alt->start, &bit)
                     && (alt->start == -1 || index_in(alt->start, 0, p->n_nodes, "start") == 0)
                     ? 0 : -1;
        alt->bit = status == 0 ? PyLong_AsUnsignedLongLong(bit) : 0;
        status = alt->bit == (uint64_t)-1 && PyErr_Occurred() ? -1 : status;
    }
    for (int k = 0; k < 3; k++) {
        Py_XDECREF(lists[k]);
    }
    return status;
}

static int
ClassMatcher_init(ClassMatcher *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"nodes", "classes", "alternatives", "top", "roles", "itemprops",
                             NULL};
    PyObject *nodes, *classes, *alternatives, *top, *roles, *itemprops;
    if (self->ready || self->program.nodes != NULL) {
        PyErr_SetString(PyExc_TypeError, "a ClassMatcher is set up once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOO$O!O!:ClassMatcher", kwlist, &nodes,
                                     &classes, &alternatives, &top, &PyDict_Type, &roles,
                                     &PyDict_Type, &itemprops)) {
        return -1;
    }
    CmProgram *p = &self->program;
    if (read_classes(p, classes) < 0 || read_program(p, nodes, alternatives, top) < 0) {
        return -1;
    }
    cm_ascii_tables(p);
    CmFirst *first = PyMem_Calloc((size_t)p->n_nodes + 1, sizeof(CmFirst));
    if (first == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int status = cm_first_sets(p, first);
    PyMem_Free(first);
    if (status < 0 || cm_filter(p) < 0) {
        return -1;
    }
    self->roles = Py_NewRef(roles);
    self->itemprops = Py_NewRef(itemprops);
    self->ready = 1;
    return 0;
}

static void
ClassMatcher_dealloc(ClassMatcher *self)
{
    cm_free(&self->program);
    Py_XDECREF(self->roles);
    Py_XDECREF(self->itemprops);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
ready(const ClassMatcher *self)
{
    if (!self->ready) {
        PyErr_SetString(PyExc_ValueError, "the ClassMatcher was not set up");
    }
    return self->ready;
}

/* The bits, or None where the matcher gives up. */
static PyObject *
bits_or_none(int status, uint64_t bits)
{
    if (status < 0) {
        return NULL;
    }
    if (status == 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromUnsignedLongLong(bits);
}

static PyObject *
ClassMatcher_class_bits(ClassMatcher *self, PyObject *names)
{
    if (!ready(self)) {
        return NULL;
    }
    if (!PyUnicode_Check(names)) {
        PyErr_SetString(PyExc_TypeError, "class_bits() takes a str");
        return NULL;
    }
    Py_UCS4 *chars = PyUnicode_AsUCS4Copy(names);
    if (chars == NULL) {
        return NULL;
    }
    uint64_t bits;
    int status = cm_finditer_bits(&self->program, chars, PyUnicode_GET_LENGTH(names), &bits);
    PyMem_Free(chars);
    return bits_or_none(status < 0 ? 0 : 1, bits);
}

static PyObject *
ClassMatcher_attr_bits(ClassMatcher *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!ready(self)) {
        return NULL;
    }
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "attr_bits() takes class, id, role and itemprop");
        return NULL;
    }
    Value values[4];
    for (int a = 0; a < 4; a++) {
        if (args[a] == Py_None) {
            values[a] = (Value){NULL, 0};
        }
        else if (PyBytes_Check(args[a])) {
            values[a] = (Value){(const unsigned char *)PyBytes_AS_STRING(args[a]),
                                PyBytes_GET_SIZE(args[a])};
        }
        else {
            PyErr_SetString(PyExc_TypeError, "attr_bits() takes bytes or None");
            return NULL;
        }
    }
    Chars chars = {NULL, 0};
    uint64_t bits;
    int status = key_bits(self, values, &chars, &bits);
    PyMem_Free(chars.data);
    return bits_or_none(status, bits);
}

static PyMethodDef ClassMatcher_methods[] = {
    {"class_bits", (PyCFunction)ClassMatcher_class_bits, METH_O,
     PyDoc_STR("class_bits(names) -> the bits of finditer's matches, or None")},
    {"attr_bits", (PyCFunction)(void (*)(void))ClassMatcher_attr_bits, METH_FASTCALL,
     PyDoc_STR("attr_bits(class, id, role, itemprop) -> blocks._attr_bits of the "
               "values decoded, or None")},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ClassMatcherType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "winnow._segment.ClassMatcher",
    .tp_doc = PyDoc_STR("patterns.CLASS_PATTERN compiled; see winnow.stages.class_match."),
    .tp_basicsize = sizeof(ClassMatcher),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)ClassMatcher_init,
    .tp_dealloc = (destructor)ClassMatcher_dealloc,
    .tp_methods = ClassMatcher_methods,
};

/* --- what the load-time check learns ids from ------------------------------------------- */

static PyObject *
node_ids(PyObject *module, PyObject *address)
{
    const wn_lxb_dom_node_t *node = node_from(address);
    if (node == NULL) {
        return NULL;
    }
    wn_lxb_id_t qualified = node->type == WN_LXB_NODE_ELEMENT
                                ? ((const wn_lxb_dom_element_t *)node)->qualified_name
                                : 0;
    return Py_BuildValue("(iKK)", node->type, (unsigned long long)node->local_name,
                         (unsigned long long)qualified);
}

static PyObject *
attr_ids(PyObject *module, PyObject *address)
{
    const wn_lxb_dom_node_t *node = node_from(address);
    if (node == NULL) {
        return NULL;
    }
    PyObject *ids = PyList_New(0);
    if (ids == NULL || node->type != WN_LXB_NODE_ELEMENT) {
        return ids;
    }
    const wn_lxb_dom_attr_t *attr = ((const wn_lxb_dom_element_t *)node)->first_attr;
    for (; attr; attr = attr->next) {
        PyObject *pair = Py_BuildValue("(KK)", (unsigned long long)attr->node.local_name,
                                       (unsigned long long)attr->qualified_name);
        if (pair == NULL || PyList_Append(ids, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(ids);
            return NULL;
        }
        Py_DECREF(pair);
    }
    return ids;
}

static PyMethodDef module_methods[] = {
    {"node_ids", node_ids, METH_O,
     PyDoc_STR("node_ids(address) -> (type, local_name, qualified_name) of a lexbor node")},
    {"attr_ids", attr_ids, METH_O,
     PyDoc_STR("attr_ids(address) -> [(local_name, qualified_name)] of an element's attributes")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef segment_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "winnow._segment",
    .m_doc = "winnow.stages.blocks.segment's tree walk over lexbor's structures, compiled.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__segment(void)
{
    if (PyType_Ready(&WalkerType) < 0 || PyType_Ready(&ClassMatcherType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&segment_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(module, "STATIC_IDS", WN_STATIC_IDS) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "Walker", (PyObject *)&WalkerType) < 0
        || PyModule_AddObjectRef(module, "ClassMatcher", (PyObject *)&ClassMatcherType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
