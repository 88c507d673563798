/* A small backtracking matcher for patterns.CLASS_PATTERN, with Python's
 * semantics for str patterns; winnow.stages.class_match builds its program
 * from the pattern's parse tree and checks it against re at load.
 *
 * A program is a tree of nodes in one array, each node referring only to
 * nodes after it (so it has no cycle): TEST one character against a class,
 * AT an assertion (^ $ \A \Z \b \B), BRANCH alternatives in order, REPEAT
 * a body (a single TEST, or a sequence that cannot match empty), ASSERT a
 * lookahead or fixed-width lookbehind. Matching follows re's backtracking
 * order exactly: alternatives first to last, greedy repeats longest first,
 * lazy ones shortest first, the first success wins. The top level is the
 * pattern's alternatives, each with the category bit of its named group.
 *
 * Character tests are re's for str patterns: \d Py_UNICODE_ISDECIMAL, \s
 * Py_UNICODE_ISSPACE, \w Py_UNICODE_ISALNUM or "_"; "$" also matches before
 * a newline that ends the string. cm_finditer_bits is finditer's loop:
 * search from where the last match ended; after an empty match, the next
 * match must not be empty where that one was.
 *
 * Speed comes from knowing which characters each alternative can start
 * with: an alternative that cannot start with the character at hand is not
 * tried, which cannot change which alternative wins. At the top level the
 * candidates are listed per character ahead of time.
 */
#ifndef WINNOW_CLASSMATCH_H
#define WINNOW_CLASSMATCH_H

#include <Python.h>
#include <stdint.h>

enum { CM_TEST, CM_AT, CM_BRANCH, CM_REPEAT, CM_ASSERT, CM_N_KINDS };
enum { CM_AT_BEGINNING, CM_AT_BEGINNING_STRING, CM_AT_END, CM_AT_END_STRING,
       CM_AT_BOUNDARY, CM_AT_NON_BOUNDARY, CM_N_AT };
enum { CM_RANGE, CM_CATEGORY };
enum { CM_DIGIT, CM_NOT_DIGIT, CM_SPACE, CM_NOT_SPACE, CM_WORD, CM_NOT_WORD,
       CM_N_CATEGORIES };
#define CM_UNBOUNDED (-1)
/* Nested calls of cm_run before the matcher gives up on a string (the
 * caller then asks re): repeats of groups nest one call per iteration. */
#define CM_MAX_DEPTH 400
/* The keys of the top-level filter: an ASCII character, any other
 * character, the end of the string. */
#define CM_OTHER 128
#define CM_END 129
#define CM_KEYS 130
/* How many characters from a position the top-level filter looks at. */
#define CM_LOOK 4

typedef struct {
    int kind;
    Py_UCS4 low, high; /* CM_CATEGORY: low is the category */
} CmItem;

typedef struct {
    uint64_t ascii[2]; /* the answer for each ASCII character */
    int negated;
    Py_ssize_t first, count; /* items, for the other characters */
} CmClass;

/* What a sequence can start with: a superset is fine, a subset is not. */
typedef struct {
    uint64_t ascii[2];
    char other; /* a character past ASCII */
    char empty; /* nothing: it may match the empty string */
} CmFirst;

typedef struct {
    int kind;
    Py_ssize_t next; /* -1: the sequence ends */
    /* TEST: class. AT: assertion. BRANCH: first alternative, count.
     * REPEAT: body, min, max, greedy. ASSERT: body, negative, -1 or width behind. */
    Py_ssize_t a, b, c, d;
    Py_ssize_t single; /* REPEAT of one TEST: its class; else -1 */
} CmNode;

typedef struct {
    Py_ssize_t start;
    CmFirst first;
    uint64_t bit;
} CmAlt;

typedef struct {
    CmNode *nodes;
    Py_ssize_t n_nodes;
    CmClass *classes;
    Py_ssize_t n_classes;
    CmItem *items;
    Py_ssize_t n_items;
    CmAlt *alts; /* of the BRANCH nodes */
    Py_ssize_t n_alts;
    CmAlt *top;
    Py_ssize_t n_top;
    /* filter[((start * CM_LOOK + k) * CM_KEYS + key) * words + w]: a bit per
     * top alternative that can match at the string's start (start 1) or
     * elsewhere (0) when the character k places on has that key. */
    uint64_t *filter;
    Py_ssize_t words;
} CmProgram;

/* --- characters ------------------------------------------------------------------------ */

static int
cm_is_word(Py_UCS4 c)
{
    return Py_UNICODE_ISALNUM(c) || c == '_';
}

