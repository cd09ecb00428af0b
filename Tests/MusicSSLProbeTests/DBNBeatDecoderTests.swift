import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLProbe

@Suite("DBN beat decoder")
struct DBNBeatDecoderTests {
    @Test("default state spaces have madmom's intervals and sizes at 50 and 100 fps")
    func defaultStateSpaces() throws {
        let at50 = try DBNBeatDecoder(.init(framesPerSecond: 50))
        // round(60·50/215) = 14 … round(60·50/55) = 55 frames; Σ 14…55 = 1 449 states.
        #expect(at50.stateSpace.intervals == Array(14...55))
        #expect(at50.stateCount == 1449)
        let at100 = try DBNBeatDecoder(.init(framesPerSecond: 100))
        #expect(at100.stateSpace.intervals == Array(28...109))
        #expect(at100.stateCount == 5617)
        #expect(at50.stateSpace.firstStates.prefix(3) == [0, 14, 29])
        #expect(at50.stateSpace.lastStates.prefix(3) == [13, 28, 44])
        // Beat states: position m/k < 1/16, i.e. m = 0 for k ≤ 16, m ∈ {0, 1} for 17 ≤ k ≤ 32.
        let beatStates = at50.observationModel.isBeatState
        #expect(beatStates[0..<3] == [true, false, false])  // k = 14
        #expect(
            beatStates[at50.stateSpace.firstStates[3]..<at50.stateSpace.firstStates[3] + 3]
                == [true, true, false])  // k = 17
    }

    @Test("num_tempi picks madmom's log-spaced intervals")
    func logSpacedTempi() {
        // Values printed by madmom 0.16.1's BeatStateSpace(min, max, num_intervals).
        let fifty = BeatStateSpace(
            minimumInterval: 3000 / 215, maximumInterval: 3000 / 55,
            intervalCount: 10)
        #expect(fifty.intervals == [14, 16, 19, 22, 26, 30, 35, 40, 47, 55])
        let hundred = BeatStateSpace(
            minimumInterval: 6000 / 180, maximumInterval: 6000 / 70,
            intervalCount: 40)
        #expect(
            hundred.intervals == [
                33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 48, 49, 50, 51, 52, 53,
                55, 56, 57, 59, 60, 62, 63, 65, 66, 68, 69, 71, 73, 74, 76, 78, 80, 82, 84, 86,
            ])
        // A count at least the linear one keeps the linear spacing.
        let linear = BeatStateSpace(
            minimumInterval: 3000 / 215, maximumInterval: 3000 / 55,
            intervalCount: 100)
        #expect(linear.intervals == Array(14...55))
    }

    @Test("tempo-change rows are normalised exp(−λ|j/i − 1|) with negligible values zeroed")
    func tempoChangeProbabilities() {
        let intervals = Array(14...55)
        let rows = BeatTransitionModel.tempoChangeProbabilities(intervals: intervals, lambda: 100)
        for (from, row) in zip(intervals, rows) {
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            for (to, probability) in zip(intervals, row) {
                let distance = abs(Double(to) / Double(from) - 1)
                // exp(−100·d) ≤ 2.2e-16 exactly when d ≥ 0.3604.
                #expect((probability == 0) == (distance >= 0.3604), "\(from) → \(to)")
            }
            let stay = row[from - 14]
            if from < 55 {
                let faster = row[from + 1 - 14]
                #expect(abs(faster / stay - exp(-100 / Double(from))) < 1e-12)
            }
        }
    }

    @Test("pairwise sums equal NumPy's to the last bit")
    func numpyPairwiseSum() {
        // np.sum of these arrays, printed by NumPy 1.23; a sequential sum gives 1.0 for both.
        let short = [1.0] + [Double](repeating: 1e-16, count: 20)
        #expect(pairwiseSum(short[...]) == 1.0000000000000016)
        let long = [1.0] + [Double](repeating: 1e-16, count: 200)
        #expect(pairwiseSum(long[...]) == 1.0000000000000189)
        #expect(pairwiseSum([1, 2, 3][...]) == 6)
        #expect(pairwiseSum([][...]) == 0)
    }

    @Test("the Viterbi path is the best of all paths on a small HMM, found by enumeration")
    func viterbiAgainstEnumeration() {
        // Four states; state 0 and 2 have two predecessors each.
        let transitions = SparseTransitions(
            stateCount: 4,
            transitions: [
                (0, 1, 1.0), (1, 2, 0.7), (1, 0, 0.3), (2, 3, 1.0), (3, 0, 0.6), (3, 2, 0.4),
            ])
        var generator = SplitMix64(seed: 6)
        for _ in 0..<20 {
            let frameCount = 6
            let densities = (0..<(2 * frameCount)).map { _ in
                log(Double.random(in: 0.01...1, using: &generator))
            }
            let columns = [1, 0, 1, 0]
            let viterbi = ViterbiDecoder(
                transitions: transitions, densityColumns: columns, densityColumnCount: 2)
            let path = viterbi.bestPath(logDensities: densities)
            let logTransition: [[Double?]] = {
                var matrix = [[Double?]](repeating: [Double?](repeating: nil, count: 4), count: 4)
                for state in 0..<4 {
                    for entry in transitions.rowStarts[state]..<transitions.rowStarts[state + 1] {
                        matrix[Int(transitions.predecessors[entry])][state] =
                            transitions.logProbabilities[entry]
                    }
                }
                return matrix
            }()
            // Enumerate the state before frame 0 (uniform prior) and the six frames' states.
            var best = -Double.infinity
            var bestStates: [Int] = []
            for code in 0..<(1 << (2 * (frameCount + 1))) {
                let states = (0...frameCount).map { (code >> (2 * $0)) & 3 }
                var score = log(0.25)
                for frame in 0..<frameCount {
                    guard let step = logTransition[states[frame]][states[frame + 1]] else {
                        score = -.infinity
                        break
                    }
                    score += step + densities[2 * frame + columns[states[frame + 1]]]
                }
                if score > best {
                    best = score
                    bestStates = Array(states.dropFirst())
                }
            }
            #expect(path.states == bestStates)
            #expect(abs(path.logProbability - best) < 1e-9)
        }
    }

    @Test("a clean click train at 120 bpm gives a beat on every click")
    func clickTrain() throws {
        for fps in [50.0, 100.0] {
            let decoder = try DBNBeatDecoder(.init(framesPerSecond: fps))
            let period = Int(fps / 2)
            let clicks = Array(stride(from: 7, to: Int(fps) * 10, by: period))
            var activations = [Float](repeating: 0.02, count: Int(fps) * 10)
            for click in clicks { activations[click] = 0.9 }
            #expect(try decoder.beatFrames(in: activations) == clicks)
            let seconds = try decoder.beats(in: activations)
            #expect(seconds == clicks.map { Double($0) / fps })
        }
    }

    @Test("a threshold crops the sequence and offsets the beats by the first kept frame")
    func thresholdOffsetsBeats() throws {
        let period = 25
        var core = [Float](repeating: 0.05, count: 400)
        for click in stride(from: 3, to: 400, by: period) { core[click] = 0.8 }
        let padded =
            [Float](repeating: 0.01, count: 37) + core + [Float](repeating: 0.01, count: 20)
        let cropping = try DBNBeatDecoder(.init(framesPerSecond: 50, threshold: 0.5))
        let plain = try DBNBeatDecoder(.init(framesPerSecond: 50))
        let expected = try plain.beatFrames(in: Array(core[3...])).map { $0 + 37 + 3 }
        #expect(try cropping.beatFrames(in: padded) == expected)
        // madmom's quirk: when only frame 0 reaches the threshold, nothing is decoded.
        var firstOnly = [Float](repeating: 0.1, count: 100)
        firstOnly[0] = 0.9
        #expect(try cropping.beatFrames(in: firstOnly).isEmpty)
        #expect(try plain.beatFrames(in: firstOnly).first == 0)
    }

    @Test("empty, all-zero and below-threshold sequences give no beats")
    func noBeats() throws {
        let decoder = try DBNBeatDecoder(.init(framesPerSecond: 50))
        #expect(try decoder.beats(in: []).isEmpty)
        #expect(try decoder.beats(in: [Float](repeating: 0, count: 300)).isEmpty)
        let thresholded = try DBNBeatDecoder(.init(framesPerSecond: 50, threshold: 0.5))
        #expect(try thresholded.beats(in: [Float](repeating: 0.4, count: 300)).isEmpty)
        // Exact zeros for longer than the longest beat interval leave no possible path.
        var gap = [Float](repeating: 0.3, count: 300)
        for frame in 100..<160 { gap[frame] = 0 }
        #expect(try decoder.decode(gap).path?.logProbability == -.infinity)
        #expect(try decoder.beats(in: gap).isEmpty)
    }

    @Test("invalid activations are refused with the frame that holds them")
    func invalidActivations() throws {
        let decoder = try DBNBeatDecoder(.init(framesPerSecond: 50))
        #expect(throws: BeatDecodingError.nonFiniteActivation(frame: 2)) {
            try decoder.beats(in: [0.1, 0.2, .nan, 0.3])
        }
        #expect(throws: BeatDecodingError.nonFiniteActivation(frame: 0)) {
            try decoder.beats(in: [.infinity])
        }
        #expect(throws: BeatDecodingError.activationOutOfRange(frame: 1, value: 1.5)) {
            try decoder.beats(in: [0.1, 1.5])
        }
        #expect(throws: BeatDecodingError.activationOutOfRange(frame: 0, value: -0.25)) {
            try decoder.beats(in: [-0.25])
        }
    }

    @Test("invalid configurations are refused, naming the parameter")
    func invalidConfigurations() {
        #expect(throws: BeatDecodingError.invalidFrameRate(0)) {
            try DBNBeatDecoder(.init(framesPerSecond: 0))
        }
        #expect(throws: BeatDecodingError.invalidFrameRate(-50)) {
            try DBNBeatDecoder(.init(framesPerSecond: -50))
        }
        #expect(throws: BeatDecodingError.invalidTempoRange(minimum: 120, maximum: 120)) {
            try DBNBeatDecoder(.init(framesPerSecond: 50, minimumTempo: 120, maximumTempo: 120))
        }
        #expect(throws: BeatDecodingError.invalidTempoRange(minimum: 0, maximum: 215)) {
            try DBNBeatDecoder(.init(framesPerSecond: 50, minimumTempo: 0))
        }
        #expect(throws: BeatDecodingError.intervalTooShort(frames: 60.0 / 215)) {
            try DBNBeatDecoder(.init(framesPerSecond: 1))
        }
        #expect(throws: BeatDecodingError.self) {
            try DBNBeatDecoder(.init(framesPerSecond: 50, tempoCount: 0))
        }
        #expect(throws: BeatDecodingError.self) {
            try DBNBeatDecoder(.init(framesPerSecond: 50, observationLambda: 0))
        }
        #expect(throws: BeatDecodingError.self) {
            try DBNBeatDecoder(.init(framesPerSecond: 50, transitionLambda: -1))
        }
        let message = String(
            describing: BeatDecodingError.invalidTempoRange(minimum: 9, maximum: 5))
        #expect(message.contains("min_bpm") && message.contains("max_bpm"))
    }

    @Test("configurations decode madmom's keyword names, defaulting the missing ones")
    func configurationCoding() throws {
        let defaults = try JSONDecoder().decode(
            DBNBeatDecoder.Configuration.self, from: Data(#"{"fps": 50}"#.utf8))
        #expect(defaults == DBNBeatDecoder.Configuration(framesPerSecond: 50))
        #expect(defaults.minimumTempo == 55 && defaults.maximumTempo == 215)
        #expect(defaults.transitionLambda == 100 && defaults.observationLambda == 16)
        #expect(defaults.tempoCount == nil && defaults.threshold == 0)
        #expect(defaults.beatPlacement == .activationPeak)
        let custom = try JSONDecoder().decode(
            DBNBeatDecoder.Configuration.self,
            from: Data(#"{"fps": 100, "num_tempi": 40, "correct": false, "threshold": 0.05}"#.utf8))
        #expect(custom.tempoCount == 40 && custom.beatPlacement == .positionMinimum)
        #expect(custom.threshold == Float(0.05))
        let roundTrip = try JSONDecoder().decode(
            DBNBeatDecoder.Configuration.self, from: JSONEncoder().encode(custom))
        #expect(roundTrip == custom)
    }
}
