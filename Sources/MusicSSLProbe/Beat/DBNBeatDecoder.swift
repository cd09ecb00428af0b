/// Beat tracking by Viterbi decoding of a frame-wise beat activation: a Swift port of madmom
/// 0.16.1's `DBNBeatTrackingProcessor` (Böck, Krebs & Widmer, ISMIR 2014, with the state space of
/// Krebs, Böck & Widmer, ISMIR 2015), the decoder of MARBLE's GTZAN beat-tracking probe.
///
/// The hidden state is (beat interval, position within the beat); the tempo may change only at
/// beat boundaries, with probability ∝ exp(−λ·|j/i − 1|); a beat state observes the activation
/// a, a non-beat state (1 − a)/15. Each run of beat states in the best path becomes one beat at
/// the run's highest activation.
///
/// ```swift
/// let decoder = try DBNBeatDecoder(.init(framesPerSecond: 50))
/// let seconds = try decoder.beats(in: beatProbabilities)  // [Float], one per frame, in [0, 1]
/// ```
///
/// Decoding follows madmom's arithmetic operation for operation (float32 observation logs,
/// float64 scores, NumPy's pairwise sums, SciPy's predecessor order, first-wins ties), so the
/// beats equal madmom's; see Documentation/Probing.md for the evidence. The model is built once
/// in `init` and may be shared between threads.
public struct DBNBeatDecoder: Sendable {
    /// The parameters the decoder was built with.
    public let configuration: Configuration
    let stateSpace: BeatStateSpace
    let observationModel: BeatObservationModel
    let viterbi: ViterbiDecoder

    /// The number of HMM states (1 449 at 50 fps and 5 617 at 100 fps with the defaults).
    public var stateCount: Int { stateSpace.stateCount }

    /// Builds the state space, transitions and observation model for `configuration`.
    ///
    /// - Throws: ``BeatDecodingError`` when a parameter is out of range.
    public init(_ configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let framesPerMinute = 60 * configuration.framesPerSecond
        stateSpace = BeatStateSpace(
            minimumInterval: framesPerMinute / configuration.maximumTempo,
            maximumInterval: framesPerMinute / configuration.minimumTempo,
            intervalCount: configuration.tempoCount)
        observationModel = BeatObservationModel(
            stateSpace: stateSpace, observationLambda: configuration.observationLambda)
        viterbi = ViterbiDecoder(
            transitions: BeatTransitionModel.transitions(
                for: stateSpace, lambda: configuration.transitionLambda),
            densityColumns: observationModel.isBeatState.map { $0 ? 1 : 0 },
            densityColumnCount: 2)
    }

    /// The beat times in seconds (frame / fps) of a beat activation sequence.
    ///
    /// - Parameter activations: The beat probability of each frame, in [0, 1]; any length
    ///   (no beats for an empty or all-zero sequence).
    /// - Returns: Ascending beat times; empty when no beat is found, including when no state
    ///   path has finite probability (exact zeros or ones that no tempo in range can explain;
    ///   madmom raises IndexError there).
    /// - Throws: ``BeatDecodingError/nonFiniteActivation(frame:)`` or
    ///   ``BeatDecodingError/activationOutOfRange(frame:value:)`` for an invalid activation.
    public func beats(in activations: [Float]) throws -> [Double] {
        seconds(ofFrames: try beatFrames(in: activations))
    }

    /// The beat frames (indices into `activations`) of a beat activation sequence; see
    /// ``beats(in:)``.
    public func beatFrames(in activations: [Float]) throws -> [Int] {
        try decode(activations).beatFrames
    }

    /// Frame indices as seconds, frame / fps (madmom's `(beats + first) / float(fps)`).
    func seconds(ofFrames frames: [Int]) -> [Double] {
        frames.map { Double($0) / configuration.framesPerSecond }
    }

    /// The beats with the Viterbi path they were read from.
    struct Decoding {
        /// Beat frames in the uncropped activations.
        let beatFrames: [Int]
        /// The path over the cropped frames; nil when decoding stopped before the Viterbi
        /// (nothing left after the threshold, or all zeros).
        let path: ViterbiDecoder.Path?
    }

    /// Runs madmom's `process_offline`: crop at the threshold, Viterbi, beat placement.
    func decode(_ activations: [Float]) throws -> Decoding {
        try Self.check(activations)
        let frames = croppedFrames(activations)
        let cropped = activations[frames]
        guard cropped.contains(where: { $0 != 0 }) else {
            return Decoding(beatFrames: [], path: nil)
        }
        let path = viterbi.bestPath(logDensities: observationModel.logDensities(cropped))
        let beats = configuration.beatPlacement.beatFrames(
            path: path.states, activations: cropped, isBeatState: observationModel.isBeatState,
            statePositions: stateSpace.statePositions)
        return Decoding(beatFrames: beats.map { $0 + frames.lowerBound }, path: path)
    }

    /// The frames decoded: all of them when the threshold is 0, else from the first to the
    /// last activation ≥ threshold.
    ///
    /// madmom tests `idx.any()` on the indices of those activations, which is false when the
    /// only one is frame 0; nothing is decoded then, and that quirk is kept.
    func croppedFrames(_ activations: [Float]) -> Range<Int> {
        guard configuration.threshold != 0 else { return 0..<activations.count }
        let threshold = configuration.threshold
        guard let first = activations.firstIndex(where: { $0 >= threshold }),
            let last = activations.lastIndex(where: { $0 >= threshold }), last > 0
        else { return 0..<0 }
        return first..<(last + 1)
    }

    /// Checks that every activation is a probability.
    static func check(_ activations: [Float]) throws {
        for (frame, activation) in activations.enumerated() where !(0...1).contains(activation) {
            guard activation.isFinite else {
                throw BeatDecodingError.nonFiniteActivation(frame: frame)
            }
            throw BeatDecodingError.activationOutOfRange(frame: frame, value: activation)
        }
    }
}
