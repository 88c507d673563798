/* py3langid's byte-DFA walk in C (winnow.stages.langid_dfa).
 *
 * It computes exactly what py3langid.langid.visit_counts computes, as a dict:
 * from state 0, each byte moves the automaton to
 * ``nextmove[(row[state] << 8) + byte]``; entering a state whose ``output`` is
 * not -1 counts that feature once. The dict maps each feature to its count,
 * keys in the order of their first visit, as ``Counter(indexes)`` does.
 *
 * Dfa(nextmove, row, output) holds py3langid's own tables: nextmove (256 next
 * states per distinct row, unsigned 16 or 32 bits) is kept as a buffer, not
 * copied (39 MB in py3langid 0.4's model); row and output (one item per state)
 * are copied and checked once. Each step checks the next state against the
 * number of states, so that no byte can lead the walk outside the tables.
 * Long texts are walked in segments at once (``walk_chained``), with the
 * same result.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    Py_buffer nextmove;  /* held while the Dfa lives; .obj is NULL until built */
    int wide;            /* nextmove items are uint32 (else uint16) */
    uint32_t *rowbase;   /* per state: index of its first entry in nextmove */
    int32_t *output;     /* per state: the feature counted on entering it, or -1 */
    uint32_t n_states;
} Dfa;

/* --- buffers ------------------------------------------------------------ */

/* A contiguous 1-D buffer of native unsigned 16- or 32-bit items (format
 * 'H' or 'I', as array.array and numpy give them), or -1 with a TypeError
 * naming ``what``. */
static int
get_unsigned(PyObject *obj, Py_buffer *view, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    const char *format = view->format ? view->format : "B";
    format += format[0] == '@' || format[0] == '='; /* native order, either way */
    int ok = view->ndim == 1
             && ((view->itemsize == 2 && format[0] == 'H')
                 || (view->itemsize == 4 && format[0] == 'I'))
             && format[1] == '\0';
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "%s must be a 1-D array of uint16 or uint32", what);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static uint32_t
item(const Py_buffer *view, Py_ssize_t i)
{
    return view->itemsize == 2 ? ((const uint16_t *)view->buf)[i]
                               : ((const uint32_t *)view->buf)[i];
}

/* --- Dfa(nextmove, row, output) ------------------------------------------ */

/* rowbase and output from py3langid's per-state row and output, every row in
 * nextmove and every output a feature or -1: else ValueError. */
static int
copy_states(Dfa *self, const Py_buffer *row, PyObject *output)
{
    Py_ssize_t n = row->shape[0];
    if (n < 1 || n > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "the automaton needs 1 to 2**31-1 states");
        return -1;
    }
    PyObject *items = PySequence_Fast(output, "output must be a sequence of ints");
    if (items == NULL) {
        return -1;
    }
    if (PySequence_Fast_GET_SIZE(items) != n) {
        PyErr_Format(PyExc_ValueError, "output has %zd states, row has %zd",
                     PySequence_Fast_GET_SIZE(items), n);
        Py_DECREF(items);
        return -1;
    }
    self->rowbase = PyMem_New(uint32_t, n);
    self->output = PyMem_New(int32_t, n);
    if (self->rowbase == NULL || self->output == NULL) {
        Py_DECREF(items);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t rows = self->nextmove.shape[0] / 256;
    for (Py_ssize_t s = 0; s < n; s++) {
        uint32_t r = item(row, s);
        long f = PyLong_AsLong(PySequence_Fast_GET_ITEM(items, s));
        if (f == -1 && PyErr_Occurred()) {
            Py_DECREF(items);
            return -1;
        }
        if (r >= rows || f < -1 || f > INT32_MAX) {
            PyErr_Format(PyExc_ValueError, "state %zd points outside the tables", s);
            Py_DECREF(items);
            return -1;
        }
        self->rowbase[s] = r << 8;
        self->output[s] = (int32_t)f;
    }
    Py_DECREF(items);
    self->n_states = (uint32_t)n;
    return 0;
}

