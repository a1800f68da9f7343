#include "CMallocTuning.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int workbook_tune_malloc(void) {
    return mallopt(M_TRIM_THRESHOLD, WORKBOOK_MALLOC_TRIM_THRESHOLD) == 1
        && mallopt(M_MMAP_THRESHOLD, WORKBOOK_MALLOC_MMAP_THRESHOLD) == 1;
}
#else
int workbook_tune_malloc(void) {
    return 0;
}
#endif
