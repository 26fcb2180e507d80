import Logging

/// Logging for the executables: swift-log to stderr (tools that read DICOM also route DCMTK's log into it:
/// `DicomLoggingSetup`). Call once from an executable's entry point, never from tests or libraries.
public enum LoggingSetup {
    public static func bootstrap(_ options: CommonOptions) {
        let level: Logger.Level =
            options.quiet ? .error : options.verbose >= 2 ? .debug : options.verbose == 1 ? .info : .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
