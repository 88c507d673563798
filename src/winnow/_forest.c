/* The tree-ensemble walk of winnow.stages.score in C.
 *
 * It computes exactly what the numpy walk (score._Walk.margin) computes:
 * every tree is walked ``depth`` steps (a leaf's two children are itself, so
 * steps past a leaf stay there); a row goes left when ``x <= threshold``, so
 * NaN goes right; float32 rows are compared in float against the thresholds
 * rounded down to float, float64 rows in double; and each row's leaf values
 * are added in double, one tree after the other in tree order, as np.cumsum
 * adds them.
 *
 * Trees(feature, threshold, threshold32, left, right, value, roots, depth, width)
 * copies the forest into one packed array and checks every index once, so
 * that Trees.margin(X, out) can walk without bounds checks.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* One node, 24 bytes: what a step needs sits together. child[1] is taken
 * when the row goes left (x <= threshold), child[0] otherwise. */
typedef struct {
    double threshold;
    float threshold32;
    int32_t feature;
    int32_t child[2];
} Node;

typedef struct {
    PyObject_HEAD
    Node *nodes;
    double *value;   /* leaf value per node (0 at inner nodes) */
    int32_t *roots;  /* node of each tree's root, in tree order */
    Py_ssize_t n_nodes;
    Py_ssize_t n_trees;
    Py_ssize_t depth;
    Py_ssize_t width; /* features per row */
} Trees;

/* --- buffers ------------------------------------------------------------ */

/* Whether a buffer's struct format is the native single item ``code``. */
static int
has_format(const Py_buffer *view, char code)
{
    const char *format = view->format ? view->format : "B";
    if (format[0] == '@' || format[0] == '=') {
        format++;
    }
#if PY_LITTLE_ENDIAN
    else if (format[0] == '<') {
        format++;
    }
#else
    else if (format[0] == '>' || format[0] == '!') {
        format++;
    }
#endif
    return format[0] == code && format[1] == '\0';
}

/* A C-contiguous buffer of ``ndim`` dimensions and item ``code``, or -1 with
 * a TypeError naming ``what``. */
static int
get_buffer(PyObject *obj, Py_buffer *view, int ndim, char code, Py_ssize_t itemsize,
           int writable, const char *what)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        return -1;
    }
    if (view->ndim != ndim || view->itemsize != itemsize || !has_format(view, code)) {
        PyErr_Format(PyExc_TypeError, "%s must be a C-contiguous %d-D array of '%c' items",
                     what, ndim, code);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static void
release_all(Py_buffer *views, int n)
{
    for (int i = 0; i < n; i++) {
        PyBuffer_Release(&views[i]);
    }
}

/* --- Trees(...) ---------------------------------------------------------- */

enum { FEATURE, THRESHOLD, THRESHOLD32, LEFT, RIGHT, VALUE, ROOTS, N_ARRAYS };

static const char codes[N_ARRAYS] = {'i', 'd', 'f', 'i', 'i', 'd', 'i'};
static const Py_ssize_t sizes[N_ARRAYS] = {4, 8, 4, 4, 4, 8, 4};
static const char *names[N_ARRAYS] = {
    "feature", "threshold", "threshold32", "left", "right", "value", "roots",
};

/* Every index in range, every array of the same length: else ValueError. */
static int
check_forest(Py_buffer *views, Py_ssize_t width)
{
    Py_ssize_t n = views[FEATURE].shape[0];
    for (int i = 0; i < ROOTS; i++) {
        if (views[i].shape[0] != n) {
            PyErr_Format(PyExc_ValueError, "%s has %zd nodes, feature has %zd",
                         names[i], views[i].shape[0], n);
            return -1;
        }
    }
    if (n >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many nodes");
        return -1;
    }
    const int32_t *feature = views[FEATURE].buf;
    const int32_t *left = views[LEFT].buf, *right = views[RIGHT].buf;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (feature[k] < 0 || feature[k] >= width || left[k] < 0 || left[k] >= n
            || right[k] < 0 || right[k] >= n) {
            PyErr_Format(PyExc_ValueError, "node %zd points outside the forest", k);
            return -1;
        }
    }
    const int32_t *roots = views[ROOTS].buf;
    for (Py_ssize_t t = 0; t < views[ROOTS].shape[0]; t++) {
        if (roots[t] < 0 || roots[t] >= n) {
            PyErr_Format(PyExc_ValueError, "tree %zd has its root outside the forest", t);
            return -1;
        }
    }
    return 0;
}

