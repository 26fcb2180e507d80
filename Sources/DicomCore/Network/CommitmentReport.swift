/// A Storage Commitment report (PS3.4 Annex J): which instances of a transaction the archive has taken
/// custody of, and which it has not, with the reason it gave.
public struct CommitmentReport: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public let sopInstanceUID: String
        /// The Failure Reason (0008,1197): 0110 processing failure, 0112 no such instance, 0119 class conflict...
        public let reason: UInt16

        public var explanation: String {
            let known: [UInt16: String] = [
                0x0110: "processing failure", 0x0112: "no such object instance", 0x0119: "class-instance conflict",
                0x0122: "SOP class not supported", 0x0131: "duplicate transaction UID", 0x0213: "resource limitation",
            ]
            return String(format: "%04X", reason) + " (" + (known[reason] ?? "reason unknown") + ")"
        }
    }

    public let transactionUID: String
    public let committed: [String]
    public let failed: [Failure]

    public init(transactionUID: String, committed: [String], failed: [Failure]) {
        (self.transactionUID, self.committed, self.failed) = (transactionUID, committed, failed)
    }

    /// The shim's text form (DSH_EVENT_COMMITMENT); nil when it has no transaction.
    package init?(text: String) {
        var transaction = "", committed: [String] = [], failed: [Failure] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "transaction" where fields.count == 2: transaction = fields[1]
            case "committed" where fields.count == 3: committed.append(fields[2])
            case "failed" where fields.count == 4: failed.append(Failure(sopInstanceUID: fields[2], reason: UInt16(fields[3], radix: 16) ?? 0x0110))
            default: continue
            }
        }
        guard !transaction.isEmpty else { return nil }
        self.init(transactionUID: transaction, committed: committed, failed: failed)
    }
}
