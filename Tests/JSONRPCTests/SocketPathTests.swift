import Foundation
import NIOCore
import NIOEmbedded
import TestSupport
import XCTest
@testable import JSONRPC

/// The socket directory's checks and the over-the-limit refusal, without a server process.
final class SocketPathTests: XCTestCase {
    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    func testDefaultPathsFollowXDGRuntimeDirThenTMPDIRThenTmp() {
        XCTAssertEqual(SocketPath.defaultPath(environment: ["XDG_RUNTIME_DIR": "/run/user/7"]), "/run/user/7/workbook/workbook.sock")
        XCTAssertEqual(SocketPath.defaultPath(environment: ["TMPDIR": "/var/tmp/"]), "/var/tmp/workbook-\(getuid())/workbook.sock")
        XCTAssertEqual(SocketPath.defaultPath(environment: [:]), "/tmp/workbook-\(getuid())/workbook.sock")
        XCTAssertEqual(SocketPath.defaultPath(environment: ["WORKBOOK_SOCKET": "/x/y.sock", "XDG_RUNTIME_DIR": "/r"]), "/x/y.sock")
    }

    func testALooseDefaultDirectoryWeOwnIsSetTo0700() throws {
        let dir = TempDir()
        let env = ["XDG_RUNTIME_DIR": dir.path]
        try FileManager.default.createDirectory(atPath: dir.file("workbook"), withIntermediateDirectories: false)
        chmod(dir.file("workbook"), 0o750)
        let note = try SocketPath.prepare(dir.file("workbook/workbook.sock"), environment: env)
        XCTAssertEqual(mode(dir.file("workbook")), 0o700)
        XCTAssertEqual(note, "\(dir.file("workbook")) was mode 0750; set it to 0700")
    }

    func testAPrivateDefaultDirectoryIsLeftAloneWithoutANote() throws {
        let dir = TempDir()
        let note = try SocketPath.prepare(dir.file("workbook/workbook.sock"), environment: ["XDG_RUNTIME_DIR": dir.path])
        XCTAssertNil(note)
        XCTAssertEqual(mode(dir.file("workbook")), 0o700)
    }

    func testADirectoryChosenByTheUserKeepsItsModeButIsNoted() throws {
        // Given --socket in a directory of the user's own (say, their home), mode 0755
        let dir = TempDir()
        chmod(dir.path, 0o755)
        let note = try SocketPath.prepare(dir.file("wb.sock"), environment: [:])
        XCTAssertEqual(mode(dir.path), 0o755, "a directory the user chose is not changed")
        XCTAssertEqual(note, "\(dir.path) is mode 0755; the socket stays 0600 and only uid \(getuid()) is admitted")
    }

    func testADirectoryOfAnotherUserIsRefused() throws {
        guard getuid() == 0 else {
            if WorkbookBinary.isCI { XCTFail("CI runs as root") }
            throw XCTSkip("needs root to give a directory to another user")
        }
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("workbook"), withIntermediateDirectories: false)
        chown(dir.file("workbook"), 65534, 65534)
        chmod(dir.file("workbook"), 0o777)
        XCTAssertThrowsError(try SocketPath.prepare(dir.file("workbook/workbook.sock"), environment: ["XDG_RUNTIME_DIR": dir.path])) {
            XCTAssertEqual("\($0)", "\(dir.file("workbook")) belongs to another user (uid 65534); refusing to serve there")
        }
        XCTAssertEqual(mode(dir.file("workbook")), 0o777, "another user's directory is not touched")
    }

    private let busy = Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32002}}"#.utf8)

    private func refused(_ input: [UInt8]?, advance: Int64 = 0) throws -> (output: [UInt8], open: Bool) {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RefuseHandler(reply: busy, wait: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        if let input {
            var buffer = channel.allocator.buffer(capacity: input.count)
            buffer.writeBytes(input)
            try channel.writeInbound(buffer)
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(advance))
        var out: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += buffer.readableBytesView }
        return (out, channel.isActive)
    }

    func testTheRefusalComesInTheClientsFraming() throws {
        let headers = try refused(Array("Content-Length: 2\r\n\r\n{}".utf8))
        XCTAssertEqual(headers.output, Frames.header(busy))
        XCTAssertFalse(headers.open)
        let ndjson = try refused(Array("{\"jsonrpc\"".utf8))
        XCTAssertEqual(ndjson.output, Frames.ndjson(busy))
        XCTAssertFalse(ndjson.open)
    }

    func testAClientThatSendsNothingGetsNDJSONAfterTheWait() throws {
        let early = try refused(nil, advance: 4)
        XCTAssertEqual(early.output, [])
        XCTAssertTrue(early.open)
        let late = try refused(nil, advance: 5)
        XCTAssertEqual(late.output, Frames.ndjson(busy))
        XCTAssertFalse(late.open)
    }

    func testAHeaderNameSplitAcrossReadsIsWaitedFor() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RefuseHandler(reply: busy, wait: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for part in ["Content-Le", "ngth: 2\r\n\r\n{}"] {
            var buffer = channel.allocator.buffer(capacity: part.utf8.count)
            buffer.writeString(part)
            try channel.writeInbound(buffer)
            if part.hasPrefix("Content-Le") { XCTAssertNil(try channel.readOutbound(as: ByteBuffer.self)) }
        }
        XCTAssertEqual(try channel.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }, Frames.header(busy))
    }
}
