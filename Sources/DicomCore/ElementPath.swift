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

    /// Parses the text form; nil when it is malformed.
    public init?(parsing text: String) {
        var steps: [Step] = []
        for component in text.split(separator: ".", omittingEmptySubsequences: false) {
            var tagText = Substring(component)
            var item: Int?
            if let open = component.firstIndex(of: "["), component.last == "]" {
                guard let index = Int(component[component.index(after: open)..<component.index(before: component.endIndex)]),
                    index >= 0
                else { return nil }
                item = index
                tagText = component[..<open]
            }
            guard tagText.first == "(", let tag = Tag(String(tagText)) else { return nil }
            steps.append(Step(tag: tag, item: item))
        }
        guard !steps.isEmpty, steps.dropLast().allSatisfy({ $0.item != nil }) else { return nil }
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