static int
cm_category(int category, Py_UCS4 c)
{
    switch (category) {
    case CM_DIGIT: return Py_UNICODE_ISDECIMAL(c);
    case CM_NOT_DIGIT: return !Py_UNICODE_ISDECIMAL(c);
    case CM_SPACE: return Py_UNICODE_ISSPACE(c);
    case CM_NOT_SPACE: return !Py_UNICODE_ISSPACE(c);
    case CM_WORD: return cm_is_word(c);
    default: return !cm_is_word(c);
    }
}

/* Whether the class holds c, from its items (re's IN: any item, then negation). */
static int
cm_class_items(const CmProgram *p, const CmClass *cls, Py_UCS4 c)
{
    int hit = 0;
    for (Py_ssize_t i = cls->first; i < cls->first + cls->count && !hit; i++) {
        const CmItem *item = &p->items[i];
        hit = item->kind == CM_RANGE ? item->low <= c && c <= item->high
                                     : cm_category((int)item->low, c);
    }
    return hit != cls->negated;
}

static inline int
cm_class_has(const CmProgram *p, const CmClass *cls, Py_UCS4 c)
{
    if (c < 128) {
        return (int)((cls->ascii[c >> 6] >> (c & 63)) & 1);
    }
    return cm_class_items(p, cls, c);
}

/* Whether the class can hold a character past ASCII (a superset again). */
static int
cm_class_other(const CmProgram *p, const CmClass *cls)
{
    if (cls->negated) {
        return 1;
    }
    for (Py_ssize_t i = cls->first; i < cls->first + cls->count; i++) {
        if (p->items[i].kind == CM_CATEGORY || p->items[i].high >= 128) {
            return 1;
        }
    }
    return 0;
}

static inline int
cm_may_start(const CmFirst *first, const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t pos)
{
    if (first->empty) {
        return 1;
    }
    if (pos >= n) {
        return 0;
    }
    Py_UCS4 c = s[pos];
    return c < 128 ? (int)((first->ascii[c >> 6] >> (c & 63)) & 1) : first->other;
}

/* --- matching ---------------------------------------------------------------------------- */

/* What is left to match once a sequence ends: the rest of an enclosing
 * sequence, another iteration of a repeat, or the end of an assertion's
 * body. NULL: the whole pattern has matched. */
enum { CM_K_SEQUENCE, CM_K_REPEAT, CM_K_ACCEPT };
typedef struct CmCont {
    int kind;
    Py_ssize_t node;  /* SEQUENCE: where it goes on; REPEAT: the repeat */
    Py_ssize_t count; /* REPEAT: iterations done; ACCEPT: the end required, or -1 */
    const struct CmCont *up;
} CmCont;

typedef struct {
    const CmProgram *p;
    const Py_UCS4 *s;
    Py_ssize_t n;
    Py_ssize_t start, end; /* of the match being tried; where it ended */
    int must_advance;      /* an empty match at start does not count */
    int depth;
    int gave_up;
} CmRun;

static int cm_run(CmRun *r, Py_ssize_t node, Py_ssize_t pos, const CmCont *k);

static int
cm_at(const CmRun *r, Py_ssize_t kind, Py_ssize_t pos)
{
    const Py_UCS4 *s = r->s;
    Py_ssize_t n = r->n;
    switch (kind) {
    case CM_AT_BEGINNING:
    case CM_AT_BEGINNING_STRING:
        return pos == 0;
    case CM_AT_END:
        return pos == n || (pos == n - 1 && s[pos] == '\n');
    case CM_AT_END_STRING:
        return pos == n;
    default: {
        if (n == 0) {
            return 0; /* re: neither \b nor \B matches in an empty string */
        }
        int before = pos > 0 && cm_is_word(s[pos - 1]);
        int after = pos < n && cm_is_word(s[pos]);
        return kind == CM_AT_BOUNDARY ? before != after : before == after;
    }
    }
}

/* A repeat of a sequence, `count` iterations done, at pos. */
static int
cm_repeat(CmRun *r, Py_ssize_t node, Py_ssize_t count, Py_ssize_t pos, const CmCont *k)
{
    const CmNode *x = &r->p->nodes[node];
    CmCont again = {CM_K_REPEAT, node, count + 1, k};
    int more = x->c == CM_UNBOUNDED || count < x->c;
    if (count < x->b) {
        return cm_run(r, x->a, pos, &again);
    }
    if (x->d) { /* greedy: one more first */
        if (more && cm_run(r, x->a, pos, &again)) {
            return 1;
        }
        return !r->gave_up && cm_run(r, x->next, pos, k);
    }
    if (cm_run(r, x->next, pos, k)) {
        return 1;
    }
    return !r->gave_up && more && cm_run(r, x->a, pos, &again);
}

