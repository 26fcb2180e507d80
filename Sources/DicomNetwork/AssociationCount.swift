/// How many associations a send uses: a number (1 to 64), or `auto` (from the link: `AssociationScaler`).
public enum AssociationCount: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int)
    case automatic

    public init?(_ text: String) {
        if text.lowercased() == "auto" {
            self = .automatic
        } else if let count = Int(text), (1...64).contains(count) {
            self = .fixed(count)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .fixed(let count): "\(count)"
        case .automatic: "auto"
        }
    }

    /// Sets `options` accordingly.
    public func apply(to options: inout StoreSender.Options) {
        switch self {
        case .fixed(let count): (options.associations, options.automaticAssociations) = (count, false)
        case .automatic: options.automaticAssociations = true
        }
    }
}
