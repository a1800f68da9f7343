// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// The folder of this manifest, for a linker input that must be named by an absolute path.
let packageRoot = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "workbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "workbook", targets: ["workbook"]),
        .library(name: "Workbook", targets: ["Workbook"]),
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
        .library(name: "WorkbookServer", targets: ["WorkbookServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "Workbook",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")],
            resources: [.embedInCode("Resources/solidarity.json")],
            swiftSettings: strict),
        .target(
            name: "JSONRPC",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "WorkbookServer",
            dependencies: ["Workbook", "JSONRPC", .product(name: "Logging", package: "swift-log")],
            resources: [.embedInCode("Resources/openrpc.json")],
            swiftSettings: strict),
        // glibc's mallopt, which the Glibc module does not export (see Serve.run).
        .target(name: "CMallocTuning"),
        .executableTarget(
            name: "workbook",
            dependencies: [
                "WorkbookServer", "JSONRPC", "Workbook", "CMallocTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            // The release binary is linked at a fixed address: a position-independent one applied
            // ~98 000 relocations at every start (2.4 MB of .rela.dyn read, 0.8 MB of .data.rel.ro
            // copied): idle RSS 26.5 -> 23.0 MB, a one-shot call 8.7 -> 8.0 ms (BENCHMARKS.md finding 22).
            // lld lays the functions that start-up runs (scripts/startup-order.sh) side by side, so
            // start-up faults in fewer 64 KB chunks of code: idle RSS 23.0 -> 17.5 MB (finding 27).
            linkerSettings: [.unsafeFlags([
                "-Xlinker", "-no-pie", "-use-ld=lld",
                "-Xlinker", "--symbol-ordering-file=\(packageRoot)/scripts/startup-order.txt",
                "-Xlinker", "--no-warn-symbol-ordering",
            ], .when(platforms: [.linux], configuration: .release))]),
        .executableTarget(
            name: "workbook-bench",
            dependencies: [
                "Workbook", "CMallocTuning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(name: "TestSupport", dependencies: [], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "JSONRPCTests",
            dependencies: ["JSONRPC", "TestSupport", .product(name: "NIOTestUtils", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(name: "WorkbookTests", dependencies: ["Workbook", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WorkbookServerTests", dependencies: ["WorkbookServer", "JSONRPC", "CMallocTuning", "TestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["WorkbookServer", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["WorkbookServer", "JSONRPC", "Workbook", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
    ]
)
