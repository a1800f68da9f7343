#ifndef WORKBOOK_CMALLOCTUNING_H
#define WORKBOOK_CMALLOCTUNING_H

/// Freed heap an arena keeps before glibc gives it back to the kernel.
#define WORKBOOK_MALLOC_TRIM_THRESHOLD (16 << 20)
/// Blocks this large or larger are mmap'd and unmapped when freed (a 4 MiB message pins no heap).
#define WORKBOOK_MALLOC_MMAP_THRESHOLD (1 << 20)

/// glibc's malloc gives the free top of a heap back to the kernel (madvise/munmap) once it exceeds
/// the trim threshold, whose dynamic default follows the largest recent mmap'd chunk and stays
/// small. A server that frees a request's buffers and then mallocs them again for the next one
/// then pays a page fault for every page, every request. This pins both thresholds to the values
/// above (`workbook serve` and `workbook-bench` call it before starting any thread). Returns 1 when
/// glibc took both settings, 0 otherwise (and on platforms without mallopt).
int workbook_tune_malloc(void);

#endif
