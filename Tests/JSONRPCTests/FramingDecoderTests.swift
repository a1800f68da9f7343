import NIOCore
import NIOEmbedded
import NIOTestUtils
import TestSupport
import XCTest
@testable import JSONRPC

/// The framing decoders, checked at every split point with `ByteToMessageDecoderVerifier`.
final class FramingDecoderTests: XCTestCase {
    private func buffer(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
    private func message(_ s: String, _ framing: Framing) -> InboundFrame { .message(ByteBuffer(string: s), framing) }

    func testNDJSONAtEverySplitPoint() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (buffer("{\"a\":1}\n"), [message("{\"a\":1}", .ndjson)]),
                (buffer("{\"b\":2}\r\n\n  \n{\"c\":3}\n"), [message("{\"b\":2}", .ndjson), message("{\"c\":3}", .ndjson)]),
                (buffer("{\"é\":\"✓\"}\n"), [message("{\"é\":\"✓\"}", .ndjson)]),
            ],
            decoderFactory: { NDJSONFrameDecoder(maxBytes: 64) })
    }

    func testNDJSONOversizedLineIsDiscardedAndTheNextOneCounts() throws {
        let long = String(repeating: "x", count: 200)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(buffer(long + "\n{\"ok\":1}\n"), [.tooLarge(.ndjson), message("{\"ok\":1}", .ndjson)])],
            decoderFactory: { NDJSONFrameDecoder(maxBytes: 64) })
    }

    func testHeadersAtEverySplitPoint() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (buffer("Content-Length: 7\r\n\r\n{\"a\":1}"), [message("{\"a\":1}", .headers)]),
                (buffer("content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"b\":2}"),
                 [message("{\"b\":2}", .headers)]),
                (buffer("CONTENT-LENGTH:7\n\n{\"c\":3}"), [message("{\"c\":3}", .headers)]),
                // Content-Length counts bytes, not characters: "é" and "✓" are 2 and 3 bytes (9 characters, 12 bytes).
                (buffer("Content-Length: 12\r\n\r\n{\"é\":\"✓\"}"), [message("{\"é\":\"✓\"}", .headers)]),
            ],
            decoderFactory: { HeaderFrameDecoder(maxBytes: 64) })
    }

    func testHeadersOversizedBodyIsSkipped() throws {
        let long = String(repeating: "x", count: 100)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(buffer("Content-Length: 100\r\n\r\n\(long)Content-Length: 2\r\n\r\n{}"),
                                [.tooLarge(.headers), message("{}", .headers)])],
            decoderFactory: { HeaderFrameDecoder(maxBytes: 64) })
    }

    func testDetectorPicksTheFramingAtEverySplitPoint() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(buffer("Content-Length: 2\r\n\r\n{}Content-Length: 2\r\n\r\n[]"),
                                [message("{}", .headers), message("[]", .headers)])],
            decoderFactory: { FramingDetector(maxBytes: 64) })
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(buffer("{\"x\":\"a: b\"}\nnull\n1\n"),
                                [message("{\"x\":\"a: b\"}", .ndjson), message("null", .ndjson), message("1", .ndjson)])],
            decoderFactory: { FramingDetector(maxBytes: 64) })
    }

    func testSniffing() {
        func sniff(_ s: String, eof: Bool = false) -> Framing? { FramingDetector.sniff(ByteBuffer(string: s).readableBytesView, atEOF: eof) }
        XCTAssertEqual(sniff("Content-Length: 5"), .headers)
        XCTAssertEqual(sniff("X-Anything:"), .headers)
        XCTAssertEqual(sniff("{\"a\":1}"), .ndjson)
        XCTAssertEqual(sniff("null\n"), .ndjson)
        XCTAssertEqual(sniff("garbage here"), .ndjson)
        XCTAssertNil(sniff("Content-Len"))
        XCTAssertEqual(sniff("Content-Len", eof: true), .ndjson)
    }

    func testLastNDJSONLineWithoutNewlineCountsAtEOF() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(NDJSONFrameDecoder(maxBytes: 64)))
        XCTAssertFalse(try channel.writeInbound(ByteBuffer(string: "{\"a\":1}\n{\"b\":2}")).isFull == false)
        XCTAssertEqual(try channel.readInbound(as: InboundFrame.self), message("{\"a\":1}", .ndjson))
        XCTAssertNil(try channel.readInbound(as: InboundFrame.self))
        XCTAssertTrue(try channel.finish().isClean == false)
        XCTAssertEqual(try channel.readInbound(as: InboundFrame.self), message("{\"b\":2}", .ndjson))
    }

    func testMalformedHeaderBlockIsReportedOnce() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(HeaderFrameDecoder(maxBytes: 64)))
        try channel.writeInbound(ByteBuffer(string: "Content-Length: banana\r\n\r\n{}Content-Length: 2\r\n\r\n{}"))
        XCTAssertEqual(try channel.readInbound(as: InboundFrame.self), .malformedHeader("Content-Length is not a number"))
        XCTAssertNil(try channel.readInbound(as: InboundFrame.self))
        _ = try channel.finish()
    }
}
