import CSampleRate

/// Converts mono audio between sample rates with libsamplerate's band-limited sinc interpolation.
///
/// Music files come at 44.1, 48, 22.05 kHz and more; the models want 16 kHz (HuBERT, Music2vec,
/// MERT-v0) or 24 kHz (MERT-v1). `.best` is libsamplerate's `SRC_SINC_BEST_QUALITY` (its
/// documentation gives 97 dB SNR and a 97 % bandwidth); content above the lower of the two
/// Nyquist frequencies is filtered out, so nothing aliases into the output.
///
/// The output is time-aligned with the input (sample `k` of the output is the signal at
/// `k / outputRate` seconds, as sample `j` of the input is at `j / inputRate`) and holds
/// ``outputFrameCount(forInputFrames:from:to:)`` samples.
///
/// ```swift
/// let clip = try AudioDecoder.read(url)
/// let samples = try Resampler().resample(clip.samples, from: clip.sampleRate, to: 16_000)
/// ```
public struct Resampler: Sendable {
    /// The interpolation filter, trading speed for stop-band rejection and bandwidth.
    public enum Quality: Sendable, CaseIterable {
        /// `SRC_SINC_BEST_QUALITY`: 97 dB SNR, 97 % bandwidth; the default.
        case best
        /// `SRC_SINC_MEDIUM_QUALITY`: 97 dB SNR, 90 % bandwidth, several times faster.
        case medium
        /// `SRC_SINC_FASTEST`: 97 dB SNR, 80 % bandwidth, fastest of the sinc filters.
        case fastest

        /// Half the filter's support in samples at the lower of the two rates, rounded up:
        /// an output sample depends on input within this distance of its instant (measured
        /// from libsamplerate 0.2.2's impulse responses: 142.6, 45.5 and 19.2).
        var halfWidthAtLowerRate: Int {
            switch self {
            case .best: 143
            case .medium: 46
            case .fastest: 20
            }
        }

        var converterType: Int32 {
            switch self {
            case .best: Int32(SRC_SINC_BEST_QUALITY)
            case .medium: Int32(SRC_SINC_MEDIUM_QUALITY)
            case .fastest: Int32(SRC_SINC_FASTEST)
            }
        }
    }

    /// The largest factor by which one conversion may raise or lower the rate (libsamplerate's
    /// `SRC_MAX_RATIO`): 8 kHz to 2.048 MHz up, 192 kHz to 750 Hz down.
    public static let maximumRatio = 256

    /// The interpolation filter used.
    public let quality: Quality

    /// Creates a resampler with the given filter quality.
    public init(quality: Quality = .best) {
        self.quality = quality
    }

    /// The number of samples ``resample(_:from:to:)`` returns for `inputFrames` input samples:
    /// `inputFrames · outputRate / inputRate` rounded to the nearest integer (halves up).
    ///
    /// Rates are not checked here; ``resample(_:from:to:)`` checks them.
    public static func outputFrameCount(
        forInputFrames inputFrames: Int, from inputRate: Int, to outputRate: Int
    ) -> Int {
        guard inputRate > 0, outputRate > 0, inputFrames > 0 else { return 0 }
        // Exact integer arithmetic: a floating-point product misrounds some exact halves.
        let (product, overflow) = inputFrames.multipliedReportingOverflow(by: outputRate)
        if overflow {
            return Int((Double(inputFrames) * Double(outputRate) / Double(inputRate)).rounded())
        }
        return (product + inputRate / 2) / inputRate
    }

    /// Converts `samples` from `inputRate` to `outputRate`.
    ///
    /// - Parameters:
    ///   - samples: [frames] mono samples at `inputRate`.
    ///   - inputRate: The rate of `samples` in Hz.
    ///   - outputRate: The wanted rate in Hz.
    /// - Returns: [outputFrameCount(forInputFrames: samples.count, from: inputRate, to:
    ///   outputRate)] samples at `outputRate`; `samples` itself when the rates are equal.
    ///
    /// The input gets a few frames of padding appended: passed as the caller's last use
    /// (`resample(consume samples, …)`) into an array with that much spare capacity (whole-file
    /// reads of ``AudioFileReader`` leave it), they are appended in place instead of copying
    /// the whole input.
    /// - Throws: ``ResamplerError`` when a rate is not positive, the ratio exceeds
    ///   ``maximumRatio``, or libsamplerate fails.
    public func resample(
        _ samples: consuming [Float], from inputRate: Int, to outputRate: Int
    ) throws
        -> [Float]
    {
        guard inputRate > 0, outputRate > 0 else {
            throw ResamplerError.nonPositiveRate(inputRate: inputRate, outputRate: outputRate)
        }
        guard inputRate != outputRate else { return samples }
        let ratio = Double(outputRate) / Double(inputRate)
        guard max(inputRate, outputRate) <= Self.maximumRatio * min(inputRate, outputRate),
            src_is_valid_ratio(ratio) != 0
        else {
            throw ResamplerError.ratioOutOfRange(inputRate: inputRate, outputRate: outputRate)
        }
        let outputCount = Self.outputFrameCount(
            forInputFrames: samples.count, from: inputRate, to: outputRate)
        guard outputCount > 0 else { return [] }

        // libsamplerate stops once the next output instant lies past the last input sample, which
        // leaves it one short of the rounded length for about a third of lengths. Zeros appended
        // to the input (what it assumes past the end anyway) let it reach that last instant.
        let paddingCount = (inputRate + outputRate - 1) / outputRate + 2
        var input = consume samples
        input.append(contentsOf: repeatElement(0, count: paddingCount))
        let capacity =
            Self.outputFrameCount(
                forInputFrames: input.count, from: inputRate, to: outputRate) + 16
        var output = [Float](repeating: 0, count: capacity)

        var generated = 0
        let status = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var data = SRC_DATA()
                data.data_in = inputBuffer.baseAddress
                data.data_out = outputBuffer.baseAddress
                data.input_frames = inputBuffer.count
                data.output_frames = outputBuffer.count
                data.end_of_input = 1
                data.src_ratio = ratio
                let status = src_simple(&data, quality.converterType, 1)
                generated = data.output_frames_gen
                return status
            }
        }
        guard status == 0 else {
            let reason = src_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            throw ResamplerError.library(reason)
        }
        guard generated >= outputCount else {
            throw ResamplerError.library(
                "produced \(generated) samples, expected at least \(outputCount)")
        }
        output.removeLast(capacity - outputCount)
        return output
    }
}
