import XCTest
final class WorkbookTestsPlaceholder: XCTestCase { func testNothing() {} }
