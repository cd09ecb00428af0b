import Foundation

/// The timbres of the synthetic suite, the classes of the `instrument` task: additive harmonic
/// profiles with sustained, bowed, plucked or struck envelopes, and inharmonic bars.
public enum InstrumentFamily: String, CaseIterable, Codable, Sendable {
    /// Few soft harmonics, slow attack, light vibrato.
    case flute
    /// Odd harmonics, sustained.
    case clarinet
    /// Every harmonic at 1/n, with a brightness swell after the attack.
    case brass
    /// Sawtooth-like harmonics, slow attack, vibrato.
    case bowedString
    /// Bright harmonics that decay fast, higher ones faster.
    case pluckedString
    /// Struck: exponential decay and slightly stretched (inharmonic) partials.
    case piano
    /// Struck bar: the inharmonic modes of a free bar (1, 2.76, 5.40, 8.93), fast decay.
    case mallet
    /// Sustained drawbars at harmonics 1, 2, 3, 4, 6 and 8.
    case organ
    /// Square wave: odd harmonics at 1/n, a short attack.
    case squareSynth

    /// The family's timbre.
    var timbre: Timbre {
        switch self {
        case .flute:
            Timbre(
                partials: Self.harmonics([1, 0.3, 0.1, 0.04]), attackSeconds: 0.08,
                releaseSeconds: 0.08, vibratoRate: 5, vibratoDepth: 0.003)
        case .clarinet:
            Timbre(
                partials: Self.harmonics([1, 0.02, 0.55, 0.02, 0.35, 0.02, 0.2, 0.01, 0.12]),
                attackSeconds: 0.04, releaseSeconds: 0.05)
        case .brass:
            Timbre(
                partials: Self.harmonics((1...10).map { 1 / Double($0) }), attackSeconds: 0.05,
                releaseSeconds: 0.08, swellSeconds: 0.2)
        case .bowedString:
            Timbre(
                partials: Self.harmonics((1...10).map { 0.8 / Double($0) + ($0 == 1 ? 0.2 : 0) }),
                attackSeconds: 0.15, releaseSeconds: 0.15, vibratoRate: 5.5, vibratoDepth: 0.006)
        case .pluckedString:
            Timbre(
                partials: (1...10).map {
                    Timbre.Partial(
                        ratio: Double($0), amplitude: 1 / pow(Double($0), 1.1),
                        decayRate: 2.5 + 1.5 * Double($0))
                }, attackSeconds: 0.002, releaseSeconds: 0.05)
        case .piano:
            Timbre(
                partials: (1...8).map {
                    let n = Double($0)
                    return Timbre.Partial(
                        ratio: n * (1 + 0.0004 * n * n).squareRoot(),
                        amplitude: 1 / pow(n, 1.4), decayRate: 1.2 + 0.9 * n)
                }, attackSeconds: 0.003, releaseSeconds: 0.1)
        case .mallet:
            Timbre(
                partials: zip(
                    [1, 2.756, 5.404, 8.933], [(1.0, 4.0), (0.35, 9), (0.15, 16), (0.06, 25)]
                )
                .map { Timbre.Partial(ratio: $0, amplitude: $1.0, decayRate: $1.1) },
                attackSeconds: 0.001, releaseSeconds: 0.05)
        case .organ:
            Timbre(
                partials: zip([1.0, 2, 3, 4, 6, 8], [1, 0.7, 0.45, 0.3, 0.2, 0.15]).map {
                    Timbre.Partial(ratio: $0, amplitude: $1, decayRate: 0)
                }, attackSeconds: 0.01, releaseSeconds: 0.02)
        case .squareSynth:
            Timbre(
                partials: stride(from: 1, through: 15, by: 2).map {
                    Timbre.Partial(ratio: Double($0), amplitude: 1 / Double($0), decayRate: 0.4)
                }, attackSeconds: 0.005, releaseSeconds: 0.03)
        }
    }

    /// Sustained harmonic partials 1, 2, 3 … with these amplitudes.
    private static func harmonics(_ amplitudes: [Double]) -> [Timbre.Partial] {
        amplitudes.enumerated().map {
            Timbre.Partial(ratio: Double($0.offset + 1), amplitude: $0.element, decayRate: 0)
        }
    }
}
