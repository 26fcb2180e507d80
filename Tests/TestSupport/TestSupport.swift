import Foundation

/// Where the tests find the sample data (inside the repository) and the built tools.
public enum TestPaths {
    /// The repository root, from this file's location.
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures`: sample objects, PS3.15 tables, Curtois instances, with their licences.
    public static let fixtures = repository.appendingPathComponent("Tests/Fixtures")

    public static let dicomSamples = fixtures.appendingPathComponent("dicom")
    public static let brokenSamples = dicomSamples.appendingPathComponent("broken")

    /// The valid sample files (every .dcm directly in data/dicom).
    public static func validSamples() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: dicomSamples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "dcm" }.sorted { $0.path < $1.path }
    }

    public static func brokenSampleFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: brokenSamples, includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }
    }

    /// A fresh temporary folder, removed by the caller with `removeItem`.
    public static func temporaryFolder(_ name: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("telerad-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
