/* The text statistics of winnow.stages.features, counted in C.
 *
 * Scanner(...).rows(texts, out, title_words) fills one row of WIDTH float64s
 * per text with what features._text_rows computes in Python: the 17 columns
 * of features._text_scalars, then the title overlap. The same integer counts
 * go through the same float operations in the same order (int / int in
 * Python divides the two as doubles when both are below 2**53; math.log1p is
 * libm's log1p), so that the rows are equal bit for bit. The five columns that
 * are regular expressions (UI_TEXT, BOILERPLATE_TEXT, CREDIT_TEXT, DATE_TEXT,
 * BYLINE_TEXT) are left 0: for each text that might match one, rows() says
 * which ("gates": bit k for the k-th of them) and hands back the
 * whitespace-folded start that three of them read, and Python runs them.
 * Python's own gates are kept (a pattern is read only below a length, or when
 * one of its trigger substrings is there); the UI, byline and date gates are
 * stricter here, from the words and digits those patterns are made of.
 *
 * Character classes are Python re's on str: \w is Py_UNICODE_ISALNUM or '_',
 * \d Py_UNICODE_ISDECIMAL, \s Py_UNICODE_ISSPACE (also what str.split and
 * str.rstrip take for whitespace). Lower case is str.lower's own, called here,
 * since it can change a text's length ('İ' -> 'i̇'); ASCII texts are lowered as
 * they are copied.
 *
 * Every character set and trigger list comes from Python (winnow.patterns and
 * winnow.stages.features), so each is defined once.
 *
 * word_hashes(lower, starts, table, word_bit) hashes the words of a page's
 * blocks for the block model's lexicon, as textmode.words.hashes_of does in
 * numpy (textmode.features.block_terms uses it where built).
 *
 * dump_scan(text, lower, starts, table, masks, copyright) reads a text dump
 * once for textmode.features.measure: its per-line character counts and its
 * words, as _shape_flags and words.find's runs give them in numpy;
 * word_table(hashes, ...) looks those words up in the vocabulary tables and
 * counts them, as words._tabled does, and group_keys(...) hashes the word
 * sequence of each line or paragraph, as words.group_keys does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 18 /* features._TEXT_WIDTH: _text_scalars' 17 columns, the title overlap */

enum {
    GATE_UI = 1,
    GATE_BOILERPLATE = 2,
    GATE_CREDIT = 4,
    GATE_DATE = 8,
    GATE_BYLINE = 16,
};

/* --- character classes ---------------------------------------------------- */

/* The classes of the first 256 characters, from the same macros (filled at
 * import): most text is Latin, and the macros are calls into the Unicode
 * database. */
enum { IS_WORD = 1, IS_DECIMAL = 2, IS_SPACE = 4 };
static unsigned char latin1[256];

static void
fill_latin1(void)
{
    for (Py_UCS4 c = 0; c < 256; c++) {
        latin1[c] = (Py_UNICODE_ISALNUM(c) || c == '_' ? IS_WORD : 0)
                    | (Py_UNICODE_ISDECIMAL(c) ? IS_DECIMAL : 0)
                    | (Py_UNICODE_ISSPACE(c) ? IS_SPACE : 0);
    }
}

static inline int
is_word(Py_UCS4 c)
{
    return c < 256 ? latin1[c] & IS_WORD : Py_UNICODE_ISALNUM(c) || c == '_';
}

static inline int
is_decimal(Py_UCS4 c)
{
    return c < 256 ? (latin1[c] & IS_DECIMAL) != 0 : Py_UNICODE_ISDECIMAL(c);
}

static inline int
is_space(Py_UCS4 c)
{
    return c < 256 ? (latin1[c] & IS_SPACE) != 0 : Py_UNICODE_ISSPACE(c);
}

/* A set of characters: a bitmap below 128, a list above. */
typedef struct {
    uint64_t ascii[2];
    Py_UCS4 *other;
    Py_ssize_t n_other;
} CharSet;

static inline int
in_set(const CharSet *set, Py_UCS4 c)
{
    if (c < 128) {
        return (set->ascii[c >> 6] >> (c & 63)) & 1;
    }
    for (Py_ssize_t k = 0; k < set->n_other; k++) {
        if (set->other[k] == c) {
            return 1;
        }
    }
    return 0;
}

static int
make_set(CharSet *set, PyObject *chars, const char *what)
{
    if (!PyUnicode_Check(chars)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str", what);
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(chars);
    set->other = PyMem_New(Py_UCS4, n ? n : 1);
    if (set->other == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(chars, i);
        if (c < 128) {
            set->ascii[c >> 6] |= (uint64_t)1 << (c & 63);
        }
        else {
            set->other[set->n_other++] = c;
        }
    }
    return 0;
}

/* --- needles: substrings looked for, or words compared with ------------------ */

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t len;
} Needle;

/* Needles sorted by their first character; those starting with c < 128 are
 * items[start[c]:start[c + 1]], the others items[start[128]:n]. */
typedef struct {
    Needle *items;
    Py_ssize_t n;
    Py_ssize_t start[129];
    /* Bit b of pairs[a][b >> 6] for ASCII a and b: a needle starts with a, b
     * (or is a alone): most positions of a text are passed over on this test. */
    uint64_t pairs[128][2];
} Needles;

static int
by_first(const void *a, const void *b)
{
    Py_UCS4 x = ((const Needle *)a)->chars[0], y = ((const Needle *)b)->chars[0];
    return (x > y) - (x < y);
}

