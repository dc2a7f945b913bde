/* Multi-index hashing over 256-bit PDQ hashes, compiled: the table build and the probe-and-filter
 * loop of `bank.HashIndex`, which numpy can only express with large temporaries and random gathers.
 *
 * The hash is cut into 16 chunks of 16 bits; d_k is the distance between query and banked hash on
 * chunk k. If the total distance is at most r, some k (cyclically) has d_k <= r / 16 and
 * d_k + d_{k+1} <= r / 8 (checked for every r < 48 by exhausting the chunk-distance sequences; see
 * tests/provenance/test_multiindex.py). So table k lists the bank's ids bucketed by chunk k, and
 * beside each id the hash's chunk k + 1: a query probes its own chunk value and every value within
 * r / 16 bits of it, and keeps only entries whose neighbouring chunk passes the pair bound. That
 * rejects about 99.7% of bucket entries without touching the bank; the rest get a full Hamming check.
 * A pair that several tables would report is reported only by the first, so each comes out once.
 *
 * Tables (all caller-allocated, filled by `build`): offsets[k][v] .. offsets[k][v + 1] delimit bucket v
 * of table k; neighbours[k][i] is the chunk k + 1 of entry i; ids[k] holds entry i's bank row in
 * `width` bits at bit i * width (ids need 20 bits for a million hashes, not 32).
 * Only the buffer protocol is used (no numpy headers); the GIL is released while working.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define CHUNKS 16
#define BUCKETS 65536
#define MAX_PROBES 137 /* 1 + 16 + 120: up to two flipped bits per chunk (radius < 48) */

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define POPCNT_CLONES
#endif

typedef struct {
    const uint8_t *bank;
    const uint32_t *offsets;
    const uint16_t *neighbours;
    const uint8_t *ids;
    Py_ssize_t size, ids_stride;
    int width;
} Tables;

static inline unsigned chunk_of(const uint8_t *hash, int k) {
    k &= CHUNKS - 1;
    return ((unsigned)hash[2 * k] << 8) | hash[2 * k + 1];
}

static inline uint32_t id_at(const uint8_t *ids, Py_ssize_t i, int width) {
    uint64_t word;
    size_t bit = (size_t)i * width;
    memcpy(&word, ids + bit / 8, 8);
    return (uint32_t)((word >> (bit % 8)) & ((1ull << width) - 1));
}

static inline void set_id(uint8_t *ids, Py_ssize_t i, int width, uint32_t id) {
    uint64_t word;
    size_t bit = (size_t)i * width;
    memcpy(&word, ids + bit / 8, 8);
    word |= (uint64_t)id << (bit % 8);
    memcpy(ids + bit / 8, &word, 8);
}

static int probe_masks(int flips, uint16_t *masks) {
    int n = 0;
    masks[n++] = 0;
    if (flips >= 1)
        for (int a = 0; a < 16; a++) masks[n++] = (uint16_t)(1u << a);
    if (flips >= 2)
        for (int a = 0; a < 16; a++)
            for (int b = a + 1; b < 16; b++) masks[n++] = (uint16_t)((1u << a) | (1u << b));
    return n;
}

/* Would table k pass this pair? Then tables after k leave it to k. */
static int table_passes(const uint8_t *query, const uint8_t *row, int k, int flips, int pair_bound) {
    int here = __builtin_popcount(chunk_of(query, k) ^ chunk_of(row, k));
    return here <= flips && here + __builtin_popcount(chunk_of(query, k + 1) ^ chunk_of(row, k + 1)) <= pair_bound;
}

typedef struct {
    int32_t *triples; /* (query, bank row, distance) */
    Py_ssize_t used, capacity;
} Matches;

static int matches_push(Matches *m, int32_t query, int32_t row, int32_t distance) {
    if (m->used + 3 > m->capacity) {
        Py_ssize_t capacity = m->capacity ? 2 * m->capacity : 3 * 1024;
        int32_t *grown = realloc(m->triples, (size_t)capacity * sizeof(int32_t));
        if (!grown) return -1;
        m->triples = grown;
        m->capacity = capacity;
    }
    m->triples[m->used++] = query;
    m->triples[m->used++] = row;
    m->triples[m->used++] = distance;
    return 0;
}

/* One query's buckets: where each probe's entries start and stop in its table. */
typedef struct {
    uint32_t starts[CHUNKS][MAX_PROBES], stops[CHUNKS][MAX_PROBES];
} Buckets;

typedef struct {
    uint16_t masks[MAX_PROBES];
    int probes, flips, pair_bound, radius;
} Probes;

