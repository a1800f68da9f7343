import TestSupport
import Foundation

/// Seeds and deterministic mutations for the fuzz replay and the stream fuzzer (libFuzzer brings
/// its own mutator; this one lets `swift test` run a seeded batch without it).
struct FuzzMutator {
    private var rng: SeededRandom
    let seeds: [[UInt8]]

    /// Tokens worth splicing in: JSON structure, our keys and methods, framing, awkward numbers and bytes.
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800", "\\udc00", "null", "true", "-0", "1e999",
        "9223372036854775808", "\"id\":", "\"jsonrpc\":\"2.0\"", "\"method\":", "\"params\":", "\"promptId\":",
        "\"text\":", "\"expectedRevision\":", "\"passId\":", "\"items\":", "\"document\":", "\"answers.save\"",
        "\"answers.saveMany\"", "\"import\"", "\"search\"", "\"subscribe\"", "\"fts5\"", "\n", "\r\n", "\r\n\r\n",
        "Content-Length: ", "Content-Length: 0\r\n\r\n", "Content-Length: 18446744073709551616\r\n\r\n",
        String(repeating: "[", count: 65), String(repeating: "{\"a\":", count: 65),
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]

    init(seed: UInt64, seeds: [[UInt8]]) {
        rng = SeededRandom(seed: seed)
        self.seeds = seeds.isEmpty ? [Array("{}".utf8)] : seeds
    }

    /// A number in 0..<n.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int.random(in: 0..<n, using: &rng) }

    /// A seed with 1–6 mutations, or (1 in 16) random bytes.
    mutating func next() -> [UInt8] {
        if below(16) == 0 { return (0..<below(300)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        var bytes = seeds[below(seeds.count)]
        for _ in 0...below(6) { mutate(&bytes) }
        return bytes
    }

    /// One mutation in place.
    mutating func mutate(_ bytes: inout [UInt8]) {
        let at = below(bytes.count + 1)
        switch below(9) {
        case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
        case 1 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8.random(in: 0...255, using: &rng)
        case 2: bytes.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
        case 3 where !bytes.isEmpty:
            let end = min(bytes.count, at + 1 + below(16))
            bytes.removeSubrange(min(at, bytes.count - 1)..<end)
        case 4 where !bytes.isEmpty:
            let start = below(bytes.count), end = min(bytes.count, start + 1 + below(64))
            bytes.insert(contentsOf: bytes[start..<end], at: at)
        case 5: bytes = Array(bytes.prefix(at))
        case 6:
            let other = seeds[below(seeds.count)]
            bytes = Array(bytes.prefix(at)) + Array(other.suffix(below(other.count + 1)))
        case 7:
            // A number somewhere becomes an awkward one.
            if let digit = bytes.indices.first(where: { $0 >= at && (48...57).contains(bytes[$0]) }) {
                let choices = ["0", "-1", "1.5", "2147483648", "9223372036854775807", "99999999999999999999", "1e2"]
                bytes.replaceSubrange(digit...digit, with: Array(choices[below(choices.count)].utf8))
            }
        default:
            bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
        }
    }
}

/// Where the committed corpus lives, found from this file's path.
enum FuzzCorpus {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")
    }

    /// Every file of `corpus/` and `regressions/`, sorted by name.
    static func load() -> [(name: String, bytes: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for sub in ["corpus", "regressions"] {
            let dir = directory.appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                if let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) {
                    out.append(("\(sub)/\(name)", Array(data)))
                }
            }
        }
        return out
    }
}