static int
make_needles(Needles *needles, PyObject *strings, const char *what)
{
    PyObject *items = PySequence_Fast(strings, "needles must be a sequence of str");
    if (items == NULL) {
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    needles->items = PyMem_New(Needle, n ? n : 1);
    if (needles->items == NULL) {
        Py_DECREF(items);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *s = PySequence_Fast_GET_ITEM(items, k);
        if (!PyUnicode_Check(s) || PyUnicode_GET_LENGTH(s) == 0) {
            PyErr_Format(PyExc_TypeError, "%s must hold non-empty str", what);
            Py_DECREF(items);
            return -1;
        }
        Needle *needle = &needles->items[k];
        needle->chars = PyUnicode_AsUCS4Copy(s);
        if (needle->chars == NULL) {
            Py_DECREF(items);
            return -1;
        }
        needle->len = PyUnicode_GET_LENGTH(s);
        needles->n = k + 1;
    }
    Py_DECREF(items);
    if (n > 1) {
        qsort(needles->items, n, sizeof(Needle), by_first);
    }
    Py_ssize_t k = 0;
    for (Py_UCS4 c = 0; c <= 128; c++) {
        while (k < n && needles->items[k].chars[0] < c) {
            k++;
        }
        needles->start[c] = k;
    }
    for (k = 0; k < n; k++) {
        const Needle *nd = &needles->items[k];
        Py_UCS4 a = nd->chars[0];
        if (a >= 128) {
            continue;
        }
        if (nd->len == 1 || nd->chars[1] >= 128) { /* a alone, or a and more than ASCII */
            needles->pairs[a][0] = needles->pairs[a][1] = UINT64_MAX;
            continue;
        }
        Py_UCS4 b = nd->chars[1];
        needles->pairs[a][b >> 6] |= (uint64_t)1 << (b & 63);
    }
    return 0;
}

static void
free_needles(Needles *needles)
{
    for (Py_ssize_t k = 0; k < needles->n; k++) {
        PyMem_Free(needles->items[k].chars);
    }
    PyMem_Free(needles->items);
    memset(needles, 0, sizeof *needles);
}

/* Whether one of ``needles`` occurs in s[:len]. */
static int
contains_any(const Needles *needles, const Py_UCS4 *s, Py_ssize_t len)
{
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = s[i];
        if (c < 128) {
            Py_UCS4 next = i + 1 < len ? s[i + 1] : 0;
            if (next < 128 && !((needles->pairs[c][next >> 6] >> (next & 63)) & 1)) {
                continue;
            }
        }
        Py_ssize_t lo = c < 128 ? needles->start[c] : needles->start[128];
        Py_ssize_t hi = c < 128 ? needles->start[c + 1] : needles->n;
        for (Py_ssize_t k = lo; k < hi; k++) {
            const Needle *nd = &needles->items[k];
            if (nd->chars[0] == c && nd->len <= len - i
                && (nd->len == 1 || nd->chars[1] == s[i + 1]) /* most fail here */
                && memcmp(nd->chars, s + i, nd->len * sizeof(Py_UCS4)) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* The needle equal to s[:len], or -1. */
static Py_ssize_t
find_word(const Needles *needles, const Py_UCS4 *s, Py_ssize_t len)
{
    Py_UCS4 c = s[0];
    Py_ssize_t lo = c < 128 ? needles->start[c] : needles->start[128];
    Py_ssize_t hi = c < 128 ? needles->start[c + 1] : needles->n;
    for (Py_ssize_t k = lo; k < hi; k++) {
        const Needle *nd = &needles->items[k];
        if (nd->len == len && memcmp(nd->chars, s, len * sizeof(Py_UCS4)) == 0) {
            return k;
        }
    }
    return -1;
}

/* --- Scanner ---------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    int built;
    Py_ssize_t scan, short_chars, title_below;
    Py_ssize_t ui_below, credit_below, date_below, byline_below, date_digits;
    CharSet punct, sentence_end, code, enders, bullets, ui_tail, date_separators;
    Needles boilerplate, credit, agencies, ui_words, byline_words, date_words;
    PyObject *lower; /* "lower" */
} Scanner;

#define N_SETS 7
#define N_LISTS 6

static void
Scanner_clear(Scanner *self)
{
    CharSet *sets[N_SETS] = {&self->punct,   &self->sentence_end, &self->code,
                             &self->enders,  &self->bullets,      &self->ui_tail,
                             &self->date_separators};
    for (int k = 0; k < N_SETS; k++) {
        PyMem_Free(sets[k]->other);
        memset(sets[k], 0, sizeof(CharSet));
    }
    Needles *lists[N_LISTS] = {&self->boilerplate, &self->credit,       &self->agencies,
                               &self->ui_words,    &self->byline_words, &self->date_words};
    for (int k = 0; k < N_LISTS; k++) {
        free_needles(lists[k]);
    }
    Py_CLEAR(self->lower);
    self->built = 0;
}

static int
Scanner_init(Scanner *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"scan", "short", "title_below", "ui_below", "credit_below",
                             "date_below", "byline_below", "punct", "sentence_end", "code",
                             "enders", "bullets", "ui_tail", "date_separators",
                             "boilerplate_triggers", "credit_triggers", "credit_agencies",
                             "ui_words", "byline_words", "date_words", "date_digits", NULL};
    PyObject *chars[N_SETS], *lists[N_LISTS];
    if (self->built) {
        PyErr_SetString(PyExc_TypeError, "a Scanner is built once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, "nnnnnnnOOOOOOOOOOOOOn:Scanner", kwlist, &self->scan,
            &self->short_chars, &self->title_below, &self->ui_below, &self->credit_below,
            &self->date_below, &self->byline_below, &chars[0], &chars[1], &chars[2], &chars[3],
            &chars[4], &chars[5], &chars[6], &lists[0], &lists[1], &lists[2], &lists[3],
            &lists[4], &lists[5], &self->date_digits)) {
        return -1;
    }
    if (self->scan < 1 || self->short_chars < 1 || self->date_digits < 1) {
        PyErr_SetString(PyExc_ValueError, "scan, short and date_digits must be 1 or more");
        return -1;
    }
    CharSet *sets[N_SETS] = {&self->punct,   &self->sentence_end, &self->code,
                             &self->enders,  &self->bullets,      &self->ui_tail,
                             &self->date_separators};
    const char *set_names[N_SETS] = {"punct",   "sentence_end", "code",           "enders",
                                     "bullets", "ui_tail",      "date_separators"};
    Needles *needles[N_LISTS] = {&self->boilerplate, &self->credit,       &self->agencies,
                                 &self->ui_words,    &self->byline_words, &self->date_words};
    const char *needle_names[N_LISTS] = {"boilerplate_triggers", "credit_triggers",
                                         "credit_agencies",      "ui_words",
                                         "byline_words",         "date_words"};
    for (int k = 0; k < N_SETS; k++) {
        if (make_set(sets[k], chars[k], set_names[k]) < 0) {
            Scanner_clear(self);
            return -1;
        }
    }
    for (int k = 0; k < N_LISTS; k++) {
        if (make_needles(needles[k], lists[k], needle_names[k]) < 0) {
            Scanner_clear(self);
            return -1;
        }
    }
    self->lower = PyUnicode_InternFromString("lower");
    if (self->lower == NULL) {
        Scanner_clear(self);
        return -1;
    }
    self->built = 1;
    return 0;
}

static void
Scanner_dealloc(Scanner *self)
{
    Scanner_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* --- work space of one rows() call ------------------------------------------- */

typedef struct {
    Py_UCS4 *head;    /* text[:scan] */
    Py_UCS4 *lowered; /* text[:scan].lower() */
    Py_ssize_t lowered_size;
    Py_UCS4 *folded;  /* " ".join(lowered[:short].split()) */
    Needles title;    /* the title words */
    unsigned char *hit; /* per title word: seen in this text */
} Work;

static int
grow(Py_UCS4 **buf, Py_ssize_t *size, Py_ssize_t need)
{
    if (need <= *size) {
        return 0;
    }
    Py_UCS4 *bigger = PyMem_Resize(*buf, Py_UCS4, need);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buf = bigger;
    *size = need;
    return 0;
}

/* s[:n] as UCS4 into ``out``, ASCII letters lowered when ``lower``. */
static void
copy_chars(PyObject *s, Py_ssize_t n, Py_UCS4 *out, int lower)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *in = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            out[i] = lower && in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32u : in[i];
        }
    }
    else {
        for (Py_ssize_t i = 0; i < n; i++) {
            out[i] = PyUnicode_READ(kind, data, i);
        }
    }
}

