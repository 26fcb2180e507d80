import ArgumentParser

/// Options every tool takes: machine-readable output and verbosity.
public struct CommonOptions: ParsableArguments {
    @Flag(name: .long, help: "Write one JSON object per line to stdout: one per item, then a summary.")
    public var json = false

    @Flag(name: .shortAndLong, help: "More detail on stderr (repeat for debug; DCMTK's own log too).")
    public var verbose: Int

    @Flag(name: .shortAndLong, help: "Only errors on stderr; no progress bar.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        if quiet && verbose > 0 { throw ValidationError("--quiet and --verbose exclude each other") }
    }
}

/// Where a tool's list of inputs comes from: paths on the command line and/or a list file.
public struct InputOptions: ParsableArguments {
    @Option(
        name: .customLong("files-from"),
        help: ArgumentHelp("Read input paths from FILE, one per line ('-' for stdin).", valueName: "FILE"),
        completion: .file())
    public var filesFrom: String?

    @Argument(help: "Files or folders (searched recursively).", completion: .file())
    public var paths: [String] = []

    public init() {}
}

/// Where a per-file tool writes: an output folder keeping the inputs' layout, or stdout for a stdin input.
public struct OutputFolderOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder ('-' for stdout with a '-' input).", valueName: "dir"),
            completion: .directory)
    public var output: String?

    @Flag(help: ArgumentHelp(
        "Skip the flush to disk at the end of the batch (outputs are still written atomically).",
        discussion: "Without it the tool returns only once every output is on disk."))
    public var noSync = false

    @Flag(help: ArgumentHelp(
        "Print each output's path on stdout once it is on disk (for the next tool's --files-from -).",
        discussion: "Each output is synced, file and folder, before its path is printed; excludes --json."))
    public var printPaths = false

    public init() {}
}

/// How many files a per-file tool processes at once.
public struct FileJobsOptions: ParsableArguments {
    @Option(name: .short, help: ArgumentHelp("Files processed in parallel (default: the number of cores).", valueName: "n"))
    public var jobs: Int = System.coreCount

    public init() {}

    public func validate() throws {
        if jobs < 1 { throw ValidationError("-j needs at least 1") }
    }
}
