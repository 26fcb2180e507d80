import ArgumentParser

/// Exit codes shared by every tool. Tools document further codes of their own from 3 on.
public enum ExitStatus {
    /// Every item was processed.
    public static let success = ExitCode(0)
    /// Some items failed; each was reported on stderr (and as a JSON event with --json).
    public static let someFailed = ExitCode(1)
    /// The command line was wrong (ArgumentParser's own validation errors use this code too).
    public static let usage = ExitCode(2)
    /// The peer could not be reached or refused the association (network tools).
    public static let connection = ExitCode(3)

    /// The lines every tool's --help shows under "EXIT STATUS".
    public static let helpText = """
        Exit status: 0 all items done; 1 some items failed (each reported); 2 usage error; \
        3 peer unreachable or association refused (network tools).
        """
}

/// The one version string of the toolkit.
public enum ToolkitVersion {
    public static let current = "0.1.0"
}