/* text[:h].lower() into work->lowered; its length, or -1. */
static Py_ssize_t
lower_head(const Scanner *self, PyObject *text, Py_ssize_t h, Work *work)
{
    if (PyUnicode_IS_ASCII(text)) {
        copy_chars(text, h, work->lowered, 1);
        return h;
    }
    PyObject *head = PyUnicode_Substring(text, 0, h);
    PyObject *lowered = head ? PyObject_CallMethodNoArgs(head, self->lower) : NULL;
    Py_XDECREF(head);
    if (lowered == NULL) {
        return -1;
    }
    Py_ssize_t len = -1;
    if (!PyUnicode_Check(lowered)) {
        PyErr_SetString(PyExc_TypeError, "str.lower gave no str");
    }
    else if (grow(&work->lowered, &work->lowered_size, PyUnicode_GET_LENGTH(lowered)) == 0) {
        len = PyUnicode_GET_LENGTH(lowered);
        copy_chars(lowered, len, work->lowered, 0);
    }
    Py_DECREF(lowered);
    return len;
}

/* --- counts --------------------------------------------------------------------- */

/* What the head (text[:scan]) and the whole text count. */
typedef struct {
    Py_ssize_t punct, sentences, capitals, digits, code, newline_space, head_newlines;
    Py_ssize_t newlines;
    int ends_sentence, starts_bullet;
} Counts;

static void
count_head(const Scanner *self, const Py_UCS4 *s, Py_ssize_t h, Counts *k)
{
    int prev_word = 0;
    for (Py_ssize_t i = 0; i < h; i++) {
        Py_UCS4 c = s[i];
        int word = is_word(c);
        int decimal = is_decimal(c);
        k->punct += in_set(&self->punct, c);
        k->digits += decimal;
        k->code += in_set(&self->code, c);
        /* CAPITALISED: (?<!\w)[^\W\d_a-z] */
        k->capitals += word && !prev_word && !decimal && c != '_' && !(c >= 'a' && c <= 'z');
        if (in_set(&self->sentence_end, c)) { /* SENTENCE_END: [.!?。！？](?:\s|$) */
            k->sentences += i + 1 == h || is_space(s[i + 1]);
        }
        if (c == '\n') {
            k->head_newlines++;
            k->newline_space += i + 1 < h && s[i + 1] == ' ';
        }
        prev_word = word;
    }
}

/* The counts that read the whole text: its newlines, last and first character. */
static void
count_whole(const Scanner *self, PyObject *text, const Py_UCS4 *head, Py_ssize_t h, Counts *k)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    k->newlines = k->head_newlines;
    for (Py_ssize_t i = h; i < n; i++) {
        k->newlines += PyUnicode_READ(kind, data, i) == '\n';
    }
    Py_ssize_t last = n - 1; /* text.rstrip()[-1:] in enders ('' is in every str) */
    while (last >= 0 && is_space(PyUnicode_READ(kind, data, last))) {
        last--;
    }
    k->ends_sentence = last < 0 || in_set(&self->enders, PyUnicode_READ(kind, data, last));
    k->starts_bullet = n == 0 || in_set(&self->bullets, head[0]); /* text[:1] in bullets */
}

/* The \w+ runs of s[:len]: how many, and their characters. */
static void
count_words(const Py_UCS4 *s, Py_ssize_t len, Py_ssize_t *n_words, Py_ssize_t *word_chars)
{
    Py_ssize_t words = 0, chars = 0;
    int in_word = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        int w = is_word(s[i]);
        words += w && !in_word;
        chars += w;
        in_word = w;
    }
    *n_words = words;
    *word_chars = chars;
}

/* len(WORD.findall(text.lower())) for a text longer than the head, or -1. */
static Py_ssize_t
count_all_words(const Scanner *self, PyObject *text)
{
    PyObject *lowered = PyObject_CallMethodNoArgs(text, self->lower);
    if (lowered == NULL) {
        return -1;
    }
    if (!PyUnicode_Check(lowered)) {
        PyErr_SetString(PyExc_TypeError, "str.lower gave no str");
        Py_DECREF(lowered);
        return -1;
    }
    int kind = PyUnicode_KIND(lowered);
    const void *data = PyUnicode_DATA(lowered);
    Py_ssize_t words = 0;
    int in_word = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(lowered); i++) {
        int w = is_word(PyUnicode_READ(kind, data, i));
        words += w && !in_word;
        in_word = w;
    }
    Py_DECREF(lowered);
    return words;
}

/* " ".join(lowered[:short].split()) into ``out``; its length. */
static Py_ssize_t
fold_short(const Scanner *self, const Py_UCS4 *lowered, Py_ssize_t len, Py_UCS4 *out)
{
    Py_ssize_t end = len < self->short_chars ? len : self->short_chars;
    Py_ssize_t m = 0;
    int space = 0;
    for (Py_ssize_t i = 0; i < end; i++) {
        Py_UCS4 c = lowered[i];
        if (is_space(c)) {
            space = m > 0;
            continue;
        }
        if (space) {
            out[m++] = ' ';
            space = 0;
        }
        out[m++] = c;
    }
    return m;
}

/* The next \w+ word of s[:len] at or after *i: 1 with s[*start:*i], or 0. */
static int
next_word(const Py_UCS4 *s, Py_ssize_t len, Py_ssize_t *i, Py_ssize_t *start)
{
    while (*i < len && !is_word(s[*i])) {
        (*i)++;
    }
    *start = *i;
    while (*i < len && is_word(s[*i])) {
        (*i)++;
    }
    return *i > *start;
}

/* Whether a \w+ word of s[:len] is one of ``needles``. */
static int
has_word(const Needles *needles, const Py_UCS4 *s, Py_ssize_t len)
{
    Py_ssize_t i = 0, start;
    while (next_word(s, len, &i, &start)) {
        if (find_word(needles, s + start, i - start) >= 0) {
            return 1;
        }
    }
    return 0;
}

