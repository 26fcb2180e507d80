import Foundation
import Locking

/// The project's own solver: a greedy construction (hardest slots first, least loaded person first), then
/// simulated annealing over two moves (give a slot to someone else; swap two people's slots), never breaking
/// a hard rule. Several chains run on the cores with seeds derived from --seed; the best wins (ties: the
/// lowest chain), so a run is reproducible when every chain finishes its iterations within the time limit.
public struct RotaSolver: Sendable {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        public var timeLimitSeconds = 10.0
        /// Iterations per chain; nil: 400 per slot.
        public var iterations: Int?
        public var chains = ProcessInfo.processInfo.activeProcessorCount
        /// Slots whose published person should be kept (repair): each change costs this much.
        public var published: [Int?]?
        public var changeCost = 10_000.0

        public init() {}
    }

    public struct Outcome: Sendable {
        public let roster: Roster
        public let cost: Double
        public let iterations: Int
        /// False when the time limit stopped a chain before its iterations (the result may then vary).
        public let reproducible: Bool
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    public func solve(_ start: Roster) -> Outcome {
        let chains = max(1, options.chains)
        let results = ChainResults(count: chains)
        DispatchQueue.concurrentPerform(iterations: chains) { chain in
            var random = SplitMix(seed: options.seed &+ UInt64(chain) &* 0x9E37_79B9_7F4A_7C15)
            var roster = start
            construct(&roster, random: &random)
            let outcome = anneal(roster, random: &random)
            results.set(chain, outcome)
        }
        return results.best()
    }

    /// The objective, with repair's change penalty.
    func cost(_ roster: Roster) -> Double { roster.totalCost + changes(roster) * options.changeCost }

    func changes(_ roster: Roster) -> Double {
        guard let published = options.published else { return 0 }
        return Double(zip(published, roster.assignee).filter { $0.0 != nil && $0.0 != $0.1 }.count)
    }

    /// Fills empty slots: pinned ones first, then those with the fewest candidates; among the people who
    /// can take a slot, the one furthest below their pro-rata share.
    func construct(_ roster: inout Roster, random: inout SplitMix) {
        let model = roster.model
        for (slot, person) in model.pinned.sorted(by: { $0.key < $1.key }) where roster.assignee[slot] == nil {
            if roster.violation(person, slot) == nil { roster.assign(slot, to: person) }
        }
        let empty = (0..<model.slots.count).filter { roster.assignee[$0] == nil }
        let candidates = empty.map { slot in (0..<model.people.count).filter { model.qualifies($0, for: model.slots[slot].duty) } }
        let order = empty.indices.sorted { (candidates[$0].count, empty[$0]) < (candidates[$1].count, empty[$1]) }
        for position in order {
            let slot = empty[position]
            var best: (score: Double, person: Int)?
            for person in candidates[position] where roster.violation(person, slot) == nil {
                let load = roster.count(person, .duties) - roster.target(person, .duties) + random.unit() * 0.01
                if best == nil || load < best!.score { best = (load, person) }
            }
            if let best { roster.assign(slot, to: best.person) }
        }
    }

    func anneal(_ start: Roster, random: inout SplitMix) -> Outcome {
        var roster = start
        let model = roster.model
        let slots = model.slots.count
        guard slots > 0, !model.people.isEmpty else { return Outcome(roster: roster, cost: cost(roster), iterations: 0, reproducible: true) }
        let free = (0..<slots).filter { model.pinned[$0] == nil }
        guard !free.isEmpty else { return Outcome(roster: roster, cost: cost(roster), iterations: 0, reproducible: true) }
        let qualified = (0..<model.duties.count).map { duty in (0..<model.people.count).filter { model.qualifies($0, for: duty) } }
        let total = options.iterations ?? 400 * slots
        var current = cost(roster)
        var best = roster, bestCost = current
        let deadline = Date().addingTimeInterval(options.timeLimitSeconds)
        let hot = 20.0, cold = 0.05
        var iteration = 0
        var reproducible = true
        while iteration < total {
            if iteration & 1023 == 0 && Date() > deadline {
                reproducible = false
                break
            }
            let temperature = hot * pow(cold / hot, Double(iteration) / Double(total))
            iteration += 1
            let slot = free[random.below(free.count)]
            let owner = roster.assignee[slot]
            if owner == nil, random.unit() < 0.5 {
                // An empty slot nobody can take as things stand: a two-step ejection chain.
                if let delta = ejectionChain(slot, &roster, qualified: qualified, temperature: temperature, random: &random) {
                    current += delta
                }
            } else if random.unit() < 0.6 || owner == nil {
                // Give the slot to someone else (or to someone, when it is empty).
                let people = qualified[model.slots[slot].duty]
                guard !people.isEmpty else { continue }
                let person = people[random.below(people.count)]
                guard person != owner, roster.violation(person, slot, ignoring: nil) == nil else { continue }
                let before = (owner.map { roster.cost(of: $0) } ?? Roster.unfilledCost) + roster.cost(of: person) + penalty(slot, owner)
                if owner != nil { roster.unassign(slot) }
                roster.assign(slot, to: person)
                let after = (owner.map { roster.cost(of: $0) } ?? 0) + roster.cost(of: person) + penalty(slot, person)
                if accept(after - before, temperature, &random) {
                    current += after - before
                } else {
                    roster.unassign(slot)
                    if let owner { roster.assign(slot, to: owner) }
                }
            } else if let owner {
                // Swap with another slot of someone else.
                let other = free[random.below(free.count)]
                guard let second = roster.assignee[other], second != owner,
                    model.qualifies(second, for: model.slots[slot].duty), model.qualifies(owner, for: model.slots[other].duty)
                else { continue }
                let before = roster.cost(of: owner) + roster.cost(of: second) + penalty(slot, owner) + penalty(other, second)
                roster.unassign(slot)
                roster.unassign(other)
                if roster.violation(second, slot) == nil {
                    roster.assign(slot, to: second)
                    if roster.violation(owner, other) == nil {
                        roster.assign(other, to: owner)
                        let after = roster.cost(of: owner) + roster.cost(of: second) + penalty(slot, second) + penalty(other, owner)
                        if accept(after - before, temperature, &random) {
                            current += after - before
                        } else {
                            roster.unassign(slot)
                            roster.unassign(other)
                            roster.assign(slot, to: owner)
                            roster.assign(other, to: second)
                        }
                    } else {
                        roster.unassign(slot)
                        roster.assign(slot, to: owner)
                        roster.assign(other, to: second)
                    }
                } else {
                    roster.assign(slot, to: owner)
                    roster.assign(other, to: second)
                }
            }
            if current < bestCost - 1e-9 {
                best = roster
                bestCost = current
            }
        }
        return Outcome(roster: best, cost: cost(best), iterations: iteration, reproducible: reproducible)
    }

    /// Gives the empty `slot` to someone whose one conflicting slot then goes to a third person who can take
    /// it: the move that fills a slot when everyone eligible is blocked by a duty of their own (a night too
    /// close, rest after a garde). Returns the change in cost when accepted, nil when the roster is unchanged.
    private func ejectionChain(
        _ slot: Int, _ roster: inout Roster, qualified: [[Int]], temperature: Double, random: inout SplitMix
    ) -> Double? {
        let model = roster.model
        let people = qualified[model.slots[slot].duty]
        guard !people.isEmpty else { return nil }
        let person = people[random.below(people.count)]
        let other: Int
        switch roster.violation(person, slot) {
        case .overlaps(let o)?, .resting(after: let o)?, .dayAfterGarde(let o)?, .nightsTooClose(let o)?, .noRestBefore(let o)?,
            .onDutyTheDayAfter(let o)?:
            other = o
        default: return nil
        }
        guard other != slot, model.pinned[other] == nil, roster.assignee[other] == person else { return nil }
        let personBefore = roster.cost(of: person)
        roster.unassign(other)
        guard roster.violation(person, slot) == nil else {
            roster.assign(other, to: person)
            return nil
        }
        roster.assign(slot, to: person)
        let candidates = qualified[model.slots[other].duty]
        let first = random.below(max(1, candidates.count))
        let taker = candidates.indices.lazy.map { candidates[($0 + first) % candidates.count] }
            .first { $0 != person && roster.violation($0, other) == nil }
        guard let taker else {
            roster.unassign(slot)
            roster.assign(other, to: person)
            return nil
        }
        let takerBefore = roster.cost(of: taker)
        roster.assign(other, to: taker)
        let before = Roster.unfilledCost + personBefore + takerBefore + penalty(slot, nil) + penalty(other, person)
        let after = roster.cost(of: person) + roster.cost(of: taker) + penalty(slot, person) + penalty(other, taker)
        guard accept(after - before, temperature, &random) else {
            roster.unassign(other)
            roster.unassign(slot)
            roster.assign(other, to: person)
            return nil
        }
        return after - before
    }

    /// Repair's cost of a slot's person differing from the published one.
    private func penalty(_ slot: Int, _ person: Int?) -> Double {
        guard let published = options.published?[slot] else { return 0 }
        return published == person ? 0 : options.changeCost
    }

    private func accept(_ delta: Double, _ temperature: Double, _ random: inout SplitMix) -> Bool {
        delta <= 0 || random.unit() < exp(-delta / temperature)
    }
}

/// A small, fast, seedable generator (SplitMix64).
struct SplitMix: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

private final class ChainResults: Sendable {
    private let results: Locked<[RotaSolver.Outcome?]>

    init(count: Int) { results = Locked(Array(repeating: nil, count: count)) }

    func set(_ chain: Int, _ outcome: RotaSolver.Outcome) { results.withLock { $0[chain] = outcome } }

    func best() -> RotaSolver.Outcome {
        results.withLock { results in
            let all = results.compactMap { $0 }
            var winner = all[0]
            for outcome in all.dropFirst() where outcome.cost < winner.cost - 1e-9 { winner = outcome }
            let reproducible = all.allSatisfy(\.reproducible)
            return RotaSolver.Outcome(roster: winner.roster, cost: winner.cost, iterations: all.reduce(0) { $0 + $1.iterations },
                                      reproducible: reproducible)
        }
    }
}
