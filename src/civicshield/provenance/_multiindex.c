/* Exact Hamming-radius search between 256-bit PDQ hashes, compiled: what `bank.HashIndex` runs.
 *
 * Two strategies, both exact, neither keeping any table beside the banked hashes:
 *
 *  - scan: every query against every banked hash. For a few queries at a time (an upload being
 *    checked) a pass over the bank is about as fast as memory is, and needs nothing else.
 *  - join: many queries at once (a new bank matched against stored media, a batch job). The queries,
 *    not the bank, are indexed, and the bank streams through that index once, so the memory beyond
 *    the bank grows with the batch, not with the bank.
 *
 * The join is multi-index hashing turned around. The hash is cut into 16 chunks of 16 bits; d_k is the
 * distance between query and banked hash on chunk k. If the total distance is at most r, some k
 * (cyclically) has d_k <= r / 16 and d_k + d_{k+1} <= r / 8 (checked for every r < 48 by exhausting
 * the chunk-distance sequences; see tests/provenance/test_multiindex.py). So table k enters each query
 * in every bucket within r / 16 bits of its chunk k, with its chunk k + 1 beside it; a banked hash
 * looks up its own chunk k in table k and keeps only entries whose neighbouring chunk passes the pair
 * bound. That rejects about 99% of entries without touching the query; the rest get a full Hamming
 * check. A pair that several tables would report is reported only by the first, so each comes out once.
 *
 * Query tables (caller-allocated, filled by `index_queries`): offsets[k][v] .. offsets[k][v + 1]
 * delimit bucket v of table k in entries[k]; an entry is (chunk k + 1 of the query) << 16 |
 * d_k << 14 | query number within the batch, so a batch holds at most 16,384 queries.
 * Only the buffer protocol is used (no numpy headers); the GIL is released while working.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKS 16
#define BUCKETS 65536
#define MAX_PROBES 137 /* 1 + 16 + 120: up to two flipped bits per chunk (radius < 48) */
#define MAX_BATCH 16384
#define SLOTS 4
/* Banked hashes per pass over one table: the table stays in cache while the bank streams past it (measured
 * fastest with the pass covering a thread's whole share of the bank). */
#define BLOCK (1 << 20)
#define SCAN_BLOCK 4096 /* rows: 128 KB */

/* On x86-64 the kernels use SSSE3 and POPCNT (every x86-64 server CPU since 2009 has them; the module
 * refuses to load without them and the bank falls back to numpy). Module set-up below stays generic. */
#if defined(__GNUC__) && defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("ssse3,popcnt")
#include <immintrin.h>
#define SIMD_SLOTS 1
#else
#define SIMD_SLOTS 0
#endif

static inline unsigned chunk_of(const uint8_t *hash, int k) {
    k &= CHUNKS - 1;
    return ((unsigned)hash[2 * k] << 8) | hash[2 * k + 1];
}