static void prefetch_bounds(const Tables *t, const Probes *pr, const uint8_t *query) {
    for (int k = 0; k < CHUNKS; k++) {
        const uint32_t *bounds = t->offsets + (size_t)k * (BUCKETS + 1);
        unsigned value = chunk_of(query, k);
        for (int p = 0; p < pr->probes; p++) __builtin_prefetch(bounds + (value ^ pr->masks[p]));
    }
}

static void locate(const Tables *t, const Probes *pr, const uint8_t *query, Buckets *b) {
    for (int k = 0; k < CHUNKS; k++) {
        const uint32_t *bounds = t->offsets + (size_t)k * (BUCKETS + 1);
        const uint16_t *near = t->neighbours + (size_t)k * t->size;
        unsigned value = chunk_of(query, k);
        for (int p = 0; p < pr->probes; p++) {
            b->starts[k][p] = bounds[value ^ pr->masks[p]];
            b->stops[k][p] = bounds[(value ^ pr->masks[p]) + 1];
            __builtin_prefetch(near + b->starts[k][p]);
        }
    }
}

POPCNT_CLONES
static int scan(const Tables *t, const Probes *pr, const uint8_t *query, int32_t q, const Buckets *b, Matches *out) {
    uint64_t qw[4];
    memcpy(qw, query, 32);
    for (int k = 0; k < CHUNKS; k++) {
        const uint16_t *near = t->neighbours + (size_t)k * t->size;
        const uint8_t *ids = t->ids + (size_t)k * t->ids_stride;
        unsigned next = chunk_of(query, k + 1);
        for (int p = 0; p < pr->probes; p++) {
            int limit = pr->pair_bound - __builtin_popcount(pr->masks[p]);
            for (uint32_t i = b->starts[k][p]; i < b->stops[k][p]; i++) {
                if (__builtin_popcount(near[i] ^ next) > limit) continue;
                uint32_t id = id_at(ids, i, t->width);
                const uint8_t *row = t->bank + 32 * (size_t)id;
                uint64_t rw[4];
                memcpy(rw, row, 32);
                int distance = __builtin_popcountll(qw[0] ^ rw[0]) + __builtin_popcountll(qw[1] ^ rw[1])
                             + __builtin_popcountll(qw[2] ^ rw[2]) + __builtin_popcountll(qw[3] ^ rw[3]);
                if (distance > pr->radius) continue;
                int earlier = 0;
                for (int e = 0; e < k && !earlier; e++) earlier = table_passes(query, row, e, pr->flips, pr->pair_bound);
                if (!earlier && matches_push(out, q, (int32_t)id, distance) < 0) return -1;
            }
        }
    }
    return 0;
}

/* Queries go through three stages at once (bounds prefetched, buckets located and prefetched,
 * buckets scanned), so one query's memory waits overlap the next queries' work. */
static int search_range(const Tables *t, const uint8_t *queries, Py_ssize_t first, Py_ssize_t last, int radius,
                        Matches *out) {
    Probes pr;
    pr.radius = radius;
    pr.flips = radius / 16;
    pr.pair_bound = radius / 8;
    pr.probes = probe_masks(pr.flips, pr.masks);
    Buckets *ring = malloc(2 * sizeof(Buckets));
    if (!ring) return -1;
    int status = 0;
    for (Py_ssize_t q = first; q < last + 2 && status == 0; q++) {
        if (q < last) prefetch_bounds(t, &pr, queries + 32 * q);
        if (q - 1 >= first && q - 1 < last) locate(t, &pr, queries + 32 * (q - 1), &ring[(q - 1) & 1]);
        if (q - 2 >= first) status = scan(t, &pr, queries + 32 * (q - 2), (int32_t)(q - 2), &ring[(q - 2) & 1], out);
    }
    free(ring);
    return status;
}

static void build_tables(const Tables *t, uint32_t *offsets, uint16_t *neighbours, uint8_t *ids) {
    for (int k = 0; k < CHUNKS; k++) {
        uint32_t *bounds = offsets + (size_t)k * (BUCKETS + 1);
        uint16_t *near = neighbours + (size_t)k * t->size;
        uint8_t *packed = ids + (size_t)k * t->ids_stride;
        memset(bounds, 0, (BUCKETS + 1) * sizeof(uint32_t));
        memset(packed, 0, (size_t)t->ids_stride);
        for (Py_ssize_t i = 0; i < t->size; i++) bounds[chunk_of(t->bank + 32 * i, k) + 1]++;
        for (int v = 0; v < BUCKETS; v++) bounds[v + 1] += bounds[v];
        /* Counting sort: bounds[v] serves as bucket v's next free slot, then is shifted back to its start. */
        for (Py_ssize_t i = 0; i < t->size; i++) {
            const uint8_t *hash = t->bank + 32 * i;
            uint32_t slot = bounds[chunk_of(hash, k)]++;
            near[slot] = (uint16_t)chunk_of(hash, k + 1);
            set_id(packed, slot, t->width, (uint32_t)i);
        }
        memmove(bounds + 1, bounds, BUCKETS * sizeof(uint32_t));
        bounds[0] = 0;
    }
}

