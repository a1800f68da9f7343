import Foundation

/// Compares replies as JSON values. In `expected`, an error object's `message` and `data` may be
/// omitted (then they are not compared), and a result of `"*"` accepts any result.
public enum JSONMatch {
    /// Parses JSON text (fragments allowed).
    public static func parse(_ text: some Collection<UInt8>) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed])
    }

    /// True when `actual` matches `expected` under the rules above.
    public static func matches(actual: some Collection<UInt8>, expected: String) -> Bool {
        guard let a = parse(actual), let e = parse(Array(expected.utf8)) else { return false }
        return equal(normalize(a, like: e), e)
    }

    private static func normalize(_ actual: Any, like expected: Any) -> Any {
        if let list = actual as? [Any], let model = expected as? [Any], list.count == model.count {
            return zip(list, model).map { normalize($0, like: $1) }
        }
        guard var object = actual as? [String: Any], let model = expected as? [String: Any] else { return actual }
        if (model["result"] as? String) == "*", object["result"] != nil { object["result"] = "*" }
        if var error = object["error"] as? [String: Any], let modelError = model["error"] as? [String: Any] {
            if modelError["message"] == nil { error.removeValue(forKey: "message") }
            if modelError["data"] == nil { error.removeValue(forKey: "data") }
            object["error"] = error
        }
        return object
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        (a as? NSObject)?.isEqual(b as? NSObject) ?? false
    }
}
