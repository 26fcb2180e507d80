import Foundation

/// Where a tool writes the output for an input: `-o -` is standard output, otherwise the input's relative
/// path under the output folder. Refuses to write over the input itself.
public enum OutputNaming {
    public static func destination(for input: InputFile, outputFolder: String, name: String? = nil) throws -> URL {
        if let name {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            guard !name.hasPrefix("/"), parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw OutputError("the output's name would leave the output folder: refused") }
        }
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