/* How many of the title words (distinct) are \w+ words of s[:len]. */
static Py_ssize_t
title_hits(Work *work, const Py_UCS4 *s, Py_ssize_t len)
{
    Py_ssize_t hits = 0, i = 0, start;
    while (hits < work->title.n && next_word(s, len, &i, &start)) {
        Py_ssize_t k = find_word(&work->title, s + start, i - start);
        if (k >= 0 && !work->hit[k]) {
            work->hit[k] = 1;
            hits++;
        }
    }
    memset(work->hit, 0, work->title.n);
    return hits;
}

/* Whether UI_TEXT (^(?:word|...)[\s tail]*$) might match the folded start:
 * what is left of it without its trailing tail characters and spaces is one
 * of its words. */
static int
ui_gate(const Scanner *self, const Py_UCS4 *folded, Py_ssize_t m)
{
    while (m > 0 && (folded[m - 1] == ' ' || in_set(&self->ui_tail, folded[m - 1]))) {
        m--;
    }
    return m > 0 && find_word(&self->ui_words, folded, m) >= 0;
}

/* Whether BYLINE_TEXT (^\s*(?:word|...)\s+\S, ignoring case) might match the
 * head: after its leading spaces, a run of other characters and then a space,
 * the run one of its words once ASCII is lowered, or with a character beyond
 * ASCII (a few of those match ASCII letters when case is ignored). */
static int
byline_gate(const Scanner *self, const Py_UCS4 *s, Py_ssize_t h)
{
    Py_ssize_t i = 0;
    while (i < h && is_space(s[i])) {
        i++;
    }
    Py_ssize_t start = i;
    while (i < h && !is_space(s[i])) {
        if (s[i] >= 128) {
            return 1;
        }
        i++;
    }
    if (i == start || i == h) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < self->byline_words.n; k++) {
        const Needle *nd = &self->byline_words.items[k];
        Py_ssize_t j = 0;
        while (nd->len == i - start && j < nd->len
               && nd->chars[j] == (s[start + j] >= 'A' && s[start + j] <= 'Z' ? s[start + j] + 32u
                                                                            : s[start + j])) {
            j++;
        }
        if (nd->len == i - start && j == nd->len) {
            return 1;
        }
    }
    return 0;
}

/* Whether DATE_TEXT might match the folded start: it holds date_digits
 * decimal digits in a row, a digit before one of the date separators, or one
 * of the date words. */
static int
date_gate(const Scanner *self, const Py_UCS4 *folded, Py_ssize_t m)
{
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        run = is_decimal(folded[i]) ? run + 1 : 0;
        if (run >= self->date_digits
            || (run > 0 && i + 1 < m && in_set(&self->date_separators, folded[i + 1]))) {
            return 1;
        }
    }
    return contains_any(&self->date_words, folded, m);
}

/* Which of the pattern columns the text might match. */
static int
gates_of(const Scanner *self, Py_ssize_t n, const Counts *k, const Py_UCS4 *head, Py_ssize_t h,
         const Py_UCS4 *lowered, Py_ssize_t len, const Py_UCS4 *folded, Py_ssize_t m)
{
    int gates = 0;
    gates |= n < self->ui_below && ui_gate(self, folded, m) ? GATE_UI : 0;
    gates |= contains_any(&self->boilerplate, folded, m) ? GATE_BOILERPLATE : 0;
    if (n < self->credit_below
        && (contains_any(&self->credit, lowered, len) || has_word(&self->agencies, lowered, len))) {
        gates |= GATE_CREDIT;
    }
    if (n < self->date_below && k->digits > 0 && date_gate(self, folded, m)) {
        gates |= GATE_DATE;
    }
    gates |= n < self->byline_below && byline_gate(self, head, h) ? GATE_BYLINE : 0;
    return gates;
}

/* --- one text ----------------------------------------------------------------- */

/* Fill ``row``; the gates, or -1. ``*short_text``: the folded start, for a
 * gated text (new reference). */
static int
scan_text(const Scanner *self, PyObject *text, double *row, Work *work, PyObject **short_text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t h = n < self->scan ? n : self->scan;
    copy_chars(text, h, work->head, 0);
    Py_ssize_t len = lower_head(self, text, h, work);
    if (len < 0) {
        return -1;
    }
    Counts k = {0};
    count_head(self, work->head, h, &k);
    count_whole(self, text, work->head, h, &k);
    Py_ssize_t n_words, word_chars, all_words;
    count_words(work->lowered, len, &n_words, &word_chars);
    all_words = n > self->scan ? count_all_words(self, text) : n_words;
    if (all_words < 0) {
        return -1;
    }
    double per_word = (double)(n_words > 1 ? n_words : 1); /* max(n_words, 1) */
    double per_char = (double)(h > 1 ? h : 1);
    row[0] = log1p((double)n);
    row[1] = log1p((double)all_words);
    row[2] = (double)k.punct / per_word;
    row[3] = log1p((double)k.sentences);
    row[4] = k.ends_sentence ? 1.0 : 0.0;
    row[5] = n_words ? (double)word_chars / (double)n_words : 0.0;
    row[6] = (double)k.capitals / per_word;
    row[7] = (double)k.digits / per_char;
    row[8] = row[9] = row[10] = row[11] = row[12] = 0.0; /* the patterns, in Python */
    row[13] = log1p((double)k.newlines);
    row[14] = k.starts_bullet ? 1.0 : 0.0;
    row[15] = (double)k.code / per_char;
    row[16] = (double)k.newline_space / (double)(k.head_newlines > 1 ? k.head_newlines : 1);
    row[17] = 0.0; /* len(title_words & words) / len(title_words) */
    if (n < self->title_below && work->title.n > 0) {
        row[17] = (double)title_hits(work, work->lowered, len) / (double)work->title.n;
    }
    Py_ssize_t m = fold_short(self, work->lowered, len, work->folded);
    int gates = gates_of(self, n, &k, work->head, h, work->lowered, len, work->folded, m);
    if (gates) {
        *short_text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, work->folded, m);
        if (*short_text == NULL) {
            return -1;
        }
    }
    return gates;
}

/* --- Scanner.rows(texts, out, title_words) ----------------------------------- */

