import Foundation
import MusicSSLProbe

/// One file written by Tests/FixtureGenerators/dbn_beats.py: a madmom configuration and the
/// beats madmom's `DBNBeatTrackingProcessor` found in each synthetic activation sequence.
struct MadmomBeatFixture: Decodable {
    /// One activation sequence and madmom's answer.
    struct Case: Decodable {
        /// What the sequence exercises, e.g. `tempo_step_90_to_150`.
        let name: String
        /// float32 activations, written as exact decimals.
        let activations: [Double]
        /// madmom's beat times in seconds.
        let beats: [Double]
        /// The same beats as frame indices.
        let beatFrames: [Int]
        /// The Viterbi log probability madmom computed with glibc's `exp`/`log`/`logf`; nil
        /// when madmom did not reach the Viterbi, −∞ when no path was possible.
        let logProbability: Double?
        /// The length of madmom's Viterbi path (0 when no path was possible).
        let pathLength: Int?
        /// The exception madmom raised, if any.
        let madmomError: String?

        enum CodingKeys: String, CodingKey {
            case name, activations, beats
            case beatFrames = "beat_frames"
            case logProbability = "log_probability"
            case pathLength = "path_length"
            case madmomError = "madmom_error"
        }

        /// The activations as the decoder takes them.
        var floatActivations: [Float] { activations.map { Float($0) } }
    }

    /// madmom's keyword arguments.
    let configuration: DBNBeatDecoder.Configuration
    /// The sequences.
    let cases: [Case]

    /// Reads `Fixtures/dbn_beats/<name>.json` from the test bundle.
    static func load(_ name: String) throws -> MadmomBeatFixture {
        guard
            let url = Bundle.module.url(
                forResource: name, withExtension: "json", subdirectory: "Fixtures/dbn_beats")
        else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "Fixtures/dbn_beats/\(name).json is not in the test bundle; run "
                        + "Tests/FixtureGenerators/dbn_beats.py"
                ])
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(MadmomBeatFixture.self, from: Data(contentsOf: url))
    }
}
