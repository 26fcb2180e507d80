import Foundation

/// Private elements: which creator owns a block, and reserving a block to write one.
extension DicomObject {
    /// The private creator string that owns the block of the private element at `path`, if any.
    public func privateCreator(of path: ElementPath) throws(DicomError) -> String? {
        guard let block = path.tag.privateBlock else { return nil }
        return try string(path.sibling(Tag(path.tag.group, UInt16(block))))?.trimmingCharacters(in: .whitespaces)
    }

    /// The path of private element `element` (0x00-0xFF) of `creator`'s block in `group`, at top level or
    /// inside item `item` of `sequence`. Reserves a free block when the creator has none there.
    public func privatePath(
        group: UInt16, creator: String, element: UInt8, in sequence: ElementPath? = nil, item: Int = 0,
        reserve: Bool = true
    ) throws(DicomError) -> ElementPath? {
        precondition(group % 2 == 1, "private groups are odd")
        func slot(_ block: UInt16) -> ElementPath {
            let tag = Tag(group, block)
            return sequence.map { $0.appending(item: item, tag) } ?? ElementPath(tag)
        }
        // A block is free when it has neither a creator nor orphan data elements (some files carry those).
        let prefix = slot(0).steps.dropLast()
        let used = Set(try elements().lazy.filter { $0.path.steps.dropLast() == prefix && $0.tag.group == group }
            .map { $0.tag.element >= 0x1000 ? $0.tag.element >> 8 : $0.tag.element })
        var free: UInt16?
        for block in UInt16(0x10)...0xFF {
            let owner = try string(slot(block))?.trimmingCharacters(in: .whitespaces)
            if owner == creator { return dataPath(slot(block), group: group, block: block, element: element) }
            if owner == nil, free == nil, !used.contains(block) { free = block }
        }
        guard reserve, let free else { return nil }
        try set(slot(free), creator, vr: "LO")
        return dataPath(slot(free), group: group, block: free, element: element)
    }

    private func dataPath(_ creatorPath: ElementPath, group: UInt16, block: UInt16, element: UInt8) -> ElementPath {
        creatorPath.sibling(Tag(group, block << 8 | UInt16(element)))
    }
}