/* Parse (bank, offsets, neighbours, ids, width) into views and check their sizes agree. */
static int open_tables(PyObject *args, Py_ssize_t extra_from, Py_buffer views[4], Tables *t, int writable) {
    PyObject *objs[4];
    static const char *names[4] = {"bank", "offsets", "neighbours", "ids"};
    if (PyTuple_GET_SIZE(args) < extra_from) {
        PyErr_SetString(PyExc_TypeError, "expected bank, offsets, neighbours, ids, width");
        return -1;
    }
    for (int k = 0; k < 4; k++) objs[k] = PyTuple_GET_ITEM(args, k);
    t->width = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 4));
    if (PyErr_Occurred()) return -1;
    for (int k = 0; k < 4; k++) {
        int flags = PyBUF_C_CONTIGUOUS | (writable && k > 0 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objs[k], &views[k], flags) < 0) {
            PyErr_Format(PyExc_TypeError, "%s must be a C-contiguous%s buffer", names[k], flags & PyBUF_WRITABLE ? " writable" : "");
            while (k--) PyBuffer_Release(&views[k]);
            return -1;
        }
    }
    t->bank = views[0].buf;
    t->offsets = views[1].buf;
    t->neighbours = views[2].buf;
    t->ids = views[3].buf;
    t->size = views[0].len / 32;
    t->ids_stride = views[3].len / CHUNKS;
    if (views[0].len % 32 || t->width < 1 || t->width > 32 || t->size > ((Py_ssize_t)1 << t->width)
        || views[1].len != (Py_ssize_t)CHUNKS * (BUCKETS + 1) * 4 || views[2].len != CHUNKS * t->size * 2
        || views[3].len % CHUNKS || t->ids_stride < (t->size * t->width + 7) / 8 + 8) {
        PyErr_SetString(PyExc_ValueError, "bank, offsets, neighbours, ids and width do not agree");
        for (int k = 0; k < 4; k++) PyBuffer_Release(&views[k]);
        return -1;
    }
    return 0;
}

static PyObject *build(PyObject *self, PyObject *args) {
    Py_buffer views[4];
    Tables t;
    (void)self;
    if (open_tables(args, 5, views, &t, 1) < 0) return NULL;
    Py_BEGIN_ALLOW_THREADS
    build_tables(&t, views[1].buf, views[2].buf, views[3].buf);
    Py_END_ALLOW_THREADS
    for (int k = 0; k < 4; k++) PyBuffer_Release(&views[k]);
    Py_RETURN_NONE;
}

static PyObject *search(PyObject *self, PyObject *args) {
    Py_buffer views[4], queries;
    Tables t;
    int radius;
    Py_ssize_t first, last;
    (void)self;
    if (PyTuple_GET_SIZE(args) != 9) {
        PyErr_SetString(PyExc_TypeError, "expected bank, offsets, neighbours, ids, width, queries, radius, first, last");
        return NULL;
    }
    radius = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 6));
    first = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 7));
    last = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 8));
    if (PyErr_Occurred()) return NULL;
    if (radius < 0 || radius >= 48) {
        PyErr_SetString(PyExc_ValueError, "radius must be between 0 and 47");
        return NULL;
    }
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(args, 5), &queries, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (first < 0 || first > last || last > queries.len / 32) {
        PyErr_SetString(PyExc_ValueError, "query range out of bounds");
        PyBuffer_Release(&queries);
        return NULL;
    }
    if (open_tables(args, 9, views, &t, 0) < 0) { PyBuffer_Release(&queries); return NULL; }
    Matches found = {NULL, 0, 0};
    int status = 0;
    Py_BEGIN_ALLOW_THREADS
    status = search_range(&t, queries.buf, first, last, radius, &found);
    Py_END_ALLOW_THREADS
    PyObject *result = status < 0 ? PyErr_NoMemory()
                     : PyBytes_FromStringAndSize((const char *)found.triples, found.used * (Py_ssize_t)sizeof(int32_t));
    free(found.triples);
    PyBuffer_Release(&queries);
    for (int k = 0; k < 4; k++) PyBuffer_Release(&views[k]);
    return result;
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS, "build(bank, offsets, neighbours, ids, width): fill the 16 tables."},
    {"search", search, METH_VARARGS,
     "search(bank, offsets, neighbours, ids, width, queries, radius, first, last) -> bytes of int32 "
     "(query, bank row, distance) triples for queries[first:last], in no particular order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_multiindex", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__multiindex(void) { return PyModule_Create(&module); }