/* Copy the checked arrays into the packed layout. */
static int
pack(Trees *self, Py_buffer *views)
{
    Py_ssize_t n = views[FEATURE].shape[0];
    Py_ssize_t n_trees = views[ROOTS].shape[0];
    self->nodes = PyMem_New(Node, n ? n : 1);
    self->value = PyMem_New(double, n ? n : 1);
    self->roots = PyMem_New(int32_t, n_trees ? n_trees : 1);
    if (!self->nodes || !self->value || !self->roots) {
        PyErr_NoMemory();
        return -1;
    }
    const int32_t *feature = views[FEATURE].buf;
    const double *threshold = views[THRESHOLD].buf;
    const float *threshold32 = views[THRESHOLD32].buf;
    const int32_t *left = views[LEFT].buf, *right = views[RIGHT].buf;
    for (Py_ssize_t k = 0; k < n; k++) {
        Node *node = &self->nodes[k];
        node->threshold = threshold[k];
        node->threshold32 = threshold32[k];
        node->feature = feature[k];
        node->child[0] = right[k];
        node->child[1] = left[k];
    }
    memcpy(self->value, views[VALUE].buf, (size_t)n * sizeof(double));
    memcpy(self->roots, views[ROOTS].buf, (size_t)n_trees * sizeof(int32_t));
    self->n_nodes = n;
    self->n_trees = n_trees;
    return 0;
}

static int
Trees_init(Trees *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"feature", "threshold", "threshold32", "left", "right",
                             "value", "roots", "depth", "width", NULL};
    PyObject *arrays[N_ARRAYS];
    Py_ssize_t depth, width;
    if (self->nodes) {
        PyErr_SetString(PyExc_TypeError, "Trees are built once");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOOOOnn:Trees", kwlist, &arrays[0],
                                     &arrays[1], &arrays[2], &arrays[3], &arrays[4],
                                     &arrays[5], &arrays[6], &depth, &width)) {
        return -1;
    }
    if (depth < 0 || width < 0) {
        PyErr_SetString(PyExc_ValueError, "depth and width must not be negative");
        return -1;
    }
    Py_buffer views[N_ARRAYS];
    int got = 0;
    for (; got < N_ARRAYS; got++) {
        if (get_buffer(arrays[got], &views[got], 1, codes[got], sizes[got], 0, names[got]) < 0) {
            release_all(views, got);
            return -1;
        }
    }
    int status = check_forest(views, width);
    if (status == 0) {
        status = pack(self, views);
    }
    release_all(views, N_ARRAYS);
    self->depth = depth;
    self->width = width;
    return status;
}