/* ``out``, a writable C-contiguous float64 buffer of ``n`` rows, or -1. */
static int
get_rows(PyObject *obj, Py_buffer *out, Py_ssize_t n)
{
    if (PyObject_GetBuffer(obj, out, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        return -1;
    }
    const char *format = out->format ? out->format : "B";
    format += format[0] == '@' || format[0] == '=';
    if (out->itemsize != sizeof(double) || strcmp(format, "d") != 0
        || out->len != n * WIDTH * (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_ValueError, "out must be %zd float64s (%zd rows of %d)", n * WIDTH, n,
                     WIDTH);
        PyBuffer_Release(out);
        return -1;
    }
    return 0;
}

/* [(index, gates, short)] of the gated texts, or NULL. */
static PyObject *
scan_all(const Scanner *self, PyObject *texts, double *out, Work *work)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(texts);
    PyObject *gated = PyList_New(0);
    for (Py_ssize_t i = 0; gated != NULL && i < n; i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "texts[%zd] is not a str", i);
            Py_CLEAR(gated);
            break;
        }
        PyObject *short_text = NULL;
        int gates = scan_text(self, text, out + i * WIDTH, work, &short_text);
        if (gates > 0) {
            PyObject *item = Py_BuildValue("(niO)", i, gates, short_text);
            if (item == NULL || PyList_Append(gated, item) < 0) {
                gates = -1;
            }
            Py_XDECREF(item);
        }
        Py_XDECREF(short_text);
        if (gates < 0) {
            Py_CLEAR(gated);
        }
    }
    return gated;
}

static PyObject *
Scanner_rows(Scanner *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!self->built) {
        PyErr_SetString(PyExc_ValueError, "the Scanner was not built");
        return NULL;
    }
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "rows(texts, out, title_words)");
        return NULL;
    }
    PyObject *texts = PySequence_Fast(args[0], "texts must be a sequence of str");
    if (texts == NULL) {
        return NULL;
    }
    Py_buffer out;
    if (get_rows(args[1], &out, PySequence_Fast_GET_SIZE(texts)) < 0) {
        Py_DECREF(texts);
        return NULL;
    }
    PyObject *gated = NULL;
    Work work = {0};
    work.head = PyMem_New(Py_UCS4, self->scan);
    work.lowered = PyMem_New(Py_UCS4, self->scan);
    work.lowered_size = self->scan;
    work.folded = PyMem_New(Py_UCS4, self->short_chars);
    if (work.head == NULL || work.lowered == NULL || work.folded == NULL) {
        PyErr_NoMemory();
    }
    else if (make_needles(&work.title, args[2], "title_words") == 0) {
        work.hit = PyMem_Calloc(work.title.n ? work.title.n : 1, 1);
        if (work.hit == NULL) {
            PyErr_NoMemory();
        }
        else {
            gated = scan_all(self, texts, out.buf, &work);
        }
    }
    free_needles(&work.title);
    PyMem_Free(work.hit);
    PyMem_Free(work.head);
    PyMem_Free(work.lowered);
    PyMem_Free(work.folded);
    PyBuffer_Release(&out);
    Py_DECREF(texts);
    return gated;
}

