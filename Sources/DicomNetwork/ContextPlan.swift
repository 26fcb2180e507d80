import DicomCore

/// Presentation contexts for a set of files, and the split of files across associations.
enum ContextPlan {
    struct Group {
        var contexts: [String] = []
        var files: [StoreSender.Planned] = []
    }

    static let uncompressed = [TransferSyntax.explicitLittleEndian.uid, TransferSyntax.implicitLittleEndian.uid]

    /// The contexts one (SOP class, transfer syntax) pair needs: a compressed syntax in a context of its
    /// own, so a peer that accepts it gets it as it is, plus an uncompressed fallback context. Uncompressed
    /// files also get a JPEG-LS lossless context, used only by a peer that accepts no uncompressed syntax
    /// (the object is then compressed on the way, losslessly, and the report says so).
    static func contexts(sopClass: String, syntax: TransferSyntax) -> [String] {
        let fallback = "\(sopClass)|" + uncompressed.joined(separator: ",")
        if syntax.isEncapsulated || syntax == .deflatedExplicitLittleEndian || syntax == .explicitBigEndian {
            return ["\(sopClass)|\(syntax.uid)", fallback]
        }
        return [fallback, "\(sopClass)|\(TransferSyntax.jpegLSLossless.uid)"]
    }

    /// Groups files so that no association proposes more than 128 contexts (the protocol's limit).
    static func groups(_ files: [StoreSender.Planned], limit: Int = 128) -> [Group] {
        var groups: [Group] = []
        var current = Group()
        var known = Set<String>()
        for file in files {
            let needed = contexts(sopClass: file.sopClass, syntax: file.syntax).filter { !known.contains($0) }
            if current.contexts.count + needed.count > limit {
                groups.append(current)
                current = Group()
                known = []
            }
            for context in contexts(sopClass: file.sopClass, syntax: file.syntax) where !known.contains(context) {
                known.insert(context)
                current.contexts.append(context)
            }
            current.files.append(file)
        }
        if !current.files.isEmpty { groups.append(current) }
        return groups
    }

    /// Largest files first, each to the lane with the fewest bytes so far; each lane keeps input order.
    static func balance(_ files: [StoreSender.Planned], lanes: Int) -> [[StoreSender.Planned]] {
        var loads = [Int](repeating: 0, count: lanes)
        var assignment = [Int](repeating: 0, count: files.count)
        for index in files.indices.sorted(by: { files[$0].size > files[$1].size }) {
            let lane = loads.indices.min { loads[$0] < loads[$1] }!
            assignment[index] = lane
            loads[lane] += files[index].size
        }
        return (0..<lanes).map { lane in files.indices.filter { assignment[$0] == lane }.map { files[$0] } }
    }
}