/* A repeat of one character class at pos. */
static int
cm_repeat_one(CmRun *r, const CmNode *x, Py_ssize_t pos, const CmCont *k)
{
    const CmClass *cls = &r->p->classes[x->single];
    Py_ssize_t most = r->n - pos;
    if (x->c != CM_UNBOUNDED && x->c < most) {
        most = x->c;
    }
    Py_ssize_t count = 0;
    if (x->d) {
        while (count < most && cm_class_has(r->p, cls, r->s[pos + count])) {
            count++;
        }
        for (; count >= x->b; count--) {
            if (cm_run(r, x->next, pos + count, k)) {
                return 1;
            }
            if (r->gave_up) {
                return 0;
            }
        }
        return 0;
    }
    while (count < x->b) {
        if (count >= most || !cm_class_has(r->p, cls, r->s[pos + count])) {
            return 0;
        }
        count++;
    }
    for (;;) {
        if (cm_run(r, x->next, pos + count, k)) {
            return 1;
        }
        if (r->gave_up || count >= most || !cm_class_has(r->p, cls, r->s[pos + count])) {
            return 0;
        }
        count++;
    }
}

/* Whether a lookahead or lookbehind holds at pos (re: a lookbehind with no
 * room before pos does not match). */
static int
cm_assert(CmRun *r, const CmNode *x, Py_ssize_t pos)
{
    Py_ssize_t from = x->c < 0 ? pos : pos - x->c;
    CmCont accept = {CM_K_ACCEPT, -1, x->c < 0 ? -1 : pos, NULL};
    int matched = from >= 0 && cm_run(r, x->a, from, &accept);
    return !r->gave_up && matched != (int)x->b;
}

/* Whether the sequence from node, then k, matches at pos; r->end is where. */
static int
cm_run(CmRun *r, Py_ssize_t node, Py_ssize_t pos, const CmCont *k)
{
    const CmProgram *p = r->p;
    if (++r->depth > CM_MAX_DEPTH) {
        r->gave_up = 1;
        r->depth--;
        return 0;
    }
    int matched = 0;
    for (;;) {
        if (node < 0) { /* the sequence ended: what is left after it */
            if (k == NULL) {
                matched = !(r->must_advance && pos == r->start);
                r->end = pos;
                break;
            }
            if (k->kind == CM_K_SEQUENCE) {
                node = k->node;
                k = k->up;
                continue;
            }
            if (k->kind == CM_K_REPEAT) {
                matched = cm_repeat(r, k->node, k->count, pos, k->up);
            }
            else {
                matched = k->count < 0 || pos == k->count;
            }
            break;
        }
        const CmNode *x = &p->nodes[node];
        if (x->kind == CM_TEST) {
            if (pos < r->n && cm_class_has(p, &p->classes[x->a], r->s[pos])) {
                pos++;
                node = x->next;
                continue;
            }
            break;
        }
        if (x->kind == CM_AT) {
            if (!cm_at(r, x->a, pos)) {
                break;
            }
            node = x->next;
            continue;
        }
        if (x->kind == CM_BRANCH) {
            CmCont after = {CM_K_SEQUENCE, x->next, 0, k};
            for (Py_ssize_t i = x->a; i < x->a + x->b && !matched && !r->gave_up; i++) {
                const CmAlt *alt = &p->alts[i];
                matched = cm_may_start(&alt->first, r->s, r->n, pos)
                          && cm_run(r, alt->start, pos, &after);
            }
            break;
        }
        if (x->kind == CM_REPEAT) {
            matched = x->single >= 0 ? cm_repeat_one(r, x, pos, k) : cm_repeat(r, node, 0, pos, k);
            break;
        }
        if (!cm_assert(r, x, pos)) { /* CM_ASSERT */
            break;
        }
        node = x->next;
    }
    r->depth--;
    return matched && !r->gave_up;
}

/* The index of the lowest set bit of a nonzero word. */
static inline int
cm_lowest_bit(uint64_t word)
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(word);
#else
    int i = 0;
    while (!(word & 1)) {
        word >>= 1;
        i++;
    }
    return i;
#endif
}

static inline int
cm_key(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t at)
{
    return at >= n ? CM_END : s[at] < 128 ? (int)s[at] : CM_OTHER;
}

