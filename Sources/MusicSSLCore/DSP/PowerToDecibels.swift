import Foundation

/// Converts power to decibels, as `librosa.power_to_db` (defaults `ref=1.0`, `amin=1e-10`,
/// `top_db=80`).
///
/// `10 · log10(max(minimumPower, S)) − 10 · log10(max(minimumPower, reference))`, then, when
/// ``dynamicRange`` is set, every value is raised to at least the largest one minus the range.
/// The floor depends on the whole input, so converting a clip in pieces differs from converting
/// it at once wherever the floor applies.
public struct PowerToDecibels: Codable, Equatable, Sendable {
    /// The power that maps to 0 dB (librosa `ref`, a fixed value).
    public var reference: Float
    /// Smallest power considered, so silence maps to a finite level (librosa `amin`).
    public var minimumPower: Float
    /// Decibels kept below the loudest value (librosa `top_db`); `nil` keeps everything.
    public var dynamicRange: Float?

    /// A conversion with librosa's defaults.
    public init(reference: Float = 1, minimumPower: Float = 1e-10, dynamicRange: Float? = 80) {
        self.reference = reference
        self.minimumPower = minimumPower
        self.dynamicRange = dynamicRange
    }

    /// Decibels of every element.
    ///
    /// - Parameter power: any shape (a power spectrogram, e.g. `[frames, mels]`).
    /// - Returns: the same shape, in dB.
    /// - Throws: ``TensorError`` when ``minimumPower`` is not positive or ``dynamicRange`` is
    ///   negative (librosa raises the same).
    public func callAsFunction(_ power: Tensor) throws -> Tensor {
        guard minimumPower > 0 else {
            throw TensorError("PowerToDecibels", "minimum power \(minimumPower) must be positive")
        }
        if let range = dynamicRange, !(range >= 0) {
            throw TensorError("PowerToDecibels", "dynamic range \(range) dB must be non-negative")
        }
        let floor = minimumPower
        let offset = 10 * log10(max(floor, abs(reference)))
        var decibels = power.withUnsafeBufferPointer { values in
            Tensor.filling(power.shape) { out in
                for i in values.indices { out[i] = 10 * log10(max(floor, values[i])) - offset }
            }
        }
        guard let range = dynamicRange, decibels.count > 0 else { return decibels }
        decibels.withUnsafeMutableBufferPointer { values in
            // librosa: np.maximum(log_spec, log_spec.max() − top_db).
            let lowest = (values.max() ?? 0) - range
            for i in values.indices where values[i] < lowest { values[i] = lowest }
        }
        return decibels
    }
}
