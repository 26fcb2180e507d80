/// Where an element sits: a chain of (sequence tag, item index) steps ending at a tag.
/// Its text form is DCMTK's path syntax, "(0008,1115)[0].(0008,1155)", which the shim understands.
public struct ElementPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public struct Step: Hashable, Sendable {
        public let tag: Tag
        public let item: Int?

        public init(tag: Tag, item: Int?) {
            self.tag = tag
            self.item = item
        }
    }

    public let steps: [Step]

    public init(_ tag: Tag) { steps = [Step(tag: tag, item: nil)] }

    public init(steps: [Step]) {
        precondition(!steps.isEmpty, "an element path names at least one tag")
        self.steps = steps
    }

    /// Parses the text form; nil when it is malformed. Works on the UTF-8 bytes: every element of every
    /// object listed goes through here.
    public init?(parsing text: String) {
        var steps: [Step] = []
        var utf8 = text.utf8[...]
        func hex(_ count: Int) -> UInt16? {
            var value: UInt16 = 0
            for _ in 0..<count {
                guard let byte = utf8.popFirst() else { return nil }
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
            }
            return value
        }
        while true {
            guard utf8.popFirst() == 0x28, let group = hex(4), utf8.popFirst() == 0x2C, let element = hex(4),
                utf8.popFirst() == 0x29
            else { return nil }
            var item: Int?
            if utf8.first == 0x5B {
                utf8.removeFirst()
                var index = 0
                var digits = 0
                while let byte = utf8.first, byte >= 0x30 && byte <= 0x39 {
                    index = index * 10 + Int(byte - 0x30)
                    digits += 1
                    utf8.removeFirst()
                    guard digits <= 9 else { return nil }
                }
                guard digits > 0, utf8.popFirst() == 0x5D else { return nil }
                item = index
            }
            steps.append(Step(tag: Tag(group, element), item: item))
            guard let next = utf8.popFirst() else { break }
            guard next == 0x2E, item != nil else { return nil }
        }
        self.steps = steps
    }

    public init(stringLiteral value: String) {
        guard let path = ElementPath(parsing: value) else { preconditionFailure("malformed element path \(value)") }
        self = path
    }

    /// The tag of the element the path ends at.
    public var tag: Tag { steps[steps.count - 1].tag }
    /// Number of enclosing sequences.
    public var depth: Int { steps.count - 1 }

    /// The path of an element inside item `item` of the sequence this path names.
    public func appending(item: Int, _ tag: Tag) -> ElementPath {
        var steps = self.steps
        steps[steps.count - 1] = Step(tag: self.tag, item: item)
        steps.append(Step(tag: tag, item: nil))
        return ElementPath(steps: steps)
    }

    /// The same path with its last tag replaced (a sibling in the same item).
    public func sibling(_ tag: Tag) -> ElementPath {
        var steps = self.steps
        steps[steps.count - 1] = Step(tag: tag, item: nil)
        return ElementPath(steps: steps)
    }

    /// The path of item `index` of the sequence this path names ("(0008,1115)[2]"), to delete that item.
    public func item(_ index: Int) -> ElementPath {
        var steps = self.steps
        steps[steps.count - 1] = Step(tag: tag, item: index)
        return ElementPath(steps: steps)
    }

    /// The sequences enclosing this element, outermost first, without item numbers.
    public var enclosingSequences: [ElementPath] {
        guard depth > 0 else { return [] }
        return (1...depth).map { count in
            var steps = Array(self.steps.prefix(count))
            steps[count - 1] = Step(tag: steps[count - 1].tag, item: nil)
            return ElementPath(steps: steps)
        }
    }

    public var description: String {
        steps.map { step in step.item.map { "\(step.tag)[\($0)]" } ?? step.tag.description }.joined(separator: ".")
    }
}
