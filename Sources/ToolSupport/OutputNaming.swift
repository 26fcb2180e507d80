import Foundation

/// Where a tool writes the output for an input: `-o -` is standard output, otherwise the input's relative
/// path under the output folder. Refuses to write over the input itself.
public enum OutputNaming {
    public static func destination(for input: InputFile, outputFolder: String, name: String? = nil) throws -> URL {
        let url = URL(fileURLWithPath: outputFolder).appendingPathComponent(name ?? input.relativePath)
        if url.standardizedFileURL.resolvingSymlinksInPath() == input.url.standardizedFileURL.resolvingSymlinksInPath() {
            throw OutputError("output would overwrite the input")
        }
        return url
    }
}

public struct OutputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
