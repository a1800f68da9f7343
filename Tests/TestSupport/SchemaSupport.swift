import Foundation

/// A JSON value decoded for comparison: numbers as `Double`, objects unordered, booleans distinct from numbers.
public enum AnyJSON: Codable, Hashable, Sendable {
    /// null
    case null
    /// true / false
    case bool(Bool)
    /// Any number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([AnyJSON])
    /// An object (member order is not kept).
    case object([String: AnyJSON])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: AnyJSON].self)) }
    }

    /// Encodes the value as is.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses JSON text (any top-level value).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> AnyJSON {
        try JSONDecoder().decode(AnyJSON.self, from: Data(bytes))
    }

    /// Parses the JSON file at `path`.
    public static func load(_ path: String) throws -> AnyJSON {
        try parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The member `key` of an object (nil otherwise).
    public subscript(key: String) -> AnyJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    /// The elements, if this is an array.
    public var array: [AnyJSON]? { if case .array(let a) = self { return a }; return nil }
    /// The members, if this is an object.
    public var object: [String: AnyJSON]? { if case .object(let o) = self { return o }; return nil }

    /// Compact JSON text with sorted keys (for messages and subprocess input).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Compact JSON bytes with sorted keys.
    public var bytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("null".utf8))
    }
}

/// The placeholders of `schema/examples/*.json`: `"<any>"` (any value), `"<uuid>"` (a UUID-shaped
/// string) and `"<time>"` (an RFC 3339 time), standing for values that vary per run.
public enum Placeholders {
    /// The mismatches between `actual` and `expected` as "path: why" lines; empty when they match.
    public static func mismatches(actual: AnyJSON?, expected: AnyJSON, path: String = "$") -> [String] {
        guard let actual else { return ["\(path): missing, expected \(short(expected))"] }
        switch expected {
        case .string("<any>"):
            return []
        case .string("<uuid>"):
            return actual.string.map(isUUID) == true ? [] : ["\(path): expected a UUID string, got \(short(actual))"]
        case .string("<time>"):
            return actual.string.map(isTime) == true ? [] : ["\(path): expected an RFC 3339 time, got \(short(actual))"]
        case .object(let e):
            guard case .object(let a) = actual else { return ["\(path): expected an object, got \(short(actual))"] }
            var out = Set(a.keys).subtracting(e.keys).sorted().map { "\(path).\($0): unexpected member \(short(a[$0]!))" }
            for key in e.keys.sorted() { out += mismatches(actual: a[key], expected: e[key]!, path: "\(path).\(key)") }
            return out
        case .array(let e):
            guard case .array(let a) = actual else { return ["\(path): expected an array, got \(short(actual))"] }
            guard a.count == e.count else { return ["\(path): expected \(e.count) elements, got \(a.count): \(short(actual))"] }
            return zip(a, e).enumerated().flatMap { mismatches(actual: $1.0, expected: $1.1, path: "\(path)[\($0)]") }
        default:
            return actual == expected ? [] : ["\(path): expected \(short(expected)), got \(short(actual))"]
        }
    }

    /// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits.
    public static func isUUID(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// True for an RFC 3339 date-time such as `2026-03-01T09:30:00.000Z` or `...+02:00`.
    public static func isTime(_ s: String) -> Bool {
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        return s.range(of: pattern, options: .regularExpression) != nil
    }

    private static func short(_ value: AnyJSON) -> String {
        let text = value.text
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

/// Splits a stream of concatenated JSON objects/arrays into message bodies, whatever whitespace or
/// newlines they hold (so a multi-line reply cannot garble the ones after it).
public enum JSONStream {
    /// The top-level values of `bytes`, in order (text outside objects and arrays is skipped).
    public static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var depth = 0, start = 0, inString = false, escaped = false
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = i }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { out.append(Array(bytes[start...i])) }
            default: break
            }
        }
        return out
    }
}

/// One instance for `JSONSchemaRunner.validate`: `kind` is `JSONRPCRequest` or `JSONRPCResponse` (the
/// JSON-RPC meta-schema) or `schema` (`schema`, whose `#/components/...` refs resolve in the OpenRPC document).
public struct SchemaItem: Encodable, Sendable {
    /// Names the instance in failure messages.
    public var label: String
    /// Which schema applies.
    public var kind: String
    /// The schema, for `kind == "schema"`.
    public var schema: AnyJSON?
    /// The value checked; placeholders are replaced by a valid UUID / time, and `"<any>"` is not checked.
    public var instance: AnyJSON

    /// Creates an item.
    public init(label: String, kind: String, schema: AnyJSON? = nil, instance: AnyJSON) {
        self.label = label; self.kind = kind; self.schema = schema; self.instance = instance
    }
}

/// What a test does about the schema tools: run them, skip (missing locally), or fail (missing in CI).
public enum SchemaToolCheck: Sendable {
    /// Everything is there.
    case ready(JSONSchemaRunner)
    /// Missing, outside CI: skip with this reason.
    case skip(String)
    /// Missing while `CI=true`: fail with this reason.
    case fail(String)
}

