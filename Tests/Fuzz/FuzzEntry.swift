// The libFuzzer entry point (scripts/fuzz.sh builds it with -sanitize=fuzzer,address together with
// Tests/ReliabilityTests/FuzzHarness.swift). A broken invariant aborts, so libFuzzer keeps the input.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var harness: FuzzHarness? = nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if harness == nil { harness = try! FuzzHarness() }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try harness!.run(bytes)
    } catch {
        print("FUZZ FINDING: \(error)")
        abort()
    }
    return 0
}
