// swift-tools-version:6.0
import PackageDescription

// DCMTK is linked by library name: Debian 12's dcmtk.pc needs libsndfile1-dev and drags in 25 libraries.
let dcmtkLibraries = [
    "dcmnet", "dcmtls", "dcmjpls", "dcmtkcharls", "dcmjpeg", "ijg8", "ijg12", "ijg16", "dcmimage", "dcmimgle",
    "dcmdata", "oflog", "ofstd",
].map { LinkerSetting.linkedLibrary($0) }

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "TeleradToolkit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dcm-anon", targets: ["dcm-anon"]),
        .executable(name: "dcm-send", targets: ["dcm-send"]),
        .executable(name: "dcm-compress", targets: ["dcm-compress"]),
        .executable(name: "rota-plan", targets: ["rota-plan"]),
        .executable(name: "transfer-bench", targets: ["transfer-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // The only C++ in the project: a C ABI over DCMTK that catches every exception.
        .target(
            name: "CDcmtkShim",
            cxxSettings: [.unsafeFlags(["-std=c++17", "-Wno-deprecated-declarations"])],
            linkerSettings: dcmtkLibraries + [.linkedLibrary("stdc++")]
        ),
        // libzstd from the system, through a module map.
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),

        // The DICOM core: objects, elements, paths, typed values, atomic output.
        .target(name: "DicomCore", dependencies: ["CDcmtkShim", logging]),
        // De-identification (PS3.15): the leak scanner today.
        .target(name: "Deidentification", dependencies: ["DicomCore"]),
        // Compression: DICOM transcoding, the transport bundle, the codec choice for a link. The pixel filter
        // is built optimized even in debug builds: tests push whole studies through it.
        .target(
            name: "DicomCodecs", dependencies: ["DicomCore", "CZstd", crypto],
            swiftSettings: [.unsafeFlags(["-O"])]),
        // DICOM networking: verification (C-ECHO) today.
        .target(name: "DicomNetwork", dependencies: ["DicomCore", "CDcmtkShim"]),
        // Synthetic stroke studies with realistic headers and CT-like pixels. Its per-pixel loops are built
        // optimized even in debug builds: the test suite generates thousands of slices.
        .target(name: "SyntheticStudy", dependencies: ["DicomCore"], swiftSettings: [.unsafeFlags(["-O"])]),
        // On-call rostering: the French calendar today.
        .target(name: "Rostering"),
        // Command-line conventions shared by the five tools: output, exit codes, inputs, logging.
        .target(name: "ToolSupport", dependencies: ["DicomCore", argumentParser, logging]),

        .executableTarget(name: "dcm-anon", dependencies: ["ToolSupport", "Deidentification", argumentParser]),
        .executableTarget(name: "dcm-send", dependencies: ["ToolSupport", "DicomNetwork", argumentParser]),
        .executableTarget(name: "dcm-compress", dependencies: ["ToolSupport", "DicomCodecs", argumentParser]),
        .executableTarget(name: "rota-plan", dependencies: ["ToolSupport", "Rostering", argumentParser]),
        .executableTarget(
            name: "transfer-bench", dependencies: ["ToolSupport", "SyntheticStudy", argumentParser]),

        // In-process codec speeds for bench/compress.py (not installed).
        .executableTarget(name: "codec-bench", dependencies: ["DicomCodecs"], path: "bench/CodecBench"),

        .testTarget(name: "DicomCoreTests", dependencies: ["DicomCore", "TestSupport"]),
        .testTarget(name: "DeidentificationTests", dependencies: ["Deidentification", "SyntheticStudy", "TestSupport"]),
        .testTarget(name: "DicomCodecsTests", dependencies: ["DicomCodecs", "SyntheticStudy", "TestSupport"]),
        .testTarget(name: "DicomNetworkTests", dependencies: ["DicomNetwork", "DicomCodecs", "SyntheticStudy", "TestSupport"]),
        .testTarget(name: "SyntheticStudyTests", dependencies: ["SyntheticStudy", "DicomCodecs", "TestSupport"]),
        .testTarget(name: "RosteringTests", dependencies: ["Rostering"]),
        .testTarget(name: "ToolTests", dependencies: ["DicomCore", "DicomCodecs", "ToolSupport", "TestSupport"]),
        // Locations of the shared sample data and the built tools, free ports, peer processes.
        .target(name: "TestSupport", dependencies: ["DicomCore", "DicomNetwork"], path: "Tests/TestSupport"),
    ],
    cxxLanguageStandard: .cxx17
)