/* The first top alternative that matches at `at`, or NULL. */
static const CmAlt *
cm_match_at(CmRun *r, Py_ssize_t at)
{
    const CmProgram *p = r->p;
    const uint64_t *rows[CM_LOOK];
    Py_ssize_t table = at == 0 ? CM_LOOK : 0;
    for (int k = 0; k < CM_LOOK; k++) {
        Py_ssize_t row = (table + k) * CM_KEYS + cm_key(r->s, r->n, at + k);
        rows[k] = &p->filter[row * p->words];
    }
    for (Py_ssize_t w = 0; w < p->words; w++) {
        uint64_t candidates = rows[0][w];
        for (int k = 1; k < CM_LOOK; k++) {
            candidates &= rows[k][w];
        }
        while (candidates) {
            const CmAlt *alt = &p->top[w * 64 + cm_lowest_bit(candidates)];
            if (cm_run(r, alt->start, at, NULL)) {
                return alt;
            }
            if (r->gave_up) {
                return NULL;
            }
            candidates &= candidates - 1;
        }
    }
    return NULL;
}

/* The bits of the top-level alternatives of every match of finditer over
 * s[0:n]: 0, or -1 if the matcher gave up (too deep for its stack). */
static int
cm_finditer_bits(const CmProgram *p, const Py_UCS4 *s, Py_ssize_t n, uint64_t *bits)
{
    CmRun r = {p, s, n, 0, 0, 0, 0, 0};
    Py_ssize_t pos = 0;
    int must_advance = 0;
    *bits = 0;
    for (;;) {
        const CmAlt *won = NULL;
        Py_ssize_t at = pos;
        for (; at <= n; at++) {
            r.start = at;
            r.must_advance = must_advance && at == pos;
            won = cm_match_at(&r, at);
            if (won != NULL || r.gave_up) {
                break;
            }
        }
        if (r.gave_up) {
            return -1;
        }
        if (won == NULL) {
            return 0;
        }
        *bits |= won->bit;
        must_advance = r.end == at;
        pos = r.end;
    }
}

/* --- building a program ---------------------------------------------------------------- */

static void
cm_first_union(CmFirst *into, const CmFirst *from)
{
    into->ascii[0] |= from->ascii[0];
    into->ascii[1] |= from->ascii[1];
    into->other |= from->other;
}

/* What the sequence from node can start with, given first[] of every later node. */
static CmFirst
cm_first_of(const CmFirst *first, Py_ssize_t node)
{
    CmFirst none = {{0, 0}, 0, 1};
    return node < 0 ? none : first[node];
}

/* first[i] for every node, last to first (a node's parts come after it);
 * each alternative's own first set. -1 with an exception for a repeat whose
 * body can match empty (re has its own rules there). */
static int
cm_first_sets(CmProgram *p, CmFirst *first)
{
    for (Py_ssize_t i = p->n_nodes - 1; i >= 0; i--) {
        const CmNode *x = &p->nodes[i];
        CmFirst f = {{0, 0}, 0, 0};
        CmFirst next = cm_first_of(first, x->next);
        if (x->kind == CM_TEST) {
            const CmClass *cls = &p->classes[x->a];
            f.ascii[0] = cls->ascii[0];
            f.ascii[1] = cls->ascii[1];
            f.other = (char)cm_class_other(p, cls);
        }
        else if (x->kind == CM_AT || x->kind == CM_ASSERT) {
            f = next; /* zero width: what follows */
        }
        else if (x->kind == CM_BRANCH) {
            for (Py_ssize_t a = x->a; a < x->a + x->b; a++) {
                CmAlt *alt = &p->alts[a];
                alt->first = cm_first_of(first, alt->start);
                cm_first_union(&f, &alt->first);
                if (alt->first.empty && !f.empty) {
                    cm_first_union(&f, &next);
                    f.empty = next.empty;
                }
            }
        }
        else { /* CM_REPEAT */
            CmFirst body = cm_first_of(first, x->a);
            if (body.empty) {
                PyErr_SetString(PyExc_ValueError, "a repeat of what can match empty");
                return -1;
            }
            f = body;
            if (x->b == 0) {
                cm_first_union(&f, &next);
                f.empty = next.empty;
            }
        }
        first[i] = f;
    }
    for (Py_ssize_t t = 0; t < p->n_top; t++) {
        p->top[t].first = cm_first_of(first, p->top[t].start);
    }
    return 0;
}

/* What the characters from a position can be if a top alternative matches
 * there: for each of the first CM_LOOK, a set of keys (a superset), found by
 * following every path through the alternative. */
