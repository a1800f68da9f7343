import XCTest
final class WorkbookServerTestsPlaceholder: XCTestCase { func testNothing() {} }
