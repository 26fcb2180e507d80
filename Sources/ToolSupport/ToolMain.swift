import ArgumentParser
import Foundation

extension ParsableCommand {
    /// The entry point of every tool: swift-argument-parser's, except that usage errors exit with 2 (the
    /// toolkit's documented code) instead of EX_USAGE (64).
    public static func mainFollowingConventions(_ arguments: [String]? = nil) {
        // A closed pipe downstream is an error each write reports (EPIPE), so that a tool can say so and
        // stop cleanly, instead of a signal that kills it mid-write.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
