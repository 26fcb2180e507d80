import DicomCore
import Logging

/// Logging for the executables: swift-log to stderr, DCMTK's own log routed into it with -v.
/// Call once from an executable's entry point, never from tests or libraries.
public enum LoggingSetup {
    public static func bootstrap(_ options: CommonOptions) {
        let level: Logger.Level =
            options.quiet ? .error : options.verbose >= 2 ? .debug : options.verbose == 1 ? .info : .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        DicomLibrary.routeDcmtkLog(to: options.verbose >= 2 ? .debug : options.verbose == 1 ? .warning : nil)
    }
}