static PyMethodDef Scanner_methods[] = {
    {"rows", (PyCFunction)(void (*)(void))Scanner_rows, METH_FASTCALL,
     "rows(texts, out, title_words): fill out with one row per text; "
     "return [(index, gates, short)] of the texts a pattern must read."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "winnow._textstats.Scanner",
    .tp_doc = PyDoc_STR("The text statistics of winnow.stages.features, counted in C."),
    .tp_basicsize = sizeof(Scanner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scanner_init,
    .tp_dealloc = (destructor)Scanner_dealloc,
    .tp_methods = Scanner_methods,
};

/* --- word hashes for the lexicon ----------------------------------------------------- */

#define HASH_BASE 1000003ULL /* textmode.words._BASE */
#define HASH_MAX_POS 63      /* textmode.words._MAX_POS */

/* HASH_BASE**k modulo 2**64 for k up to HASH_MAX_POS: a character's weight in
 * its word's hash by its position. */
static void
hash_powers(uint64_t powers[HASH_MAX_POS + 1])
{
    powers[0] = 1;
    for (int k = 1; k <= HASH_MAX_POS; k++) {
        powers[k] = powers[k - 1] * HASH_BASE;
    }
}

static void
release_buffers(Py_buffer *views, int n)
{
    for (int k = 0; k < n; k++) {
        PyBuffer_Release(&views[k]);
    }
}

/* A tuple of ``items``, new references of which any may be NULL (a failed
 * build): the tuple takes them; on a NULL item or a failed tuple they are
 * released and NULL is returned. */
static PyObject *
tuple_of(PyObject **items, int n)
{
    int built = 1;
    for (int k = 0; k < n; k++) {
        built = built && items[k] != NULL;
    }
    PyObject *result = built ? PyTuple_New(n) : NULL;
    for (int k = 0; k < n; k++) {
        if (result != NULL) {
            PyTuple_SET_ITEM(result, k, items[k]);
        }
        else {
            Py_XDECREF(items[k]);
        }
    }
    return result;
}

/* The C-contiguous buffers of ``objects`` into ``views``; on a failure the ones
 * already taken are released and -1 is returned. */
static int
get_buffers(PyObject *const *objects, Py_buffer *views, int n)
{
    for (int k = 0; k < n; k++) {
        if (PyObject_GetBuffer(objects[k], &views[k], PyBUF_C_CONTIGUOUS) < 0) {
            release_buffers(views, k);
            return -1;
        }
    }
    return 0;
}

/* word_hashes(lower, starts, table, word_bit) -> (owner, hashes): what
 * textmode.words.hashes_of and a searchsorted over ``starts`` give in numpy,
 * in one pass. ``lower`` is the page's block texts joined and lower-cased,
 * ``starts`` (int64) the offset of each text in it, ``table`` (uint16, 65536)
 * the class bits of each BMP code point (astral ones read as U+FFFF's); a word
 * is a run of code points with ``word_bit``. Each word's hash is the sum over
 * its characters of (code point + 1) * BASE**min(position, MAX_POS), modulo
 * 2**64; its owner is the last text starting at or before its first
 * character. Returns two bytes objects: int64 owners and uint64 hashes. */
static PyObject *
word_hashes(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    unsigned long word_bit;
    if (nargs != 4 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "word_hashes(lower: str, starts, table, word_bit: int)");
        return NULL;
    }
    word_bit = PyLong_AsUnsignedLong(args[3]);
    if (word_bit == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer views[2];
    if (get_buffers(args + 1, views, 2) < 0) {
        return NULL;
    }
    Py_buffer starts = views[0], table = views[1];
    PyObject *result = NULL;
    int64_t *owner = NULL;
    uint64_t *hashes = NULL;
    if (starts.len % 8 != 0 || table.len != 0x10000 * 2) {
        PyErr_SetString(PyExc_ValueError, "starts must be int64 and table 65536 uint16");
        goto done;
    }
    const int64_t *start = starts.buf;
    const uint16_t *classes = table.buf;
    Py_ssize_t n_texts = starts.len / 8;
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    int kind = PyUnicode_KIND(args[0]);
    const void *data = PyUnicode_DATA(args[0]);
    uint64_t powers[HASH_MAX_POS + 1];
    hash_powers(powers);
    Py_ssize_t capacity = length / 2 + 1; /* words are separated by at least one character */
    owner = PyMem_Malloc(capacity * sizeof(int64_t));
    hashes = PyMem_Malloc(capacity * sizeof(uint64_t));
    if (owner == NULL || hashes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t words = 0, text = -1, pos = 0;
    uint64_t hash = 0;
    for (Py_ssize_t i = 0; i <= length; i++) {
        Py_UCS4 c = i < length ? PyUnicode_READ(kind, data, i) : 0;
        int in_word = i < length && (classes[c < 0xFFFF ? c : 0xFFFF] & word_bit);
        if (in_word) {
            if (pos == 0) {
                while (text + 1 < n_texts && start[text + 1] <= i) {
                    text++;
                }
                owner[words] = text;
            }
            hash += ((uint64_t)c + 1) * powers[pos < HASH_MAX_POS ? pos : HASH_MAX_POS];
            pos++;
        }
        else if (pos) {
            hashes[words++] = hash;
            hash = 0;
            pos = 0;
        }
    }
    PyObject *items[2] = {
        PyBytes_FromStringAndSize((const char *)owner, words * sizeof(int64_t)),
        PyBytes_FromStringAndSize((const char *)hashes, words * sizeof(uint64_t)),
    };
    result = tuple_of(items, 2);
done:
    PyMem_Free(owner);
    PyMem_Free(hashes);
    release_buffers(views, 2);
    return result;
}

/* dump_scan(text, lower, starts, table, masks, copyright) -> (sums, start,
 * length, digits, hashes, owner): what textmode.features._shape_flags,
 * textmode.words.find's runs and TextPage.owner give in numpy, in one pass
 * over a dump (owner: the line each word starts on).
 *
 * ``text`` is the dump's lines joined, ``lower`` the same lower-cased one code
 * point for one (same length), ``starts`` (int64) each line's offset,
 * ``table`` (uint16, 65536) the class bits of each BMP code point (astral ones
 * read as U+FFFF's), ``masks`` (uint16) the bits of the classes DUMP_MASKS
 * names, in that order, and ``copyright`` the code point counted as a credit.
 *
 * ``sums`` is int32, DUMP_FLAGS rows of one column per line: each flag summed
 * over the characters from the line's start to the next line's (numpy's
 * add.reduceat: a line whose start is not below the next one's gets the
 * flags of its first character alone). A word is a run of characters of the
 * word class (read on ``text``); its hash is words._hash of its ``lower``
 * characters, and ``digits`` says whether all of them are decimal digits. */
enum {
    M_WORD, M_UPPER, M_LOWER, M_DIGIT, M_TERM, M_PUNCT, M_SYMBOL, M_TAB, M_BRACE,
    M_CURRENCY, M_CODE, M_SPACE, DUMP_MASKS
};
#define DUMP_FLAGS 15

static inline uint16_t
class_of(const uint16_t *classes, Py_UCS4 c)
{
    return classes[c < 0xFFFF ? c : 0xFFFF];
}

/* Add the DUMP_FLAGS flags of a character (features._shape_flags' rows) to
 * a line's counts. */
static inline void
count_flags(int counts[DUMP_FLAGS], const uint16_t *m, uint16_t prev, uint16_t here,
            uint16_t next, Py_UCS4 c, Py_UCS4 copyright)
{
    int word = (here & m[M_WORD]) != 0;
    int word_start = word && !(prev & m[M_WORD]);
    int upper = (here & m[M_UPPER]) != 0;
    int lower = (here & m[M_LOWER]) != 0;
    counts[0] += word_start;
    counts[1] += word;
    counts[2] += word_start && upper;
    counts[3] += upper;
    counts[4] += upper || lower;
    counts[5] += (here & m[M_DIGIT]) != 0;
    counts[6] += (here & m[M_TERM]) != 0 && !(next & m[M_WORD]);
    counts[7] += (here & m[M_PUNCT]) != 0;
    counts[8] += (here & m[M_SYMBOL]) != 0;
    counts[9] += lower && (next & m[M_UPPER]) != 0;
    counts[10] += (here & m[M_TAB]) != 0;
    counts[11] += (here & m[M_BRACE]) != 0;
    counts[12] += c == copyright;
    counts[13] += (here & m[M_CURRENCY]) != 0;
    counts[14] += (here & m[M_CODE]) != 0;
}

static PyObject *
dump_scan(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError,
                        "dump_scan(text: str, lower: str, starts, table, masks, copyright: int)");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[0]);
    if (PyUnicode_GET_LENGTH(args[1]) != length) {
        PyErr_SetString(PyExc_ValueError, "text and lower must have the same length");
        return NULL;
    }
    unsigned long copyright = PyLong_AsUnsignedLong(args[5]);
    if (copyright == (unsigned long)-1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer views[3];
    if (get_buffers(args + 2, views, 3) < 0) {
        return NULL;
    }
    Py_buffer starts = views[0], table = views[1], masks = views[2];
    PyObject *result = NULL;
    int32_t *sums = NULL;
    int64_t *word_start = NULL, *word_length = NULL, *word_owner = NULL;
    unsigned char *digits = NULL;
    uint64_t *hashes = NULL;
    Py_ssize_t n_lines = starts.len / 8;
    if (starts.len % 8 != 0 || n_lines == 0 || table.len != 0x10000 * 2 ||
        masks.len != DUMP_MASKS * 2) {
        PyErr_SetString(PyExc_ValueError,
                        "starts must be int64 (one or more), table 65536 uint16, masks "
                        "DUMP_MASKS uint16");
        goto done;
    }
    const int64_t *start = starts.buf;
    const uint16_t *classes = table.buf;
    const uint16_t *m = masks.buf;
    for (Py_ssize_t k = 0; k < n_lines; k++) {
        if (start[k] < 0 || start[k] >= length || (k && start[k] < start[k - 1])) {
            PyErr_SetString(PyExc_ValueError, "starts must be sorted offsets into text");
            goto done;
        }
    }
    int kind = PyUnicode_KIND(args[0]), lower_kind = PyUnicode_KIND(args[1]);
    const void *data = PyUnicode_DATA(args[0]), *lower_data = PyUnicode_DATA(args[1]);
    uint64_t powers[HASH_MAX_POS + 1];
    hash_powers(powers);
    Py_ssize_t capacity = length / 2 + 1; /* words are separated by at least one character */
    sums = PyMem_Calloc(DUMP_FLAGS * n_lines, sizeof(int32_t));
    word_start = PyMem_Malloc(capacity * sizeof(int64_t));
    word_length = PyMem_Malloc(capacity * sizeof(int64_t));
    word_owner = PyMem_Malloc(capacity * sizeof(int64_t));
    digits = PyMem_Malloc(capacity);
    hashes = PyMem_Malloc(capacity * sizeof(uint64_t));
    if (!sums || !word_start || !word_length || !word_owner || !digits || !hashes) {
        PyErr_NoMemory();
        goto done;
    }
    int counts[DUMP_FLAGS] = {0};
    Py_ssize_t line = 0, words = 0, pos = 0;
    int all_digits = 1;
    uint64_t hash = 0;
    uint16_t prev = 0;
    uint16_t here = class_of(classes, PyUnicode_READ(kind, data, 0));
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        uint16_t next =
            i + 1 < length ? class_of(classes, PyUnicode_READ(kind, data, i + 1)) : m[M_SPACE];
        if (line + 1 < n_lines && start[line + 1] <= i) {
            for (int f = 0; f < DUMP_FLAGS; f++) { /* the line's counts are complete */
                sums[f * n_lines + line] = counts[f];
                counts[f] = 0;
            }
            while (line + 1 < n_lines && start[line + 1] <= i) {
                line++;
            }
        }
        count_flags(counts, m, prev, here, next, c, (Py_UCS4)copyright);
        if (here & m[M_WORD]) {
            if (pos == 0) {
                word_start[words] = i;
                word_owner[words] = line;
                all_digits = 1;
            }
            Py_UCS4 lc = PyUnicode_READ(lower_kind, lower_data, i);
            hash += ((uint64_t)lc + 1) * powers[pos < HASH_MAX_POS ? pos : HASH_MAX_POS];
            all_digits &= (here & m[M_DIGIT]) != 0;
            pos++;
        }
        if (pos && !(next & m[M_WORD])) { /* the word ends here (past the end, a space) */
            hashes[words] = hash;
            word_length[words] = pos;
            digits[words] = (unsigned char)all_digits;
            words++;
            hash = 0;
            pos = 0;
        }
        prev = here;
        here = next;
    }
    for (int f = 0; f < DUMP_FLAGS; f++) {
        sums[f * n_lines + line] = counts[f];
    }
    /* numpy's reduceat: a line that does not start below the next one sums
     * its first character alone. */
    for (Py_ssize_t k = 0; k + 1 < n_lines; k++) {
        if (start[k] >= start[k + 1]) {
            Py_ssize_t i = start[k];
            uint16_t before = i ? class_of(classes, PyUnicode_READ(kind, data, i - 1)) : 0;
            uint16_t after =
                i + 1 < length ? class_of(classes, PyUnicode_READ(kind, data, i + 1)) : m[M_SPACE];
            int first[DUMP_FLAGS] = {0};
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            count_flags(first, m, before, class_of(classes, c), after, c, (Py_UCS4)copyright);
            for (int f = 0; f < DUMP_FLAGS; f++) {
                sums[f * n_lines + k] = first[f];
            }
        }
    }
    PyObject *items[6] = {
        PyBytes_FromStringAndSize((const char *)sums, DUMP_FLAGS * n_lines * sizeof(int32_t)),
        PyBytes_FromStringAndSize((const char *)word_start, words * sizeof(int64_t)),
        PyBytes_FromStringAndSize((const char *)word_length, words * sizeof(int64_t)),
        PyBytes_FromStringAndSize((const char *)digits, words),
        PyBytes_FromStringAndSize((const char *)hashes, words * sizeof(uint64_t)),
        PyBytes_FromStringAndSize((const char *)word_owner, words * sizeof(int64_t)),
    };
    result = tuple_of(items, 6);
done:
    PyMem_Free(sums);
    PyMem_Free(word_start);
    PyMem_Free(word_length);
    PyMem_Free(word_owner);
    PyMem_Free(digits);
    PyMem_Free(hashes);
    release_buffers(views, 3);
    return result;
}

/* word_table(hashes, singles_key, singles_value, singles_mix, singles_shift,
 * pairs_key, pairs_value, pairs_mix, pairs_shift, pair_mult) -> (bits, pair_bits,
 * freq): what textmode.words.looked_up gives in numpy for a dump's word hashes
 * (uint64): each word's vocabulary bits (int32) from a collision-free table
 * (a key's slot is (key * mix) >> shift; its value where the slot holds that
 * key, else 0), the bits of the pair it starts (int64: the pair's hash is
 * hash * pair_mult + next hash; 0 for the last word), and how often its hash
 * occurs among the dump's words (float64). */
/* Whether a table's buffers are uint64 keys and as many int32 values (one or more). */
static int
table_shape_ok(const Py_buffer *key, const Py_buffer *value)
{
    Py_ssize_t slots = key->len / 8;
    return key->len % 8 == 0 && value->len == slots * 4 && slots > 0;
}

static inline int32_t
table_value(const Py_buffer *key, const Py_buffer *value, uint64_t mix, uint64_t shift,
            uint64_t h)
{
    uint64_t slot = (h * mix) >> shift;
    if (slot >= (uint64_t)(key->len / 8)) {
        return 0; /* a shift too small for the table: nothing is there */
    }
    return ((const uint64_t *)key->buf)[slot] == h ? ((const int32_t *)value->buf)[slot] : 0;
}

static PyObject *
word_table(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10) {
        PyErr_SetString(PyExc_TypeError,
                        "word_table(hashes, singles_key, singles_value, singles_mix, "
                        "singles_shift, pairs_key, pairs_value, pairs_mix, pairs_shift, pair_mult)");
        return NULL;
    }
    uint64_t numbers[5];
    const int number_at[5] = {3, 4, 7, 8, 9};
    for (int k = 0; k < 5; k++) {
        numbers[k] = PyLong_AsUnsignedLongLong(args[number_at[k]]);
        if (numbers[k] == (unsigned long long)-1 && PyErr_Occurred()) {
            return NULL;
        }
    }
    uint64_t s_mix = numbers[0], s_shift = numbers[1], p_mix = numbers[2], p_shift = numbers[3];
    uint64_t pair_mult = numbers[4];
    if (s_shift > 63 || p_shift > 63) {
        PyErr_SetString(PyExc_ValueError, "a shift is below 64");
        return NULL;
    }
    PyObject *objects[5] = {args[0], args[1], args[2], args[5], args[6]};
    Py_buffer views[5];
    if (get_buffers(objects, views, 5) < 0) {
        return NULL;
    }
    Py_buffer hashes_view = views[0], s_key = views[1], s_value = views[2];
    Py_buffer p_key = views[3], p_value = views[4];
    PyObject *result = NULL;
    int32_t *bits = NULL;
    int64_t *pair_bits = NULL;
    double *freq = NULL;
    uint64_t *seen_key = NULL;
    int64_t *seen_count = NULL;
    unsigned char *seen_used = NULL;
    Py_ssize_t *where = NULL; /* each word's slot in the count table */
    if (!table_shape_ok(&s_key, &s_value) || !table_shape_ok(&p_key, &p_value)) {
        PyErr_SetString(PyExc_ValueError, "a table is uint64 keys and as many int32 values");
        goto done;
    }
    if (hashes_view.len % 8 != 0) {
        PyErr_SetString(PyExc_ValueError, "hashes must be uint64");
        goto done;
    }
    Py_ssize_t n = hashes_view.len / 8;
    const uint64_t *hashes = hashes_view.buf;
    Py_ssize_t capacity = 16;
    while (capacity < 2 * n) {
        capacity *= 2;
    }
    bits = PyMem_Malloc((n ? n : 1) * sizeof(int32_t));
    pair_bits = PyMem_Malloc((n ? n : 1) * sizeof(int64_t));
    freq = PyMem_Malloc((n ? n : 1) * sizeof(double));
    seen_key = PyMem_Malloc(capacity * sizeof(uint64_t));
    seen_count = PyMem_Malloc(capacity * sizeof(int64_t));
    seen_used = PyMem_Calloc(capacity, 1);
    where = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));
    if (!bits || !pair_bits || !freq || !seen_key || !seen_count || !seen_used || !where) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t h = hashes[i];
        bits[i] = table_value(&s_key, &s_value, s_mix, s_shift, h);
        pair_bits[i] = i + 1 < n ? table_value(&p_key, &p_value, p_mix, p_shift,
                                               h * pair_mult + hashes[i + 1])
                                 : 0;
        Py_ssize_t slot = (Py_ssize_t)((h * 0x9E3779B97F4A7C15ULL) >> 32) & (capacity - 1);
        while (seen_used[slot] && seen_key[slot] != h) {
            slot = (slot + 1) & (capacity - 1);
        }
        if (!seen_used[slot]) {
            seen_used[slot] = 1;
            seen_key[slot] = h;
            seen_count[slot] = 0;
        }
        seen_count[slot]++;
        where[i] = slot;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        freq[i] = (double)seen_count[where[i]];
    }
    PyObject *items[3] = {
        PyBytes_FromStringAndSize((const char *)bits, n * sizeof(int32_t)),
        PyBytes_FromStringAndSize((const char *)pair_bits, n * sizeof(int64_t)),
        PyBytes_FromStringAndSize((const char *)freq, n * sizeof(double)),
    };
    result = tuple_of(items, 3);