static int
Dfa_init(Dfa *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"nextmove", "row", "output", NULL};
    PyObject *nextmove, *row_obj, *output;
    if (self->nextmove.obj != NULL) {
        PyErr_SetString(PyExc_TypeError, "a Dfa is built once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:Dfa", kwlist, &nextmove, &row_obj,
                                     &output)) {
        return -1;
    }
    Py_buffer row;
    if (get_unsigned(row_obj, &row, "row") < 0) {
        return -1;
    }
    if (get_unsigned(nextmove, &self->nextmove, "nextmove") < 0) {
        PyBuffer_Release(&row);
        return -1;
    }
    self->wide = self->nextmove.itemsize == 4;
    int status = 0;
    if (self->nextmove.shape[0] % 256 != 0 || self->nextmove.shape[0] / 256 > (1 << 24)) {
        PyErr_SetString(PyExc_ValueError,
                        "nextmove must hold up to 2**24 rows of 256 next states");
        status = -1;
    }
    if (status == 0) {
        status = copy_states(self, &row, output);
    }
    PyBuffer_Release(&row);
    if (status < 0) { /* not built: .obj back to NULL, the copies freed */
        PyBuffer_Release(&self->nextmove);
        PyMem_Free(self->rowbase);
        PyMem_Free(self->output);
        self->rowbase = NULL;
        self->output = NULL;
    }
    return status;
}

static void
Dfa_dealloc(Dfa *self)
{
    PyBuffer_Release(&self->nextmove);
    PyMem_Free(self->rowbase);
    PyMem_Free(self->output);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* --- Dfa.visits(data) ----------------------------------------------------- */

/* The state ``byte`` moves the automaton to from ``state`` (not checked
 * against the number of states). */
static inline uint32_t
next_state(const Dfa *self, uint32_t state, unsigned char byte)
{
    const uint32_t at = self->rowbase[state] + byte;
    return self->wide ? ((const uint32_t *)self->nextmove.buf)[at]
                      : ((const uint16_t *)self->nextmove.buf)[at];
}

/* The features visited while reading ``n`` bytes, in order, into ``hits``
 * (at most one per byte); their number, or -1 with a ValueError when the
 * tables lead outside the automaton. */
static Py_ssize_t
walk(const Dfa *self, const unsigned char *bytes, Py_ssize_t n, int32_t *hits)
{
    uint32_t state = 0;
    Py_ssize_t n_hits = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        state = next_state(self, state, bytes[i]);
        if (state >= self->n_states) {
            PyErr_Format(PyExc_ValueError, "byte %zd leads to state %u of %u", i,
                         (unsigned)state, (unsigned)self->n_states);
            return -1;
        }
        int32_t f = self->output[state];
        if (f >= 0) {
            hits[n_hits++] = f;
        }
    }
    return n_hits;
}

/* Texts of at least CHAINED_MIN_BYTES are walked in CHAINS segments at once:
 * each step of the walk waits on a load from the 39 MB nextmove table, which
 * the rest of a page's extraction has pushed out of the CPU's caches, so one
 * walk waits on each load in turn while eight walks wait on eight together.
 * Each segment's walk starts WARMUP bytes before the segment from state 0.
 * Where the previous segment's walk ends in the state that the warm-up
 * reached, the two walks go on in the same states, so the segment's features
 * are the ones the whole walk visits there. Every state of py3langid 0.4's
 * automaton is at most 6 bytes from state 0 (it stands for the last bytes
 * read, up to the longest n-gram), so after 8 bytes the state no longer
 * depends on where the walk began. The states are compared, not assumed:
 * on any difference (or a move outside the states) the text is walked again
 * from its start, one byte after the other. Walked from caches the pipeline
 * had emptied, the 480 bytes language.detect reads took 200 µs a text one
 * after the other, 60 µs in eight segments (12 and 16 were no faster). */
#define CHAINS 8
#define WARMUP 8
#define CHAINED_MIN_BYTES 256

/* ``walk``, its segments read together; same result, same order. */
static Py_ssize_t
walk_chained(const Dfa *self, const unsigned char *bytes, Py_ssize_t n, int32_t *hits)
{
    if (n < CHAINED_MIN_BYTES) {
        return walk(self, bytes, n, hits);
    }
    const Py_ssize_t seg = (n + CHAINS - 1) / CHAINS;
    Py_ssize_t first[CHAINS], start[CHAINS], end[CHAINS], found[CHAINS];
    uint32_t state[CHAINS], entry[CHAINS];
    for (int k = 0; k < CHAINS; k++) {
        start[k] = k * seg;
        end[k] = start[k] + seg < n ? start[k] + seg : n;
        first[k] = k ? start[k] - WARMUP : 0;
        found[k] = 0;
        state[k] = entry[k] = 0;
    }
    int outside = 0;
    for (Py_ssize_t step = 0; step < seg + WARMUP; step++) {
        for (int k = 0; k < CHAINS; k++) {
            const Py_ssize_t i = first[k] + step;
            if (i >= end[k]) {
                continue;
            }
            if (i == start[k]) {
                entry[k] = state[k];
            }
            uint32_t next = next_state(self, state[k], bytes[i]);
            if (next >= self->n_states) {
                outside = 1;
                next = 0;
            }
            state[k] = next;
            const int32_t f = self->output[next];
            if (f >= 0 && i >= start[k]) {
                hits[start[k] + found[k]++] = f;
            }
        }
    }
    for (int k = 1; k < CHAINS; k++) {
        outside |= entry[k] != state[k - 1];
    }
    if (outside) {
        return walk(self, bytes, n, hits);
    }
    Py_ssize_t n_hits = found[0];
    for (int k = 1; k < CHAINS; k++) {
        memmove(hits + n_hits, hits + start[k], (size_t)found[k] * sizeof(int32_t));
        n_hits += found[k];
    }
    return n_hits;
}

