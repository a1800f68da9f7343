#ifndef WORKBOOK_CMALLOCTUNING_H
#define WORKBOOK_CMALLOCTUNING_H

/// glibc's malloc gives the free top of a heap back to the kernel (madvise/munmap) once it exceeds
/// the trim threshold, whose dynamic default follows the largest recent mmap'd chunk and stays
/// small. A server that frees a request's buffers and then mallocs them again for the next one
/// then pays a page fault for every page, every request. Pinning the thresholds keeps that memory
/// for reuse; blocks at or above `mmap_threshold` still come straight from mmap and go back on
/// free. Returns 1 when glibc took both settings, 0 otherwise (and on platforms without mallopt).
int workbook_tune_malloc(int trim_threshold, int mmap_threshold);

#endif
