import CMallocTuning
import XCTest

/// `workbook serve` pins glibc's trim and mmap thresholds (BENCHMARKS.md finding 18). The first
/// version of the C shim tested `__GLIBC__` before any header defined it and silently did nothing.
final class MallocTuningTests: XCTestCase {
    func testGlibcTakesBothThresholds() throws {
        #if os(Linux)
        // The values `serve` uses; setting them in the test process is harmless.
        XCTAssertEqual(workbook_tune_malloc(), 1, "mallopt was not called or refused a threshold")
        #else
        throw XCTSkip("mallopt is glibc's")
        #endif
    }
}
