import CDcmtkShim
import Logging

/// Process-wide setup of DCMTK: codec registration and where its log messages go.
public enum DicomLibrary {
    /// Registers DCMTK's codecs and silences its logger. Idempotent; every entry point of the core calls it.
    public static func initialize() { dsh_initialize() }

    /// Sends DCMTK's own messages at `level` or above to swift-log (label "dcmtk"); nil silences them again.
    public static func routeDcmtkLog(to level: Logger.Level?) {
        initialize()
        guard let level else {
            dsh_set_log_sink(6, nil)
            return
        }
        let threshold: Int32 =
            switch level {
            case .trace: 0
            case .debug: 1
            case .info, .notice: 2
            case .warning: 3
            case .error: 4
            case .critical: 5
            }
        dsh_set_log_sink(threshold) { level, logger, message in
            let text = message.map { String(cString: $0) } ?? ""
            let source = logger.map { String(cString: $0) } ?? "dcmtk"
            let swiftLevel: Logger.Level = [.trace, .debug, .info, .warning, .error, .critical][Int(max(0, min(level, 5)))]
            DicomLibrary.dcmtkLogger.log(level: swiftLevel, "\(text)", metadata: ["logger": "\(source)"])
        }
    }

    static let dcmtkLogger: Logger = {
        var logger = Logger(label: "dcmtk")
        logger.logLevel = .trace  // DCMTK filters by level itself
        return logger
    }()
}
