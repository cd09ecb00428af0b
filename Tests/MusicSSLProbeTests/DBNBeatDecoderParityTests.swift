import Foundation
import Testing

@testable import MusicSSLProbe

@Suite("DBN beat decoder matches madmom")
struct DBNBeatDecoderParityTests {
    @Test(
        "beat frames, times and Viterbi log probability equal madmom's on every synthetic case",
        arguments: [
            "default_fps50", "default_fps100", "custom_fps50", "uncorrected_fps100",
            "flat_tempo_fps50",
        ])
    func matchesMadmom(fixtureName: String) throws {
        let fixture = try MadmomBeatFixture.load(fixtureName)
        let decoder = try DBNBeatDecoder(fixture.configuration)
        var largestTimeDifference = 0.0
        var largestLogProbabilityDifference = 0.0
        for reference in fixture.cases {
            let label = "\(fixtureName)/\(reference.name)"
            let activations = reference.floatActivations
            let decoding = try decoder.decode(activations)
            #expect(decoding.beatFrames == reference.beatFrames, "\(label): beat frames")
            let times = decoder.seconds(ofFrames: decoding.beatFrames)
            #expect(times.count == reference.beats.count, "\(label): beat count")
            for (time, expected) in zip(times, reference.beats) {
                largestTimeDifference = max(largestTimeDifference, abs(time - expected))
            }
            #expect(decoding.path?.states.count == reference.pathLength, "\(label): path length")
            switch (decoding.path?.logProbability, reference.logProbability) {
            case (nil, nil):
                break
            case (let actual?, let expected?):
                // Same operations on glibc's exp/log/logf: equal to the last bit.
                #expect(actual == expected, "\(label): log probability \(actual) vs \(expected)")
                if actual.isFinite {
                    largestLogProbabilityDifference = max(
                        largestLogProbabilityDifference, abs(actual - expected))
                }
            case (let actual, let expected):
                let message =
                    "\(label): log probability \(String(describing: actual)) vs "
                    + "\(String(describing: expected))"
                Issue.record(Comment(rawValue: message))
            }
        }
        #expect(largestTimeDifference <= 1e-9)
        print(
            "[dbn parity] \(fixtureName): \(fixture.cases.count) cases, max beat-time difference "
                + "\(largestTimeDifference) s, max log-probability difference "
                + "\(largestLogProbabilityDifference)")
    }

    @Test("cases where madmom raised IndexError decode to no beats")
    func infeasiblePathsGiveNoBeats() throws {
        let fixture = try MadmomBeatFixture.load("default_fps50")
        let decoder = try DBNBeatDecoder(fixture.configuration)
        let failing = fixture.cases.filter { $0.madmomError != nil }
        #expect(failing.count >= 2)
        for reference in failing {
            let decoding = try decoder.decode(reference.floatActivations)
            #expect(decoding.beatFrames.isEmpty, "\(reference.name)")
            #expect(decoding.path?.logProbability == -.infinity, "\(reference.name)")
        }
    }
}