/* {feature: count} of ``hits``, keys in the order of first occurrence.
 * Counted in an open-addressing table of twice as many slots as hits (a
 * power of two), whose slots point into the order of first occurrence. */
static PyObject *
count(const int32_t *hits, Py_ssize_t n_hits)
{
    size_t size = 2;
    while (size < 2 * (size_t)n_hits) {
        size <<= 1;
    }
    Py_ssize_t *slot = PyMem_New(Py_ssize_t, size);     /* -1: empty */
    int32_t *feature = PyMem_New(int32_t, n_hits ? n_hits : 1);
    Py_ssize_t *counts = PyMem_New(Py_ssize_t, n_hits ? n_hits : 1);
    PyObject *visits = NULL;
    if (slot == NULL || feature == NULL || counts == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t k = 0; k < size; k++) {
        slot[k] = -1;
    }
    Py_ssize_t distinct = 0;
    for (Py_ssize_t i = 0; i < n_hits; i++) {
        size_t k = ((uint32_t)hits[i] * 2654435761u) & (size - 1);
        while (slot[k] >= 0 && feature[slot[k]] != hits[i]) {
            k = (k + 1) & (size - 1);
        }
        if (slot[k] < 0) {
            slot[k] = distinct;
            feature[distinct] = hits[i];
            counts[distinct++] = 0;
        }
        counts[slot[k]]++;
    }
    visits = PyDict_New();
    for (Py_ssize_t j = 0; visits != NULL && j < distinct; j++) {
        PyObject *key = PyLong_FromLong(feature[j]);
        PyObject *value = PyLong_FromSsize_t(counts[j]);
        if (key == NULL || value == NULL || PyDict_SetItem(visits, key, value) < 0) {
            Py_CLEAR(visits);
        }
        Py_XDECREF(key);
        Py_XDECREF(value);
    }
done:
    PyMem_Free(slot);
    PyMem_Free(feature);
    PyMem_Free(counts);
    return visits;
}

static PyObject *
Dfa_visits(Dfa *self, PyObject *data)
{
    if (self->nextmove.obj == NULL) {
        PyErr_SetString(PyExc_ValueError, "the Dfa was not built");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *visits = NULL;
    int32_t *hits = PyMem_New(int32_t, view.len ? view.len : 1);
    if (hits == NULL) {
        PyErr_NoMemory();
    }
    else {
        Py_ssize_t n_hits = walk_chained(self, view.buf, view.len, hits);
        if (n_hits >= 0) {
            visits = count(hits, n_hits);
        }
    }
    PyMem_Free(hits);
    PyBuffer_Release(&view);
    return visits;
}

static PyMethodDef Dfa_methods[] = {
    {"visits", (PyCFunction)Dfa_visits, METH_O,
     "visits(data): {feature: count} of the features the bytes visit, in first-visit order."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject DfaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "winnow._langid.Dfa",
    .tp_doc = PyDoc_STR("py3langid's byte automaton; see winnow.stages.langid_dfa."),
    .tp_basicsize = sizeof(Dfa),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Dfa_init,
    .tp_dealloc = (destructor)Dfa_dealloc,
    .tp_methods = Dfa_methods,
};

static struct PyModuleDef langid_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "winnow._langid",
    .m_doc = "py3langid's byte-automaton walk for winnow.stages.langid_dfa, compiled.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__langid(void)
{
    if (PyType_Ready(&DfaType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&langid_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&DfaType);
    if (PyModule_AddObject(module, "Dfa", (PyObject *)&DfaType) < 0) {
        Py_DECREF(&DfaType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
