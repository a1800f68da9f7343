import Foundation

/// Small hand-written pack documents for validator, schema and loader tests.
enum PackFixtures {
    /// A valid pack with one section holding a context, a lead prompt and a sub-question.
    static func valid(id: String = "extra", prefix: String = "extra") -> String {
        """
        {"id": "\(id)", "version": "0.2.0-beta.1", "title": "Extra", "summary": "A test pack.", "language": "en-GB",
         "attribution": {"title": "Someone"},
         "items": [{"id": "\(prefix).part", "kind": "section", "title": "Part", "text": "", "items": [
           {"id": "\(prefix).frame", "kind": "context", "text": "Some *framing*."},
           {"id": "\(prefix).lead", "kind": "prompt", "text": "Why?", "guidance": "Think.",
            "contextIds": ["\(prefix).frame"]},
           {"id": "\(prefix).lead.sub", "kind": "prompt", "text": "How?", "leadPromptId": "\(prefix).lead"}
         ]}]}
        """
    }

    /// `valid()` with its first prompt replaced by `prompt` (a JSON object text).
    static func withPrompt(_ prompt: String) -> String {
        """
        {"id": "extra", "version": "1.0.0", "title": "Extra", "summary": "", "language": "en",
         "items": [{"id": "part", "kind": "section", "title": "Part", "text": "", "items": [
           {"id": "frame", "kind": "context", "text": "Framing."}, \(prompt)]}]}
        """
    }

    /// Documents the JSON Schema and PackValidator must both reject, with what is wrong.
    static let invalidForBoth: [(name: String, json: String)] = [
        ("missing version", #"{"id": "x", "title": "X", "summary": "", "language": "en", "items": [{"id": "a", "kind": "context", "text": "t"}]}"#),
        ("bad nested slug", withPrompt(#"{"id": "Bad Id", "kind": "prompt", "text": "Q?"}"#)),
        ("version not semver", #"{"id": "x", "version": "1.0", "title": "X", "summary": "", "language": "en", "items": [{"id": "a", "kind": "context", "text": "t"}]}"#),
        ("unknown kind", withPrompt(#"{"id": "q", "kind": "question", "text": "Q?"}"#)),
        ("section without items", withPrompt(#"{"id": "s", "kind": "section", "title": "S", "text": ""}"#)),
        ("prompt with items", withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "items": [{"id": "c", "kind": "context", "text": "t"}]}"#)),
        ("blank prompt text", withPrompt(#"{"id": "q", "kind": "prompt", "text": "  "}"#)),
        ("unknown item field", withPrompt(#"{"id": "q", "kind": "prompt", "text": "Q?", "hint": "h"}"#)),
        ("unknown pack field", #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "extra": 1, "items": [{"id": "a", "kind": "context", "text": "t"}]}"#),
        ("empty items", #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "items": []}"#),
        ("attribution without title", #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "attribution": {"source": "s"}, "items": [{"id": "a", "kind": "context", "text": "t"}]}"#),
        ("contextIds on a context", #"{"id": "x", "version": "1.0.0", "title": "X", "summary": "", "language": "en", "items": [{"id": "a", "kind": "context", "text": "t", "contextIds": ["a"]}]}"#),
        ("section without title", withPrompt(#"{"id": "s", "kind": "section", "text": "", "items": [{"id": "c", "kind": "context", "text": "t"}]}"#)),
        ("text not a string", withPrompt(#"{"id": "q", "kind": "prompt", "text": 42}"#)),
        ("top level is an array", #"[{"id": "x"}]"#),
    ]
}
