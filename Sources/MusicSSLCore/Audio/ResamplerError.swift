/// Why ``Resampler/resample(_:from:to:)`` or ``SincResampler/resample(_:from:to:)`` could not
/// convert a signal.
///
/// Messages read `[resample] 44100 Hz to 0 Hz: sample rates must be positive`.
public enum ResamplerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A rate is zero or negative.
    case nonPositiveRate(inputRate: Int, outputRate: Int)
    /// One rate is more than ``Resampler/maximumRatio`` times the other.
    case ratioOutOfRange(inputRate: Int, outputRate: Int)
    /// libsamplerate reported an error; its message.
    case library(String)
    /// A ``SincResampler``'s filter width is not positive or its rolloff not a positive finite
    /// number.
    case invalidSincFilter(lowpassFilterWidth: Int, rolloff: Double)
    /// A ``SincResampler``'s rates reduce to a ratio with a term over
    /// ``SincResampler/maximumPeriod`` (such as a coprime pair of high rates): its kernel would
    /// need gigabytes.
    case periodTooLong(inputRate: Int, outputRate: Int)

    /// The message, starting `[resample]` and naming both rates.
    public var description: String {
        switch self {
        case .nonPositiveRate(let inputRate, let outputRate):
            "[resample] \(inputRate) Hz to \(outputRate) Hz: sample rates must be positive"
        case .ratioOutOfRange(let inputRate, let outputRate):
            "[resample] \(inputRate) Hz to \(outputRate) Hz: the rates may differ by a factor of "
                + "at most \(Resampler.maximumRatio)"
        case .library(let reason):
            "[resample] libsamplerate: \(reason)"
        case .invalidSincFilter(let lowpassFilterWidth, let rolloff):
            "[resample] sinc filter: lowpassFilterWidth \(lowpassFilterWidth) must be positive "
                + "and rolloff \(rolloff) positive and finite"
        case .periodTooLong(let inputRate, let outputRate):
            "[resample] \(inputRate) Hz to \(outputRate) Hz: the sinc kernel takes rates whose "
                + "reduced ratio has terms of at most \(SincResampler.maximumPeriod); use Resampler"
        }
    }
}
