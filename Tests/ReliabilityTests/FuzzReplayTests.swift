import Foundation
import GRDB
import XCTest

/// Issue #6, area 2 (in memory): the committed corpus and regressions, then a seeded batch of mutated
/// and random inputs, through the same harness libFuzzer runs (scripts/fuzz.sh).
/// `WORKBOOK_FUZZ_INPUTS` (default 4000) sets the batch size.
final class FuzzReplayTests: XCTestCase {
    func testCorpusAndSeededInputsKeepEveryInvariant() throws {
        let harness = try FuzzHarness()
        let corpus = FuzzCorpus.load()
        XCTAssertGreaterThan(corpus.count, 40, "the seed corpus is missing")
        var slowest = 0.0, messages = 0
        for (name, bytes) in corpus {
            let start = Date()
            do { messages += try harness.run(bytes).messages } catch { XCTFail("\(name): \(error)") }
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        let count = Knob.int("WORKBOOK_FUZZ_INPUTS", 4000)
        let seed = Knob.seed
        var mutator = FuzzMutator(seed: seed, seeds: corpus.map(\.bytes))
        var findings = 0
        for n in 0..<count {
            let input = mutator.next()
            let start = Date()
            do { messages += try harness.run(input).messages } catch {
                findings += 1
                if findings <= 5 { XCTFail("seed \(seed) input \(n): \(error)") }
            }
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        XCTAssertEqual(findings, 0)
        XCTAssertLessThan(slowest, 5, "an input took \(slowest) s: a hang in the making")
        // And the store behind it is intact and still answers
        let check = try harness.app.store.writer.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, ["ok"])
        XCTAssertEqual(try harness.run(Array(#"{"jsonrpc":"2.0","id":1,"method":"server.ping"}"#.utf8)).replies, 2)
        report("fuzz-replay: seed=\(seed) corpus=\(corpus.count) inputs=\(count) messages=\(messages) findings=\(findings) slowest=\(String(format: "%.3f", slowest))s")
    }
}
