/// A head CT slice that compresses like a real one: field-of-view padding, air, scalp, a skull with diploe,
/// grey and white matter with folded cortex, ventricles, vessels that take up contrast, and smooth
/// (spatially correlated) CT noise. Values are stored pixel values with rescale intercept -1024 (HU + 1024),
/// tuned against the statistics of a real 512x512 head slice.
struct HeadPhantom: Sendable {
    static let size = 512
    static let paddingValue: Int16 = -2000

    /// Where the slice is, 0 at the skull base and 1 at the vertex.
    var level: Double
    /// Vessel enhancement, 0 (no contrast) to 1 (arterial peak).
    var contrast: Double
    /// Noise standard deviation in HU (before smoothing the noise is 1/0.375 times larger).
    var noise: Float = 3.8

    func render(random: inout SeededRandom) -> [Int16] {
        let size = Self.size
        let center = Double(size) / 2
        // The head's cross-section shrinks towards the base and the vertex.
        let shape = max(0.25, (1 - pow((level - 0.45) / 0.62, 2)).squareRoot())
        let outerA = 132 * shape, outerB = 166 * shape
        let scalp = 6.0, skull = 13.0
        let ventricles = level > 0.3 && level < 0.7
        let vesselValue = 1062 + 300 * contrast
        let vessels: [(x: Double, y: Double, r: Double)] = [
            (center - 28, center + 10, 3.5), (center + 28, center + 10, 3.5), (center, center - 40, 2.5),
            (center - 60 * shape, center + 30, 2.0), (center + 60 * shape, center + 30, 2.0),
            (center, center + 95 * shape, 4.0),
        ]

        var image = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            let dy = Double(y) - center
            for x in 0..<size {
                let dx = Double(x) - center
                let fov = (dx * dx + dy * dy).squareRoot()
                if fov > 250 {
                    image[y * size + x] = .nan
                    continue
                }
                // Normalised elliptical radius and angle.
                let radius = ((dx / outerA) * (dx / outerA) + (dy / outerB) * (dy / outerB)).squareRoot()
                let depth = (1 - radius) * min(outerA, outerB)  // pixels inside the outer surface
                var value: Double
                if depth < 0 {
                    value = 24 + 8 * Foundation.exp(depth / 40)  // air, a little brighter near the head
                } else if depth < scalp {
                    value = 1058
                } else if depth < scalp + skull {
                    // Cortical bone on both tables, diploe in between.
                    let t = (depth - scalp) / skull
                    let diploe = 1 - 4 * (t - 0.5) * (t - 0.5)
                    value = 2350 - 700 * diploe + 60 * Foundation.sin(Double(x) * 0.21 + Double(y) * 0.17)
                } else {
                    let angle = Foundation.atan2(dy, dx)
                    let inner = depth - scalp - skull
                    let fold = 5 + 3 * Foundation.sin(13 * angle + 9 * level) + 2 * Foundation.sin(29 * angle)
                    if inner < fold {
                        value = inner < 1.5 ? 1034 : 1062  // CSF at the surface, then cortex
                    } else {
                        value = 1049 + 3 * Foundation.sin(Double(x) * 0.05) * Foundation.cos(Double(y) * 0.04)
                    }
                    if ventricles {
                        let vx = (abs(dx) - 14) / 9, vy = (dy + 5) / (30 * shape)
                        if vx * vx + vy * vy < 1 { value = 1030 }
                    }
                    for vessel in vessels {
                        let ex = Double(x) - vessel.x, ey = Double(y) - vessel.y
                        if ex * ex + ey * ey < vessel.r * vessel.r { value = vesselValue }
                    }
                }
                image[y * size + x] = Float(value)
            }
        }
        return addNoise(image, random: &random)
    }

    /// White Gaussian noise smoothed by a separable [1 2 1]/4 kernel: CT noise is spatially correlated.
    private func addNoise(_ image: [Float], random: inout SeededRandom) -> [Int16] {
        let size = Self.size
        let table = GaussianTable.shared.values
        let white = noise / 0.375
        var raw = [Float](repeating: 0, count: size * size)
        var bits: UInt64 = 0
        for index in 0..<raw.count {
            if index & 3 == 0 { bits = random.next() }
            raw[index] = table[Int(bits & 0xFFFF)] * white
            bits >>= 16
        }
        var horizontal = raw
        for y in 0..<size {
            for x in 1..<(size - 1) {
                let i = y * size + x
                horizontal[i] = 0.25 * raw[i - 1] + 0.5 * raw[i] + 0.25 * raw[i + 1]
            }
        }
        var output = [Int16](repeating: Self.paddingValue, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let i = y * size + x
                let base = image[i]
                if base.isNaN { continue }
                let up = y > 0 ? horizontal[i - size] : horizontal[i]
                let down = y < size - 1 ? horizontal[i + size] : horizontal[i]
                let smoothed = 0.25 * up + 0.5 * horizontal[i] + 0.25 * down
                output[i] = Int16(max(-1000, min(4000, (base + smoothed).rounded())))
            }
        }
        return output
    }
}

import Foundation