/// JSON Schema validation through `python3` with the `jsonschema` package, using only the local copies
/// of the meta-schemas in `<repo>/../shared/schemas` (never the network).
public struct JSONSchemaRunner: Sendable {
    /// The python3 executable.
    public let python: String
    /// The directory holding openrpc-, json-schema-tools- and jsonrpc-meta-schema.json.
    public let schemasDirectory: String

    /// Finds python3, jsonschema and the shared schemas; missing ones skip locally and fail when `CI=true`.
    public static func check(repo: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> SchemaToolCheck {
        let ci = environment["CI"] == "true"
        func missing(_ why: String) -> SchemaToolCheck {
            ci ? .fail(why + " (required when CI=true)") : .skip(why + "; set CI=true to make this a failure")
        }
        let schemas = repo.deletingLastPathComponent().appendingPathComponent("shared/schemas").path
        for name in ["openrpc-meta-schema.json", "json-schema-tools-meta-schema.json", "jsonrpc-meta-schema.json"]
        where !FileManager.default.fileExists(atPath: schemas + "/" + name) {
            return missing("\(schemas)/\(name) is absent")
        }
        guard let python = Run.which("python3") else { return missing("python3 is not on PATH") }
        let probe = try? Run.command(python, ["-c", "import jsonschema"])
        guard probe?.status == 0 else { return missing("python3 cannot import jsonschema (pip install jsonschema)") }
        return .ready(JSONSchemaRunner(python: python, schemasDirectory: schemas))
    }

    /// Validates an OpenRPC document against the meta-schema (its `openrpc` enum patched to `^1\.\d+\.\d+$`).
    public func validateOpenRPC(_ document: AnyJSON) throws -> [String] {
        try run(.object(["task": .string("openrpc"), "document": document, "schemasDirectory": .string(schemasDirectory)]))
    }

    /// Validates each item; returns "label: error" lines (empty when all are valid).
    public func validate(_ items: [SchemaItem], document: AnyJSON) throws -> [String] {
        let encodedItems = try AnyJSON.parse(Array(try JSONEncoder().encode(items)))
        return try run(.object(["task": .string("instances"), "document": document, "items": encodedItems,
                                "schemasDirectory": .string(schemasDirectory)]))
    }

    private func run(_ job: AnyJSON) throws -> [String] {
        let result = try Run.command(python, ["-c", Self.script], input: job.bytes)
        guard result.status == 0, case .array(let reports)? = try? AnyJSON.parse(result.stdout) else {
            return ["python3 failed (status \(result.status)): \(result.stderr.suffix(2000))"]
        }
        return reports.flatMap { report -> [String] in
            let label = report["label"]?.string ?? "?"
            return (report["errors"]?.array ?? []).map { "\(label): \($0.string ?? $0.text)" }
        }
    }

    /// The validator: reads a job on stdin, prints `[{label, errors}]`.
    static let script = #"""
import json, os, sys, warnings
warnings.simplefilter("ignore")
import jsonschema
from jsonschema import Draft7Validator

job = json.load(sys.stdin)
shared = job["schemasDirectory"]
def load(name):
    with open(os.path.join(shared, name), encoding="utf-8") as f:
        return json.load(f)

tools = load("json-schema-tools-meta-schema.json")
store = {"https://meta.json-schema.tools": tools, "https://meta.json-schema.tools/": tools}

def validator(schema):
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
        registry = Registry().with_resources([(uri, Resource(contents=s, specification=DRAFT7)) for uri, s in store.items()])
        return Draft7Validator(schema, registry=registry)
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return Draft7Validator(schema, resolver=resolver)

UUID, TIME = "00000000-0000-4000-8000-000000000000", "2000-01-01T00:00:00.000Z"
def substitute(value, path, anys):
    if isinstance(value, dict):
        return {k: substitute(v, path + [k], anys) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, path + [i], anys) for i, v in enumerate(value)]
    if value == "<uuid>": return UUID
    if value == "<time>": return TIME
    if value == "<any>": anys.append(path)
    return value

def errors(schema, instance):
    anys = []
    instance = substitute(instance, [], anys)
    out = []
    for e in validator(schema).iter_errors(instance):
        path = list(e.absolute_path)
        if any(path[:len(a)] == a for a in anys):
            continue
        out.append("at /" + "/".join(str(p) for p in path) + ": " + e.message[:300])
    return out

result = []
if job["task"] == "openrpc":
    meta = load("openrpc-meta-schema.json")
    meta["properties"]["openrpc"] = {"title": "openrpc", "type": "string", "pattern": "^1\\.\\d+\\.\\d+$"}
    result = [{"label": "openrpc.json", "errors": errors(meta, job["document"])}]
else:
    rpc = load("jsonrpc-meta-schema.json")
    components = job["document"].get("components", {})
    for item in job["items"]:
        if item["kind"] in ("JSONRPCRequest", "JSONRPCResponse"):
            schema = {"$ref": "#/definitions/" + item["kind"], "definitions": rpc["definitions"]}
        else:
            schema = {"allOf": [item["schema"]], "components": components}
        result.append({"label": item["label"], "errors": errors(schema, item["instance"])})
json.dump(result, sys.stdout)
"""#
}