done:
    PyMem_Free(bits);
    PyMem_Free(pair_bits);
    PyMem_Free(freq);
    PyMem_Free(where);
    PyMem_Free(seen_key);
    PyMem_Free(seen_count);
    PyMem_Free(seen_used);
    release_buffers(views, 5);
    return result;
}

/* group_keys(hashes, group, groups, powers) -> keys: what textmode.words.group_keys
 * gives in numpy. ``group`` (int64, non-decreasing, each below ``groups``) is
 * each word's line or paragraph; a group's key is the sum over its words of
 * hash * powers[min(position in the group, len(powers) - 1)], modulo 2**64
 * (uint64), 0 for a group without words. */
static PyObject *
group_keys(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "group_keys(hashes, group, groups: int, powers)");
        return NULL;
    }
    Py_ssize_t groups = PyLong_AsSsize_t(args[2]);
    if (groups == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (groups < 0) {
        PyErr_SetString(PyExc_ValueError, "groups must not be negative");
        return NULL;
    }
    PyObject *objects[3] = {args[0], args[1], args[3]};
    Py_buffer views[3];
    if (get_buffers(objects, views, 3) < 0) {
        return NULL;
    }
    Py_buffer hashes_view = views[0], group_view = views[1], powers_view = views[2];
    PyObject *result = NULL;
    uint64_t *keys = NULL;
    Py_ssize_t n = hashes_view.len / 8, n_powers = powers_view.len / 8;
    if (hashes_view.len % 8 != 0 || group_view.len != hashes_view.len || powers_view.len % 8 != 0 ||
        n_powers == 0) {
        PyErr_SetString(PyExc_ValueError,
                        "hashes uint64, group int64 of the same length, powers uint64 (one or more)");
        goto done;
    }
    const uint64_t *hashes = hashes_view.buf, *powers = powers_view.buf;
    const int64_t *group = group_view.buf;
    keys = PyMem_Calloc(groups ? groups : 1, sizeof(uint64_t));
    if (keys == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t position = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t g = group[i];
        if (g < 0 || g >= groups || (i && g < group[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "group must be non-decreasing and below groups");
            goto done;
        }
        position = i && g == group[i - 1] ? position + 1 : 0;
        keys[g] += hashes[i] * powers[position < n_powers ? position : n_powers - 1];
    }
    result = PyBytes_FromStringAndSize((const char *)keys, groups * sizeof(uint64_t));
done:
    PyMem_Free(keys);
    release_buffers(views, 3);
    return result;
}

static PyMethodDef textstats_functions[] = {
    {"word_hashes", (PyCFunction)(void (*)(void))word_hashes, METH_FASTCALL,
     PyDoc_STR("word_hashes(lower, starts, table, word_bit) -> (owner bytes, hash bytes)")},
    {"group_keys", (PyCFunction)(void (*)(void))group_keys, METH_FASTCALL,
     PyDoc_STR("group_keys(hashes, group, groups, powers) -> keys bytes")},
    {"word_table", (PyCFunction)(void (*)(void))word_table, METH_FASTCALL,
     PyDoc_STR("word_table(hashes, singles_key, singles_value, singles_mix, singles_shift, "
               "pairs_key, pairs_value, pairs_mix, pairs_shift, pair_mult) -> "
               "(bits, pair_bits, freq) bytes")},
    {"dump_scan", (PyCFunction)(void (*)(void))dump_scan, METH_FASTCALL,
     PyDoc_STR("dump_scan(text, lower, starts, table, masks, copyright) -> (sums, start, "
               "length, digits, hashes, owner) bytes")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef textstats_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "winnow._textstats",
    .m_doc = "The per-block text statistics of winnow.stages.features, compiled.",
    .m_size = -1,
    .m_methods = textstats_functions,
};

PyMODINIT_FUNC
PyInit__textstats(void)
{
    if (PyType_Ready(&ScannerType) < 0) {
        return NULL;
    }
    fill_latin1();
    PyObject *module = PyModule_Create(&textstats_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddIntConstant(module, "WIDTH", WIDTH) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(module, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
