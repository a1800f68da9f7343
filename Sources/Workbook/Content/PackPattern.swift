/// The string patterns of `schema/workbook-pack.schema.json`, matched by hand: Foundation's
/// `.regularExpression` loads ICU, which cost a one-shot CLI call (`workbook progress`) about a third of
/// its start-up. `ContentPackPatternTests` checks each matcher against the schema's regex.
enum PackPattern: CaseIterable {
    /// A lowercase slug: words of `a-z0-9` joined by `-`, optionally dotted (`who.relationships`).
    case slug
    /// Semantic Versioning 2.0.0.
    case semver
    /// A BCP 47 language tag, loosely: `en`, `en-GB`, `pt-BR`, `zh-Hant`.
    case language

    /// The schema's regular expression for this pattern.
    var regex: String {
        switch self {
        case .slug: #"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$"#
        case .semver:
            #"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"#
        case .language: #"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"#
        }
    }

    /// What a matching string is, for error messages.
    var what: String {
        switch self {
        case .slug: "a slug (lowercase words joined by - or .)"
        case .semver: "a semantic version (e.g. 1.0.0)"
        case .language: "a language tag (e.g. en)"
        }
    }

    /// True when the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        switch self {
        case .slug:
            return Self.parts(bytes, ".").allSatisfy { word in
                Self.parts(word, "-").allSatisfy { !$0.isEmpty && $0.allSatisfy(Self.isLowerAlnum) }
            }
        case .semver:
            var rest = bytes[...]
            var build: ArraySlice<UInt8>?, pre: ArraySlice<UInt8>?
            if let plus = rest.firstIndex(of: UInt8(ascii: "+")) { build = rest[(plus + 1)...]; rest = rest[..<plus] }
            if let dash = rest.firstIndex(of: UInt8(ascii: "-")) { pre = rest[(dash + 1)...]; rest = rest[..<dash] }
            let core = Self.parts(Array(rest), ".")
            guard core.count == 3, core.allSatisfy(Self.isNumericIdentifier) else { return false }
            return [pre, build].allSatisfy { ids in
                guard let ids else { return true }
                return Self.parts(Array(ids), ".").allSatisfy { !$0.isEmpty && $0.allSatisfy(Self.isIdentifierByte) }
            }
        case .language:
            let subtags = Self.parts(bytes, "-")
            guard let first = subtags.first, (2...3).contains(first.count), first.allSatisfy(Self.isLetter) else { return false }
            return subtags.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy(Self.isAlnum) }
        }
    }

    private static func parts(_ bytes: some Collection<UInt8>, _ separator: Unicode.Scalar) -> [Array<UInt8>.SubSequence] {
        bytes.split(separator: UInt8(ascii: separator), omittingEmptySubsequences: false)
    }

    private static func isNumericIdentifier(_ s: ArraySlice<UInt8>) -> Bool {
        !s.isEmpty && s.allSatisfy(isDigit) && (s.count == 1 || s.first != UInt8(ascii: "0"))
    }

    private static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
    private static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    private static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    private static func isLowerAlnum(_ b: UInt8) -> Bool { isDigit(b) || (0x61...0x7A).contains(b) }
    private static func isIdentifierByte(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "-") }
}
