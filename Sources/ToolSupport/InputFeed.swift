import Foundation

/// A run's inputs as they come: the command-line paths first (folders walked), then each line of
/// `--files-from` as it is read. From stdin (or a FIFO) each line is handed on the moment it arrives, so
/// that the work of a pipe starts at once; end of input ends the feed. Lines starting with `#` are notices,
/// not paths (the receiver's `# stable study` lines), and are skipped.
public struct InputFeed: Sendable {
    public enum Item: Sendable {
        case file(InputFile)
        /// A path that is missing or unreadable: one error line, and the feed goes on.
        case failure(path: String, message: String)
    }

    public let paths: [String]
    /// A file with one path per line; "-" for stdin.
    public let filesFrom: String?

    public init(_ options: InputOptions) { (paths, filesFrom) = (options.paths, options.filesFrom) }

    /// Calls `body` with each input in order until the inputs end or `body` returns false.
    public func forEach(_ body: (Item) -> Bool) {
        for argument in paths where !emit(argument, body) { return }
        guard let list = filesFrom else { return }
        let stream = list == "-" ? fdopen(dup(STDIN_FILENO), "r") : fopen(list, "r")
        guard let stream else {
            _ = body(.failure(path: list, message: "cannot read the list of files"))
            return
        }
        defer { fclose(stream) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, stream) >= 0, let line {
            let path = String(cString: line).trimmingCharacters(in: .newlines)
            if path.isEmpty || path.hasPrefix("#") { continue }
            if !emit(path, body) { return }
        }
    }

    /// One argument: a file, every file under a folder, or a failure.
    private func emit(_ argument: String, _ body: (Item) -> Bool) -> Bool {
        var expanded = InputExpander.Result()
        InputExpander.expand(argument, into: &expanded)
        for failure in expanded.failures where !body(.failure(path: failure.path, message: failure.message)) { return false }
        for file in expanded.files where !body(.file(file)) { return false }
        return true
    }
}
