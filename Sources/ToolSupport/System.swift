import Foundation

public enum System {
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
