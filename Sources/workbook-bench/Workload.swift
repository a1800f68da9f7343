import Workbook

/// The requests the load client sends: a weighted mix of methods, each request built straight
/// into the connection's output buffer (no per-request allocation beyond the buffer's growth).
struct Workload: Sendable {
    /// A method the tool knows how to call.
    enum Kind: String, CaseIterable, Sendable {
        case ping = "server.ping"
        case progress = "progress.get"
        case prompts = "prompts.get"
        case save = "answers.save"
        case saveMany = "answers.saveMany"
        case search = "search"
    }

    /// The kinds in the order requests are issued (weights expanded, then interleaved).
    let sequence: [Kind]
    /// Items per `answers.saveMany` request.
    let itemsPerSaveMany: Int
    let promptIds: [[UInt8]]
    let searchWords: [[UInt8]]
    /// Differs between runs, so a save never repeats an earlier run's text (an identical save is a no-op).
    let nonce = Int(nowNanos() % 1_000_000_007)

    /// Words that occur in generated and benchmark answers (generator and search share them).
    static let words = ["solidarity", "neighbours", "organise", "mutual", "care", "listen", "meeting", "tenants",
                        "union", "power", "trust", "shared", "struggle", "community", "practice", "kitchen",
                        "rent", "strike", "garden", "childcare", "assembly", "repair", "commons", "patience"]

    /// Parses `server.ping=3,progress.get=1` (weights) or a single method name.
    init(mix: String, itemsPerSaveMany: Int = 100, catalog: WorkbookCatalog = .standard) throws {
        var weighted: [(Kind, Int)] = []
        for part in mix.split(separator: ",") {
            let pieces = part.split(separator: "=")
            guard let kind = Kind(rawValue: String(pieces[0])) else {
                throw BenchError("unknown method \(pieces[0]); known: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            weighted.append((kind, pieces.count > 1 ? Int(pieces[1]) ?? 1 : 1))
        }
        guard !weighted.isEmpty else { throw BenchError("empty --mix") }
        // Interleave (smooth weighted round robin) so a mix is not issued in long runs of one method.
        var seq: [Kind] = []
        var current = weighted.map { _ in 0 }
        let total = weighted.reduce(0) { $0 + $1.1 }
        for _ in 0..<total {
            for i in weighted.indices { current[i] += weighted[i].1 }
            let best = current.indices.max { current[$0] < current[$1] }!
            current[best] -= total
            seq.append(weighted[best].0)
        }
        sequence = seq
        self.itemsPerSaveMany = itemsPerSaveMany
        promptIds = catalog.prompts(in: catalog.defaultWorkbookId).map { Array($0.prompt.id.utf8) }
        searchWords = Self.words.map { Array($0.utf8) }
    }

    /// Appends request number `seq` (id `seq`) of connection `conn` as one NDJSON line.
    func append(_ kind: Kind, seq: Int, conn: Int, into out: inout [UInt8]) {
        out += #"{"jsonrpc":"2.0","id":"#.utf8
        appendInt(seq, &out)
        out += #","method":""#.utf8
        out += kind.rawValue.utf8
        out.append(UInt8(ascii: "\""))
        switch kind {
        case .ping, .progress:
            break
        case .prompts:
            out += #","params":{"promptId":""#.utf8
            out += promptIds[seq % promptIds.count]
            out += #""}"#.utf8
        case .search:
            out += #","params":{"query":""#.utf8
            out += searchWords[seq % searchWords.count]
            out += #""}"#.utf8
        case .save:
            out += #","params":"#.utf8
            appendSave(seq: seq, conn: conn, item: 0, &out)
        case .saveMany:
            out += #","params":{"items":["#.utf8
            for i in 0..<itemsPerSaveMany {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendSave(seq: seq &* itemsPerSaveMany &+ i, conn: conn, item: i, &out)
            }
            out += "]}".utf8
        }
        out += "}\n".utf8
    }

    /// A save whose text is unique (so every one appends a revision), about 12 words.
    private func appendSave(seq: Int, conn: Int, item: Int, _ out: inout [UInt8]) {
        out += #"{"promptId":""#.utf8
        out += promptIds[seq % promptIds.count]
        out += #"","text":"bench r"#.utf8
        appendInt(nonce, &out)
        out += " c".utf8
        appendInt(conn, &out)
        out += " n".utf8
        appendInt(seq, &out)
        out.append(UInt8(ascii: " "))
        for w in 0..<8 {
            out += searchWords[(seq &+ w &* 7) % searchWords.count]
            out.append(UInt8(ascii: " "))
        }
        out += #"end"}"#.utf8
    }

    @inline(__always) private func appendInt(_ v: Int, _ out: inout [UInt8]) {
        if v == 0 { out.append(UInt8(ascii: "0")); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = v, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 { d[count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }
}

/// A usage or setup failure.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