static inline int hamming(const uint8_t *a, const uint8_t *b) {
    uint64_t x[4], y[4];
    memcpy(x, a, 32);
    memcpy(y, b, 32);
    return __builtin_popcountll(x[0] ^ y[0]) + __builtin_popcountll(x[1] ^ y[1])
         + __builtin_popcountll(x[2] ^ y[2]) + __builtin_popcountll(x[3] ^ y[3]);
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

static int scan_rows_scalar(const uint8_t *bank, Py_ssize_t row_first, Py_ssize_t row_last, const uint8_t *queries,
                            Py_ssize_t nq, int radius, Matches *out) {
    for (Py_ssize_t i = row_first; i < row_last; i++) {
        const uint8_t *row = bank + 32 * i;
        for (Py_ssize_t q = 0; q < nq; q++) {
            int distance = hamming(queries + 32 * q, row);
            if (distance <= radius && matches_push(out, (int32_t)q, (int32_t)i, distance) < 0) return -1;
        }
    }
    return 0;
}

#if SIMD_SLOTS
/* The same scan two banked hashes per 512-bit register: XOR with the query in both halves, count bits
 * per 64-bit lane (VPOPCNTQ), fold each half's four lanes into one sum, compare both with the radius.
 * About three times fewer instructions per hash than the scalar loop, which leaves the scan bound by
 * memory bandwidth. Used where the CPU has AVX-512 VPOPCNTDQ (checked at import). */
__attribute__((target("avx512f,avx512vpopcntdq,popcnt,ssse3")))
static int scan_rows_avx512(const uint8_t *bank, Py_ssize_t row_first, Py_ssize_t row_last, const uint8_t *queries,
                            Py_ssize_t nq, int radius, Matches *out) {
    const __m512i limit = _mm512_set1_epi64(radius);
    Py_ssize_t pairs_end = row_first + ((row_last - row_first) & ~(Py_ssize_t)1);
    /* Blocks of rows small enough to stay in cache while every query passes over them. */
    for (Py_ssize_t start = row_first; start < pairs_end; start += SCAN_BLOCK) {
        Py_ssize_t stop = start + SCAN_BLOCK < pairs_end ? start + SCAN_BLOCK : pairs_end;
        for (Py_ssize_t q = 0; q < nq; q++) {
            const uint8_t *query = queries + 32 * q;
            const __m512i twice = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)query));
            for (Py_ssize_t i = start; i < stop; i += 2) {
                __m512i bits = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(bank + 32 * i), twice));
                bits = _mm512_add_epi64(bits, _mm512_shuffle_epi32(bits, _MM_PERM_BADC));      /* lanes 2k, 2k+1 */
                bits = _mm512_add_epi64(bits, _mm512_shuffle_i64x2(bits, bits, _MM_SHUFFLE(2, 3, 0, 1))); /* halves */
                __mmask8 near = _mm512_cmple_epu64_mask(bits, limit) & 0x11;
                if (__builtin_expect(near != 0, 0)) {
                    for (int half = 0; half < 2; half++) {
                        if (!(near & (1u << (4 * half)))) continue;
                        int distance = hamming(query, bank + 32 * (i + half));
                        if (matches_push(out, (int32_t)q, (int32_t)(i + half), distance) < 0) return -1;
                    }
                }
            }
        }
    }
    /* An odd row left over goes through the scalar loop. */
    return pairs_end < row_last ? scan_rows_scalar(bank, pairs_end, row_last, queries, nq, radius, out) : 0;
}
#endif

static int wide_scan = 0; /* set at import: AVX-512 VPOPCNTDQ present and not switched off */

static int scan_rows(const uint8_t *bank, Py_ssize_t row_first, Py_ssize_t row_last, const uint8_t *queries,
                     Py_ssize_t nq, int radius, Matches *out) {
#if SIMD_SLOTS
    if (wide_scan) return scan_rows_avx512(bank, row_first, row_last, queries, nq, radius, out);
#endif
    return scan_rows_scalar(bank, row_first, row_last, queries, nq, radius, out);
}

static Py_ssize_t table_entries(Py_ssize_t nq, int probes) { return nq * probes; }
/* All tables' entries, and SLOTS more so that reading SLOTS entries from any bucket stays inside. */
static Py_ssize_t entries_bytes(Py_ssize_t nq, int probes) { return (CHUNKS * table_entries(nq, probes) + SLOTS) * 4; }

static void build_query_tables(const uint8_t *queries, Py_ssize_t nq, int radius, uint32_t *offsets,
                               uint32_t *entries, int first_chunk, int last_chunk) {
    uint16_t masks[MAX_PROBES];
    int probes = probe_masks(radius / 16, masks);
    Py_ssize_t per_table = table_entries(nq, probes);
    for (int k = first_chunk; k < last_chunk; k++) {
        uint32_t *bounds = offsets + (size_t)k * (BUCKETS + 1);
        uint32_t *table = entries + (size_t)k * per_table;
        memset(bounds, 0, (BUCKETS + 1) * sizeof(uint32_t));
        for (Py_ssize_t q = 0; q < nq; q++) {
            unsigned value = chunk_of(queries + 32 * q, k);
            for (int p = 0; p < probes; p++) bounds[(value ^ masks[p]) + 1]++;
        }
        for (int v = 0; v < BUCKETS; v++) bounds[v + 1] += bounds[v];
        /* Counting sort: bounds[v] serves as bucket v's next free slot, then is shifted back to its start. */
        for (Py_ssize_t q = 0; q < nq; q++) {
            const uint8_t *query = queries + 32 * q;
            unsigned value = chunk_of(query, k), next = chunk_of(query, k + 1);
            for (int p = 0; p < probes; p++) {
                uint32_t flips = (uint32_t)__builtin_popcount(masks[p]);
                table[bounds[value ^ masks[p]]++] = (next << 16) | (flips << 14) | (uint32_t)q;
            }
        }
        memmove(bounds + 1, bounds, BUCKETS * sizeof(uint32_t));
        bounds[0] = 0;
    }
}