#define CM_LOOK_WORK 10000 /* steps; past them, anything */
typedef struct CmPath {
    Py_ssize_t node;
    const struct CmPath *up;
} CmPath;

typedef struct {
    const CmProgram *p;
    int start; /* the position is the string's start: ^ may hold */
    int work;
    CmFirst at[CM_LOOK]; /* empty: any key, the end included */
} CmLook;

static void
cm_look_anything(CmLook *look, int from)
{
    for (int k = from; k < CM_LOOK; k++) {
        look->at[k].empty = 1;
    }
}

/* The k-th character is read by the sequence from node, then what up holds. */
static void
cm_look(CmLook *look, Py_ssize_t node, int k, const CmPath *up)
{
    const CmProgram *p = look->p;
    while (k < CM_LOOK) {
        if (++look->work > CM_LOOK_WORK) {
            cm_look_anything(look, 0);
            return;
        }
        if (node < 0) {
            if (up == NULL) { /* the match ends here: anything may follow */
                cm_look_anything(look, k);
                return;
            }
            node = up->node;
            up = up->up;
            continue;
        }
        const CmNode *x = &p->nodes[node];
        if (x->kind == CM_TEST) {
            const CmClass *cls = &p->classes[x->a];
            CmFirst test = {{cls->ascii[0], cls->ascii[1]}, (char)cm_class_other(p, cls), 0};
            cm_first_union(&look->at[k], &test);
            k++;
        }
        else if (x->kind == CM_AT) {
            int beginning = x->a == CM_AT_BEGINNING || x->a == CM_AT_BEGINNING_STRING;
            if (beginning && !(look->start && k == 0)) {
                return; /* ^ cannot hold: no match along this path */
            }
        }
        else if (x->kind == CM_BRANCH) {
            CmPath after = {x->next, up};
            for (Py_ssize_t a = x->a; a < x->a + x->b; a++) {
                cm_look(look, p->alts[a].start, k, &after);
            }
            return;
        }
        else if (x->kind == CM_REPEAT) {
            cm_look_anything(look, k); /* not followed further */
            return;
        }
        /* CM_ASSERT: zero width, and what it asserts only narrows further */
        node = x->next;
    }
}

static int
cm_look_has(const CmFirst *set, int key)
{
    if (set->empty) {
        return 1;
    }
    return key < 128 ? (int)((set->ascii[key >> 6] >> (key & 63)) & 1)
                     : key == CM_OTHER && set->other;
}

/* The top-level filter, from cm_look for each top alternative. */
static int
cm_filter(CmProgram *p)
{
    p->words = (p->n_top + 63) / 64;
    size_t size = (size_t)2 * CM_LOOK * CM_KEYS * (size_t)p->words + 1;
    p->filter = PyMem_Calloc(size, sizeof(uint64_t));
    if (p->filter == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (int start = 0; start < 2; start++) {
        for (Py_ssize_t t = 0; t < p->n_top; t++) {
            CmLook look;
            memset(&look, 0, sizeof(look));
            look.p = p;
            look.start = start;
            cm_look(&look, p->top[t].start, 0, NULL);
            for (int k = 0; k < CM_LOOK; k++) {
                Py_ssize_t table = start ? CM_LOOK : 0;
                for (int key = 0; key < CM_KEYS; key++) {
                    if (cm_look_has(&look.at[k], key)) {
                        Py_ssize_t row = (table + k) * CM_KEYS + key;
                        p->filter[row * p->words + t / 64] |= (uint64_t)1 << (t & 63);
                    }
                }
            }
        }
    }
    return 0;
}

/* Each class's answers for ASCII, from its items. */
static void
cm_ascii_tables(CmProgram *p)
{
    for (Py_ssize_t c = 0; c < p->n_classes; c++) {
        CmClass *cls = &p->classes[c];
        cls->ascii[0] = cls->ascii[1] = 0;
        for (Py_UCS4 ch = 0; ch < 128; ch++) {
            if (cm_class_items(p, cls, ch)) {
                cls->ascii[ch >> 6] |= (uint64_t)1 << (ch & 63);
            }
        }
    }
}

static void
cm_free(CmProgram *p)
{
    PyMem_Free(p->nodes);
    PyMem_Free(p->classes);
    PyMem_Free(p->items);
    PyMem_Free(p->alts);
    PyMem_Free(p->top);
    PyMem_Free(p->filter);
    memset(p, 0, sizeof(*p));
}

#endif
