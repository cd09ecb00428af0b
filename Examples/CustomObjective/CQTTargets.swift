import Foundation
import MusicSSLCore

/// How ``CQTTargets`` scales the CQT magnitude before the head regresses it (`--cqt-scale`).
enum CQTMagnitudeScale: String {
    /// The linear magnitude, as MERT regresses it (model-spec §6.2).
    case linear
    /// log(1 + magnitude): keeps loud low bins, whose librosa-scaled magnitude grows with
    /// √(kernel length), from dwarfing quiet ones.
    case logarithmic = "log"
}

/// MERT's musical-teacher targets: the constant-Q transform magnitude of each clip, one
/// `binCount`-wide vector per encoder frame (model-spec §6.2).
///
/// As in MERT, frame t of the CQT is centred on sample `t · hop` of the clip (zero-padded at
/// both ends) and the first T frames are kept, T being the feature extractor's frame count;
/// with `hop` equal to the extractor's stride the two frame rates agree. The targets are
/// computed from the waveform the model sees, outside the autodiff graph; the provider holds
/// no trainable parameters and no state to checkpoint, so it only implements
/// ``TargetProvider/targets(for:)``.
final class CQTTargets: TargetProvider {
    /// The transform, with its kernels built once.
    let transform: ConstantQTransform
    /// Applied to the magnitude.
    let scale: CQTMagnitudeScale

    /// Targets from the CQT of `configuration`.
    ///
    /// - Parameter samplesPerFrame: the feature extractor's stride, which must be the CQT's hop
    ///   so that CQT frames and encoder frames share a rate.
    /// - Throws: ``TensorError`` when the configuration is invalid or its hop is not the
    ///   extractor's stride.
    init(
        configuration: CQTConfiguration, samplesPerFrame: Int, scale: CQTMagnitudeScale = .linear
    ) throws {
        guard configuration.hopLength == samplesPerFrame else {
            throw TensorError(
                "CQTTargets",
                "the CQT hop (\(configuration.hopLength) samples) must equal the feature extractor's "
                    + "stride (\(samplesPerFrame)) so that CQT and encoder frames align")
        }
        transform = try ConstantQTransform(configuration: configuration)
        self.scale = scale
    }

    /// Width of each target vector.
    var binCount: Int { transform.configuration.binCount }

    func targets(for context: TargetContext) throws -> FrameTargets {
        let op = "CQTTargets"
        let waveforms = context.batch.waveforms  // [B, N]
        guard context.batch.sampleRate == transform.configuration.sampleRate else {
            throw TensorError(
                op,
                "the batch is at \(context.batch.sampleRate) Hz but the CQT was built for "
                    + "\(transform.configuration.sampleRate) Hz")
        }
        let (batch, sampleCount, frames, bins) = (
            waveforms.shape[0], waveforms.shape[1], context.frameCount, binCount
        )
        let samples = waveforms.scalars
        var targets = [Float](repeating: 0, count: batch * frames * bins)
        for example in 0..<batch {
            // Only the clip's real samples; its padding frames keep zero targets, which no
            // loss counts.
            let length = context.batch.sampleLengths?[example] ?? sampleCount
            guard length >= 1, length <= sampleCount else {
                throw TensorError(
                    op, "clip \(example) has \(length) real samples in a batch of \(sampleCount)")
            }
            let clip = Array(samples[(example * sampleCount)..<(example * sampleCount + length)])
            let magnitude = try transform(clip).scalars  // [⌊length / hop⌋ + 1, bins]
            // MERT keeps the first T CQT frames (⌊N / hop⌋ + 1 ≥ T).
            let kept = Swift.min(context.frameLengths[example], magnitude.count / bins)
            for index in 0..<(kept * bins) {
                let value = magnitude[index]
                targets[(example * frames) * bins + index] =
                    scale == .logarithmic ? log1p(value) : value
            }
        }
        return .vectors(try Tensor(shape: [batch, frames, bins], scalars: targets))
    }
}