/* Which of a bucket's first SLOTS entries pass the pair bound (bit j for entry j < count). */
static inline unsigned slots_passing(const uint32_t *bucket, uint32_t count, unsigned next, int pair_bound) {
#if SIMD_SLOTS && SLOTS == 4
    const __m128i nibble_bits = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m128i low4 = _mm_set1_epi8(0x0f);
    __m128i entries = _mm_loadu_si128((const __m128i *)bucket);
    __m128i differ = _mm_xor_si128(_mm_srli_epi32(entries, 16), _mm_set1_epi32((int)next));
    __m128i per_byte = _mm_add_epi8(_mm_shuffle_epi8(nibble_bits, _mm_and_si128(differ, low4)),
                                    _mm_shuffle_epi8(nibble_bits, _mm_and_si128(_mm_srli_epi16(differ, 4), low4)));
    __m128i after = _mm_and_si128(_mm_add_epi32(per_byte, _mm_srli_epi32(per_byte, 8)), _mm_set1_epi32(0xff));
    __m128i pair = _mm_add_epi32(after, _mm_and_si128(_mm_srli_epi32(entries, 14), _mm_set1_epi32(3)));
    __m128i ok = _mm_and_si128(_mm_cmplt_epi32(pair, _mm_set1_epi32(pair_bound + 1)),
                               _mm_cmplt_epi32(_mm_setr_epi32(0, 1, 2, 3), _mm_set1_epi32((int)count)));
    return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(ok));
#else
    unsigned pass = 0;
    for (unsigned j = 0; j < SLOTS; j++) {
        uint32_t entry = bucket[j];
        pass |= (unsigned)((j < count) & (__builtin_popcount((entry >> 16) ^ next) + (int)((entry >> 14) & 3)
                                          <= pair_bound)) << j;
    }
    return pass;
#endif
}

static int join_rows(const uint8_t *bank, Py_ssize_t row_first, Py_ssize_t row_last, const uint8_t *queries,
                     Py_ssize_t nq, int radius, const uint32_t *offsets, const uint32_t *entries, Matches *out) {
    int flips = radius / 16, pair_bound = radius / 8;
    uint16_t masks[MAX_PROBES];
    Py_ssize_t per_table = table_entries(nq, probe_masks(flips, masks));
    for (Py_ssize_t start = row_first; start < row_last; start += BLOCK) {
        Py_ssize_t stop = start + BLOCK < row_last ? start + BLOCK : row_last;
        for (int k = 0; k < CHUNKS; k++) {
            const uint32_t *bounds = offsets + (size_t)k * (BUCKETS + 1);
            const uint32_t *table = entries + (size_t)k * per_table;
            for (Py_ssize_t i = start; i < stop; i++) {
                const uint8_t *row = bank + 32 * i;
                /* Two stages ahead: a bucket's bounds 32 rows early, its entries 16 rows early. */
                if (i + 32 < stop) __builtin_prefetch(bounds + chunk_of(row + 32 * 32, k));
                if (i + 16 < stop) __builtin_prefetch(table + bounds[chunk_of(row + 32 * 16, k)]);
                unsigned value = chunk_of(row, k), next = chunk_of(row, k + 1);
                uint32_t first = bounds[value], count = bounds[value + 1] - first;
                const uint32_t *bucket = table + first;
                /* The first SLOTS entries are tested without branching on the bucket's size (a mispredicted
                 * loop exit costs more than the tests; the table is padded so the reads stay inside it). Only
                 * a bucket with a candidate, or with more entries, is walked one entry at a time. */
                if (__builtin_expect(!slots_passing(bucket, count, next, pair_bound) && count <= SLOTS, 1)) continue;
                for (uint32_t e = 0; e < count; e++) {
                    uint32_t entry = bucket[e];
                    if (__builtin_popcount((entry >> 16) ^ next) + (int)((entry >> 14) & 3) > pair_bound) continue;
                    const uint8_t *query = queries + 32 * (size_t)(entry & (MAX_BATCH - 1));
                    int distance = hamming(query, row);
                    if (distance > radius) continue;
                    int earlier = 0;
                    for (int j = 0; j < k && !earlier; j++) earlier = table_passes(query, row, j, flips, pair_bound);
                    if (!earlier && matches_push(out, (int32_t)(entry & (MAX_BATCH - 1)), (int32_t)i, distance) < 0)
                        return -1;
                }
            }
        }
    }
    return 0;
}

#if SIMD_SLOTS
#pragma GCC pop_options
#endif

/* --- Python glue ------------------------------------------------------------------------------- */

