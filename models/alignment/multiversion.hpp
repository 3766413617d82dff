#pragma once
// Function multiversioning for the alignment model's element-wise loops (docs/performance.md).
//
// On x86-64 a function marked ALIGNSIM_AVX2_CLONES is compiled twice, for AVX2 and for the
// portable baseline (SSE2), and the loader picks one for the machine (GCC/Clang
// target_clones). The loops it is used on are written as plain element-wise arithmetic in a
// fixed order; AVX2 does not bring FMA, so both clones perform the same IEEE operations and
// give the same bits. A -march build that already has AVX2 needs no clones; the clones need
// the ELF loader's ifunc (Linux/glibc); -DALIGNSIM_NO_MULTIVERSIONING compiles the baseline only
// (how the baseline's bits are checked against the AVX2 clones' on an AVX2 machine).
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && !defined(__AVX2__) && \
    !defined(ALIGNSIM_NO_MULTIVERSIONING)
#define ALIGNSIM_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ALIGNSIM_AVX2_CLONES
#endif
