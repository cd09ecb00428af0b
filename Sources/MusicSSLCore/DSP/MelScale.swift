import Foundation

/// A mapping between frequency in hertz and the perceptual mel scale.
public enum MelScale: String, Codable, Sendable, Equatable {
    /// mel = 1127 ln(1 + f / 700), as Kaldi and HTK (librosa `htk=True` writes the same curve as
    /// 2595 log₁₀(1 + f / 700)).
    case htk
    /// Slaney's Auditory Toolbox scale, librosa's default (`htk=False`): linear at 200/3 Hz per
    /// mel below 1 kHz, logarithmic with 27 mels per factor 6.4 above.
    case slaney

    private static let slaneyLinearHertzPerMel = 200.0 / 3
    private static let slaneyBreakHertz = 1000.0
    private static let slaneyBreakMel = slaneyBreakHertz / slaneyLinearHertzPerMel
    private static let slaneyLogStep = log(6.4) / 27

    /// The mel value of `hertz`.
    public func mel(fromHertz hertz: Double) -> Double {
        switch self {
        case .htk:
            return 1127 * log(1 + hertz / 700)
        case .slaney:
            guard hertz >= Self.slaneyBreakHertz else {
                return hertz / Self.slaneyLinearHertzPerMel
            }
            return Self.slaneyBreakMel + log(hertz / Self.slaneyBreakHertz) / Self.slaneyLogStep
        }
    }

    /// The frequency in hertz of `mel`.
    public func hertz(fromMel mel: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (exp(mel / 1127) - 1)
        case .slaney:
            guard mel >= Self.slaneyBreakMel else { return mel * Self.slaneyLinearHertzPerMel }
            return Self.slaneyBreakHertz * exp(Self.slaneyLogStep * (mel - Self.slaneyBreakMel))
        }
    }
}
