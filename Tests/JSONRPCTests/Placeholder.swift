import XCTest
final class JSONRPCTestsPlaceholder: XCTestCase { func testNothing() {} }
