import Foundation
import WorkbookServer
import XCTest

/// The page compiled into the binary is exactly clients/web/ without README.md, tests/ and docs/
/// (run scripts/embed-web.sh after editing it).
final class WebAssetsTests: XCTestCase {
    func testEmbeddedPageMatchesClientsWeb() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("clients/web")
        var onDisk: [String: [UInt8]] = [:]
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                    options: [.skipsHiddenFiles])
        while let url = walker?.nextObject() as? URL {
            let name = String(url.path.dropFirst(root.path.count + 1))
            if name == "tests" || name == "docs" { walker?.skipDescendants() }  // not part of the page
            guard name != "README.md", !name.hasPrefix("tests/"), !name.hasPrefix("docs/"),
                  (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            onDisk[name] = Array(try Data(contentsOf: url))
        }
        XCTAssertTrue(onDisk.keys.contains("index.html"))
        XCTAssertEqual(Set(WebAssets.files.keys), Set(onDisk.keys), "stale: run scripts/embed-web.sh")
        for (name, bytes) in onDisk {
            XCTAssertEqual(WebAssets.files[name], bytes, "\(name) is stale: run scripts/embed-web.sh")
        }
    }
}
