import Foundation

public enum System {
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

/// "NEAR=n" of --lossy.
public struct LossySetting: Sendable {
    public let near: Int
    public init?(_ text: String) {
        let parts = text.split(separator: "=")
        guard parts.count == 2, parts[0].uppercased() == "NEAR", let near = Int(parts[1]), (1...255).contains(near)
        else { return nil }
        self.near = near
    }
}