static void
Trees_dealloc(Trees *self)
{
    PyMem_Free(self->nodes);
    PyMem_Free(self->value);
    PyMem_Free(self->roots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* --- Trees.margin(X, out) ------------------------------------------------ */

/* Rows walked together: each step moves every row of a block one level down
 * the same tree, so that the block's walks overlap in the CPU instead of each
 * waiting on its own loads (3x faster than one row at a time on the dev
 * pages; 16 to 256 rows were alike, within the noise of a loaded machine). */
#define BLOCK 64

/* walk_float and walk_double: for each of ``rows`` rows of X (``width`` items
 * each), the sum of every tree's leaf value, in tree order, into out. */
#define DEFINE_WALK(NAME, TYPE, THRESHOLD)                                              \
    static void NAME(const Trees *self, const TYPE *X, Py_ssize_t rows, double *out)     \
    {                                                                                   \
        const Node *nodes = self->nodes;                                                \
        const Py_ssize_t width = self->width;                                           \
        int32_t at[BLOCK];                                                              \
        for (Py_ssize_t first = 0; first < rows; first += BLOCK) {                      \
            const Py_ssize_t n = rows - first < BLOCK ? rows - first : BLOCK;           \
            const TYPE *block = X + first * width;                                      \
            double *sum = out + first;                                                  \
            for (Py_ssize_t r = 0; r < n; r++) {                                        \
                sum[r] = 0.0;                                                           \
            }                                                                           \
            for (Py_ssize_t t = 0; t < self->n_trees; t++) {                            \
                for (Py_ssize_t r = 0; r < n; r++) {                                    \
                    at[r] = self->roots[t];                                             \
                }                                                                       \
                for (Py_ssize_t step = 0; step < self->depth; step++) {                 \
                    for (Py_ssize_t r = 0; r < n; r++) {                                \
                        const Node *node = &nodes[at[r]];                               \
                        int left = block[r * width + node->feature] <= node->THRESHOLD; \
                        at[r] = node->child[left];                                      \
                    }                                                                   \
                }                                                                       \
                for (Py_ssize_t r = 0; r < n; r++) {                                    \
                    sum[r] += self->value[at[r]];                                       \
                }                                                                       \
            }                                                                           \
        }                                                                               \
    }

DEFINE_WALK(walk_float, float, threshold32)
DEFINE_WALK(walk_double, double, threshold)

static PyObject *
Trees_margin(Trees *self, PyObject *args)
{
    PyObject *x_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OO:margin", &x_obj, &out_obj)) {
        return NULL;
    }
    if (self->nodes == NULL) {
        PyErr_SetString(PyExc_ValueError, "the Trees were not built");
        return NULL;
    }
    Py_buffer x_view, out_view;
    if (PyObject_GetBuffer(x_obj, &x_view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return NULL;
    }
    int single = x_view.itemsize == 4 && has_format(&x_view, 'f');
    int dbl = x_view.itemsize == 8 && has_format(&x_view, 'd');
    if (x_view.ndim != 2 || !(single || dbl)) {
        PyErr_SetString(PyExc_TypeError, "X must be a C-contiguous 2-D array of float32 or float64");
        PyBuffer_Release(&x_view);
        return NULL;
    }
    if (x_view.shape[1] != self->width) {
        PyErr_Format(PyExc_ValueError, "X has %zd columns, the forest reads %zd",
                     x_view.shape[1], self->width);
        PyBuffer_Release(&x_view);
        return NULL;
    }
    if (get_buffer(out_obj, &out_view, 1, 'd', 8, 1, "out") < 0) {
        PyBuffer_Release(&x_view);
        return NULL;
    }
    if (out_view.shape[0] != x_view.shape[0]) {
        PyErr_Format(PyExc_ValueError, "out has %zd items for %zd rows", out_view.shape[0],
                     x_view.shape[0]);
        PyBuffer_Release(&out_view);
        PyBuffer_Release(&x_view);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    if (single) {
        walk_float(self, x_view.buf, x_view.shape[0], out_view.buf);
    }
    else {
        walk_double(self, x_view.buf, x_view.shape[0], out_view.buf);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&out_view);
    PyBuffer_Release(&x_view);
    Py_RETURN_NONE;
}

static PyMethodDef Trees_methods[] = {
    {"margin", (PyCFunction)Trees_margin, METH_VARARGS,
     "margin(X, out): for each row of X, the summed leaf values of every tree, into out."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TreesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "winnow._forest.Trees",
    .tp_doc = PyDoc_STR("A forest packed for walking; see winnow.stages.score."),
    .tp_basicsize = sizeof(Trees),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Trees_init,
    .tp_dealloc = (destructor)Trees_dealloc,
    .tp_methods = Trees_methods,
};

static struct PyModuleDef forest_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "winnow._forest",
    .m_doc = "The tree-ensemble walk of winnow.stages.score, compiled.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__forest(void)
{
    if (PyType_Ready(&TreesType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&forest_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&TreesType);
    if (PyModule_AddObject(module, "Trees", (PyObject *)&TreesType) < 0) {
        Py_DECREF(&TreesType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
