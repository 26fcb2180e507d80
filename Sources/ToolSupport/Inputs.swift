import Foundation
import ArgumentParser

/// One input file, with the path relative to the argument it came from (to keep a folder's layout).
public struct InputFile: Hashable, Sendable {
    public let url: URL
    /// "sub/dir/file.dcm" for a file found under a folder argument; the file name for a file argument.
    public let relativePath: String
    /// The path as the user wrote it (or as found under their folder), for messages.
    public let displayPath: String

    public init(url: URL, relativePath: String, displayPath: String) {
        (self.url, self.relativePath, self.displayPath) = (url, relativePath, displayPath)
    }
}

/// Expands command-line paths and `--files-from` lists into files. Problems with an argument (missing,
/// unreadable) are returned as failures so the other inputs are still processed.
public enum InputExpander {
    public struct Result: Sendable {
        public var files: [InputFile] = []
        public var failures: [(path: String, message: String)] = []
    }

    public static func expand(_ options: InputOptions) -> Result {
        expand(paths: options.paths, filesFrom: options.filesFrom)
    }

    public static func expand(
        paths: [String], filesFrom: String? = nil, readStandardInput: () -> String? = readAllStandardInput
    ) -> Result {
        var arguments = paths
        var result = Result()
        if let list = filesFrom {
            let text: String?
            if list == "-" {
                text = readStandardInput()
            } else {
                text = try? String(contentsOfFile: list, encoding: .utf8)
            }
            if let text {
                arguments += text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            } else {
                result.failures.append((list, "cannot read the list of files"))
            }
        }
        for argument in arguments { expand(argument, into: &result) }
        return result
    }

    static func expand(_ argument: String, into result: inout Result) {
        let url = URL(fileURLWithPath: argument)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            result.failures.append((argument, "No such file or directory"))
            return
        }
        guard isDirectory.boolValue else {
            result.files.append(InputFile(url: url, relativePath: relativeOutputPath(argument), displayPath: argument))
            return
        }
        guard let walker = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else {
            result.failures.append((argument, "cannot list the folder"))
            return
        }
        // The walker's URLs extend the folder's own path: no need to resolve links (a dozen stats per file).
        let base = url.standardizedFileURL.path
        var found: [InputFile] = []
        for case let file as URL in walker {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = file.standardizedFileURL.path
            let relative = full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : file.lastPathComponent
            // Hidden files (.DS_Store, editors' and our own temporaries) are not DICOM inputs.
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let display = argument.hasSuffix("/") ? argument + relative : argument + "/" + relative
            found.append(InputFile(url: file, relativePath: relative, displayPath: display))
        }
        result.files += found.sorted { $0.relativePath < $1.relativePath }
    }

    /// A file argument keeps its relative path under the output folder ("study/1_NCCT/IM00001.dcm" from
    /// `find`), so files of the same name in different folders do not collide; absolute paths and paths
    /// leaving the current folder keep only their file name.
    static func relativeOutputPath(_ argument: String) -> String {
        let components = argument.split(separator: "/").filter { $0 != "." }
        if argument.hasPrefix("/") || components.contains("..") || components.isEmpty {
            return URL(fileURLWithPath: argument).lastPathComponent
        }
        return components.joined(separator: "/")
    }

    public static func readAllStandardInput() -> String? {
        String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
    }
}

extension InputExpander.Result {
    /// The exit status when no file is left to process, nil otherwise. An empty --files-from list is not a
    /// mistake: `find DIR -newer STAMP | tool --files-from -` finds nothing on a quiet night.
    public func statusWhenEmpty(_ inputs: InputOptions, console: Console) -> ExitCode? {
        guard files.isEmpty else { return nil }
        if !failures.isEmpty { return ExitStatus.someFailed }
        if inputs.filesFrom != nil && inputs.paths.isEmpty {
            console.info("nothing to do: the list of files is empty")
            return ExitStatus.success
        }
        console.error("no input files")
        return ExitStatus.usage
    }
}

