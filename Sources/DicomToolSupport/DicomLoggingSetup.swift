import DicomCore
import ToolSupport

/// Logging for the executables that read DICOM: swift-log to stderr, and DCMTK's own log routed into it
/// with -v. Call once from an executable's entry point, never from tests or libraries.
public enum DicomLoggingSetup {
    public static func bootstrap(_ options: CommonOptions) {
        LoggingSetup.bootstrap(options)
        DicomLibrary.routeDcmtkLog(to: options.verbose >= 2 ? .debug : options.verbose == 1 ? .warning : nil)
    }
}