/* A view of a C-contiguous buffer; `hashes`: it must hold whole 32-byte hashes. */
static int read_buffer(PyObject *obj, Py_buffer *view, int writable, int hashes, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        PyErr_Format(PyExc_TypeError, "%s must be a C-contiguous%s buffer", name, writable ? " writable" : "");
        return -1;
    }
    if (hashes && view->len % 32) {
        PyErr_Format(PyExc_ValueError, "%s must hold whole 32-byte hashes", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int check_radius(int radius) {
    if (radius < 0 || radius >= 48) {
        PyErr_SetString(PyExc_ValueError, "radius must be between 0 and 47");
        return -1;
    }
    return 0;
}

static PyObject *matches_bytes(int status, Matches *found) {
    PyObject *result = status < 0 ? PyErr_NoMemory()
                     : PyBytes_FromStringAndSize((const char *)found->triples, found->used * (Py_ssize_t)sizeof(int32_t));
    free(found->triples);
    return result;
}

static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *bank_obj, *queries_obj;
    int radius;
    Py_ssize_t first, last;
    Py_buffer bank, queries;
    (void)self;
    if (!PyArg_ParseTuple(args, "OOinn", &bank_obj, &queries_obj, &radius, &first, &last)) return NULL;
    if (check_radius(radius) < 0 || read_buffer(bank_obj, &bank, 0, 1, "bank") < 0) return NULL;
    if (read_buffer(queries_obj, &queries, 0, 1, "queries") < 0) { PyBuffer_Release(&bank); return NULL; }
    PyObject *result = NULL;
    if (first < 0 || first > last || last > bank.len / 32) {
        PyErr_SetString(PyExc_ValueError, "bank row range out of bounds");
    } else {
        Matches found = {NULL, 0, 0};
        int status;
        Py_BEGIN_ALLOW_THREADS
        status = scan_rows(bank.buf, first, last, queries.buf, queries.len / 32, radius, &found);
        Py_END_ALLOW_THREADS
        result = matches_bytes(status, &found);
    }
    PyBuffer_Release(&queries);
    PyBuffer_Release(&bank);
    return result;
}

static PyObject *table_sizes(PyObject *self, PyObject *args) {
    Py_ssize_t nq;
    int radius;
    uint16_t masks[MAX_PROBES];
    (void)self;
    if (!PyArg_ParseTuple(args, "ni", &nq, &radius) || check_radius(radius) < 0) return NULL;
    if (nq < 0 || nq > MAX_BATCH) {
        PyErr_Format(PyExc_ValueError, "a query batch holds at most %d hashes", MAX_BATCH);
        return NULL;
    }
    return Py_BuildValue("nn", (Py_ssize_t)CHUNKS * (BUCKETS + 1) * 4,
                         entries_bytes(nq, probe_masks(radius / 16, masks)));
}

/* Check that the query tables have the sizes `table_sizes` gives for this batch and radius. */
static int tables_agree(Py_ssize_t nq, int radius, const Py_buffer *offsets, const Py_buffer *entries) {
    uint16_t masks[MAX_PROBES];
    if (nq > MAX_BATCH || offsets->len != (Py_ssize_t)CHUNKS * (BUCKETS + 1) * 4
        || entries->len != entries_bytes(nq, probe_masks(radius / 16, masks))) {
        PyErr_SetString(PyExc_ValueError, "query tables do not agree with the batch and radius (see table_sizes)");
        return 0;
    }
    return 1;
}

static PyObject *index_queries(PyObject *self, PyObject *args) {
    PyObject *queries_obj, *offsets_obj, *entries_obj;
    int radius, first_chunk = 0, last_chunk = CHUNKS;
    Py_buffer queries, offsets, entries;
    (void)self;
    if (!PyArg_ParseTuple(args, "OiOO|ii", &queries_obj, &radius, &offsets_obj, &entries_obj, &first_chunk,
                          &last_chunk))
        return NULL;
    if (first_chunk < 0 || first_chunk > last_chunk || last_chunk > CHUNKS) {
        PyErr_SetString(PyExc_ValueError, "chunk range out of bounds");
        return NULL;
    }
    if (check_radius(radius) < 0 || read_buffer(queries_obj, &queries, 0, 1, "queries") < 0) return NULL;
    if (read_buffer(offsets_obj, &offsets, 1, 0, "offsets") < 0) { PyBuffer_Release(&queries); return NULL; }
    if (read_buffer(entries_obj, &entries, 1, 0, "entries") < 0) {
        PyBuffer_Release(&offsets);
        PyBuffer_Release(&queries);
        return NULL;
    }
    int ok = tables_agree(queries.len / 32, radius, &offsets, &entries);
    if (ok) {
        Py_BEGIN_ALLOW_THREADS
        build_query_tables(queries.buf, queries.len / 32, radius, offsets.buf, entries.buf, first_chunk, last_chunk);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&entries);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&queries);
    if (!ok) return NULL;
    Py_RETURN_NONE;
}

