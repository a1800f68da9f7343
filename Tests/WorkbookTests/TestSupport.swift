import Foundation
import XCTest

/// True when running in CI, where missing fixtures and tools fail instead of skipping.
var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

/// A test precondition that is missing in CI (where a skip would hide it).
struct MissingInCI: Error, CustomStringConvertible {
    let description: String
}

/// Skips locally, fails in CI (`CI=true`): for fixtures and tools a fresh clone may lack.
func skipOrFail(_ reason: String) -> any Error {
    isCI ? MissingInCI(description: "\(reason) (CI=true, so this is a failure, not a skip)") : XCTSkip(reason)
}

/// The repository root: this file lives at `<root>/Tests/WorkbookTests/TestSupport.swift`.
func repoRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// `<root>/../shared` (design docs and seeds); absent in a user's fresh clone.
func sharedDir() throws -> URL {
    let dir = repoRoot().deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
        throw skipOrFail("../shared is absent: \(dir.path) (it exists in CI and the team checkout only)")
    }
    return dir
}

/// Runs a program to completion, capturing stdout and stderr through temporary files (no pipe deadlock).
func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil)
    throws -> (status: Int32, out: String, err: String) {
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("wb-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: tmp) }
    let outURL = tmp.appendingPathComponent("out"), errURL = tmp.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try out.close(); try err.close()
    return (process.terminationStatus,
            String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// Whether `python3` with the `jsonschema` module is available (probed once).
let pythonWithJSONSchema: Bool = {
    guard let probe = try? runProcess("/usr/bin/env", ["python3", "-c", "import jsonschema"]) else { return false }
    return probe.status == 0
}()

/// Runs `python3 -c script args...`; skips (fails in CI) when python3 or jsonschema is missing.
func runPython(_ script: String, args: [String]) throws -> (status: Int32, out: String, err: String) {
    guard pythonWithJSONSchema else {
        throw skipOrFail("python3 with the jsonschema module is not available (pip install jsonschema)")
    }
    return try runProcess("/usr/bin/env", ["python3", "-c", script] + args)
}
