import ArgumentParser

/// The argument of dcm-compress --lossy: "NEAR=n", n from 1 to 255.
struct LossySetting: Sendable, ExpressibleByArgument {
    let near: Int

    init?(argument text: String) {
        let parts = text.split(separator: "=")
        guard parts.count == 2, parts[0].uppercased() == "NEAR", let near = Int(parts[1]), (1...255).contains(near)
        else { return nil }
        self.near = near
    }
}
