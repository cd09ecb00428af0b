import Foundation
import MusicSSLCore

/// A synthetic sequence-labelling task that needs attention: every frame carries a random symbol,
/// and its class is the largest symbol within `radius` frames of it (itself included).
///
/// A frame's features are the one-hot code of its symbol followed by sinusoidal position
/// features (as in Vaswani et al., 2017), which let attention find the neighbouring frames.
struct WindowMaximumTask {
    /// Symbols, and so classes.
    let symbolCount: Int
    /// Frames per sequence.
    let frameCount: Int
    /// How many frames on each side a frame's class looks at.
    let radius: Int
    /// Sinusoidal position features per frame (sine and cosine of half as many frequencies).
    let positionDimensions = 8

    /// Width of one frame's features.
    var featureDimensions: Int { symbolCount + positionDimensions }

    /// Inputs and labels of a batch.
    struct Batch {
        /// `[batch, frames, featureDimensions]`.
        let features: Tensor
        /// `batch · frames` class ids, row-major.
        let targets: [Int]
    }

    /// Draws `size` sequences.
    func batch(size: Int, using generator: inout some RandomNumberGenerator) throws -> Batch {
        let symbols = (0..<size * frameCount).map { _ in
            Int(generator.next() % UInt64(symbolCount))
        }
        var targets = [Int](repeating: 0, count: symbols.count)
        var features = [Float](repeating: 0, count: symbols.count * featureDimensions)
        let positions = positionFeatures()
        for sequence in 0..<size {
            for frame in 0..<frameCount {
                let index = sequence * frameCount + frame
                let window = max(0, frame - radius)...min(frameCount - 1, frame + radius)
                targets[index] = window.map { symbols[sequence * frameCount + $0] }.max() ?? 0
                let row = index * featureDimensions
                features[row + symbols[index]] = 1
                for k in 0..<positionDimensions {
                    features[row + symbolCount + k] = positions[frame * positionDimensions + k]
                }
            }
        }
        return Batch(
            features: try Tensor(shape: [size, frameCount, featureDimensions], scalars: features),
            targets: targets)
    }

    /// `[frames, positionDimensions]`, row-major: sin(p·ω_k) and cos(p·ω_k), ω_k = 10000^(−2k/P).
    private func positionFeatures() -> [Float] {
        let half = positionDimensions / 2
        var values = [Float](repeating: 0, count: frameCount * positionDimensions)
        for frame in 0..<frameCount {
            for k in 0..<half {
                let angle =
                    Float(frame) * Float(pow(10_000, -2 * Double(k) / Double(positionDimensions)))
                values[frame * positionDimensions + k] = sin(angle)
                values[frame * positionDimensions + half + k] = cos(angle)
            }
        }
        return values
    }
}