static PyObject *join(PyObject *self, PyObject *args) {
    PyObject *bank_obj, *queries_obj, *offsets_obj, *entries_obj;
    int radius;
    Py_ssize_t first, last;
    Py_buffer views[4];
    (void)self;
    if (!PyArg_ParseTuple(args, "OOiOOnn", &bank_obj, &queries_obj, &radius, &offsets_obj, &entries_obj, &first,
                          &last))
        return NULL;
    if (check_radius(radius) < 0) return NULL;
    PyObject *objs[4] = {bank_obj, queries_obj, offsets_obj, entries_obj};
    static const char *names[4] = {"bank", "queries", "offsets", "entries"};
    for (int k = 0; k < 4; k++) {
        if (read_buffer(objs[k], &views[k], 0, k < 2, names[k]) < 0) {
            while (k--) PyBuffer_Release(&views[k]);
            return NULL;
        }
    }
    PyObject *result = NULL;
    Py_ssize_t nq = views[1].len / 32;
    if (first < 0 || first > last || last > views[0].len / 32) {
        PyErr_SetString(PyExc_ValueError, "bank row range out of bounds");
    } else if (tables_agree(nq, radius, &views[2], &views[3])) {
        Matches found = {NULL, 0, 0};
        int status;
        Py_BEGIN_ALLOW_THREADS
        status = join_rows(views[0].buf, first, last, views[1].buf, nq, radius, views[2].buf, views[3].buf, &found);
        Py_END_ALLOW_THREADS
        result = matches_bytes(status, &found);
    }
    for (int k = 0; k < 4; k++) PyBuffer_Release(&views[k]);
    return result;
}

static int by_query_distance_row(const void *a, const void *b) {
    const int32_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    if (x[2] != y[2]) return x[2] < y[2] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static PyObject *ordered(PyObject *self, PyObject *arg) {
    Py_buffer view;
    (void)self;
    if (PyObject_GetBuffer(arg, &view, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (view.len % 12) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "matches must be whole int32 triples");
        return NULL;
    }
    PyObject *result = PyBytes_FromStringAndSize(view.buf, view.len);
    PyBuffer_Release(&view);
    if (result) {
        Py_BEGIN_ALLOW_THREADS
        qsort(PyBytes_AS_STRING(result), (size_t)PyBytes_GET_SIZE(result) / 12, 12, by_query_distance_row);
        Py_END_ALLOW_THREADS
    }
    return result;
}

static PyObject *wide_scan_in_use(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    return PyBool_FromLong(wide_scan);
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS,
     "scan(bank, queries, radius, first, last) -> bytes of int32 (query, bank row, distance) triples: every "
     "query against bank rows first..last-1."},
    {"table_sizes", table_sizes, METH_VARARGS,
     "table_sizes(n_queries, radius) -> (offsets bytes, entries bytes) of the query tables for a batch."},
    {"index_queries", index_queries, METH_VARARGS,
     "index_queries(queries, radius, offsets, entries[, first_chunk, last_chunk]): fill the query tables "
     "(writable buffers sized by table_sizes), or those of chunks first_chunk..last_chunk-1."},
    {"join", join, METH_VARARGS,
     "join(bank, queries, radius, offsets, entries, first, last) -> bytes of int32 triples: bank rows "
     "first..last-1 through the query tables."},
    {"ordered", ordered, METH_O, "ordered(triples) -> the triples sorted by query, distance, bank row."},
    {"wide_scan", wide_scan_in_use, METH_NOARGS, "wide_scan() -> whether scans use AVX-512 (VPOPCNTDQ)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_multiindex", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__multiindex(void) {
#if SIMD_SLOTS
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("ssse3") || !__builtin_cpu_supports("popcnt")) {
        PyErr_SetString(PyExc_ImportError, "this CPU lacks SSSE3 or POPCNT, which the compiled bank search needs");
        return NULL;
    }
    const char *narrow = getenv("CIVICSHIELD_PDQ_NO_AVX512");
    wide_scan = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")
                && !(narrow && *narrow && strcmp(narrow, "0") != 0);
#endif
    return PyModule_Create(&module);
}
