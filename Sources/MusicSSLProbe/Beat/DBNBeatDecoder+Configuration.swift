extension DBNBeatDecoder {
    /// Where a beat is placed inside the path's run of beat states.
    public enum BeatPlacement: Equatable, Sendable {
        /// At the frame of the highest activation within each contiguous run of beat states in
        /// the Viterbi path (the first such frame on ties): madmom's `correct=True`, the default.
        case activationPeak
        /// At the frames where the path's position within the beat is a strict local minimum
        /// (neighbours wrapping around the sequence's ends), kept when that state is a beat
        /// state: madmom's `correct=False`.
        case positionMinimum
    }

    /// The parameters of ``DBNBeatDecoder``, named and defaulted as madmom 0.16.1's
    /// `DBNBeatTrackingProcessor`.
    ///
    /// Encoded with madmom's argument names (`fps`, `min_bpm`, `max_bpm`, `num_tempi`,
    /// `transition_lambda`, `observation_lambda`, `threshold`, `correct`); a missing key takes
    /// madmom's default, except `fps`, which madmom also requires.
    public struct Configuration: Codable, Equatable, Sendable {
        /// `fps`: activation frames per second (50 for Music2vec / MusicHuBERT features, 75 for
        /// MERT-v1, 100 for madmom's own networks).
        public var framesPerSecond: Double
        /// `min_bpm`: the slowest tempo modelled, 55.
        public var minimumTempo: Double
        /// `max_bpm`: the fastest tempo modelled, 215.
        public var maximumTempo: Double
        /// `num_tempi`: nil (the default) models every whole-frame beat interval between the
        /// two tempi; a count smaller than that picks about that many log-spaced intervals.
        public var tempoCount: Int?
        /// `transition_lambda`: how strongly the tempo is kept from one beat to the next, 100;
        /// a change from interval i to j has probability ∝ exp(−λ·|j/i − 1|).
        public var transitionLambda: Double
        /// `observation_lambda`: the first 1/λ of each beat period are beat states, 16.
        public var observationLambda: Int
        /// `threshold`: when not 0, decoding is restricted to the frames from the first to the
        /// last activation ≥ `threshold` (compared in single precision, as NumPy compares
        /// float32 activations); 0, the default, decodes everything.
        public var threshold: Float
        /// `correct`: ``BeatPlacement/activationPeak`` (the default) or
        /// ``BeatPlacement/positionMinimum``.
        public var beatPlacement: BeatPlacement

        /// madmom's defaults (55–215 bpm, linear tempo spacing, λ 100, observation λ 16, no
        /// threshold, beats moved to activation peaks) unless overridden.
        public init(
            framesPerSecond: Double, minimumTempo: Double = 55, maximumTempo: Double = 215,
            tempoCount: Int? = nil, transitionLambda: Double = 100, observationLambda: Int = 16,
            threshold: Float = 0, beatPlacement: BeatPlacement = .activationPeak
        ) {
            self.framesPerSecond = framesPerSecond
            self.minimumTempo = minimumTempo
            self.maximumTempo = maximumTempo
            self.tempoCount = tempoCount
            self.transitionLambda = transitionLambda
            self.observationLambda = observationLambda
            self.threshold = threshold
            self.beatPlacement = beatPlacement
        }

        /// Checks every parameter's range.
        ///
        /// - Throws: ``BeatDecodingError`` naming the first bad parameter.
        public func validate() throws {
            guard framesPerSecond > 0, framesPerSecond.isFinite else {
                throw BeatDecodingError.invalidFrameRate(framesPerSecond)
            }
            guard minimumTempo > 0, minimumTempo < maximumTempo, maximumTempo.isFinite else {
                throw BeatDecodingError.invalidTempoRange(
                    minimum: minimumTempo, maximum: maximumTempo)
            }
            let shortestInterval = 60 * framesPerSecond / maximumTempo
            guard shortestInterval.rounded(.toNearestOrEven) >= 1 else {
                throw BeatDecodingError.intervalTooShort(frames: shortestInterval)
            }
            if let tempoCount, tempoCount < 1 {
                throw BeatDecodingError.invalidArgument(
                    "num_tempi must be positive or nil, got \(tempoCount)")
            }
            guard transitionLambda >= 0, transitionLambda.isFinite else {
                throw BeatDecodingError.invalidArgument(
                    "transition_lambda must be ≥ 0 and finite, got \(transitionLambda)")
            }
            guard observationLambda >= 1 else {
                throw BeatDecodingError.invalidArgument(
                    "observation_lambda must be positive, got \(observationLambda)")
            }
            guard threshold.isFinite else {
                throw BeatDecodingError.invalidArgument(
                    "threshold must be finite, got \(threshold)")
            }
        }

        enum CodingKeys: String, CodingKey {
            case framesPerSecond = "fps"
            case minimumTempo = "min_bpm"
            case maximumTempo = "max_bpm"
            case tempoCount = "num_tempi"
            case transitionLambda = "transition_lambda"
            case observationLambda = "observation_lambda"
            case threshold
            case beatPlacement = "correct"
        }

        /// Decodes madmom's keyword arguments, taking madmom's default for each missing key
        /// (`fps` is required).
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                framesPerSecond: try container.decode(Double.self, forKey: .framesPerSecond))
            func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
                try container.decodeIfPresent(T.self, forKey: key) ?? fallback
            }
            minimumTempo = try value(.minimumTempo, minimumTempo)
            maximumTempo = try value(.maximumTempo, maximumTempo)
            tempoCount = try container.decodeIfPresent(Int.self, forKey: .tempoCount)
            transitionLambda = try value(.transitionLambda, transitionLambda)
            observationLambda = try value(.observationLambda, observationLambda)
            threshold = try value(.threshold, threshold)
            let corrects = try value(.beatPlacement, beatPlacement == .activationPeak)
            beatPlacement = corrects ? .activationPeak : .positionMinimum
        }

        /// Encodes madmom's keyword arguments (`correct` as a Boolean).
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(framesPerSecond, forKey: .framesPerSecond)
            try container.encode(minimumTempo, forKey: .minimumTempo)
            try container.encode(maximumTempo, forKey: .maximumTempo)
            try container.encodeIfPresent(tempoCount, forKey: .tempoCount)
            try container.encode(transitionLambda, forKey: .transitionLambda)
            try container.encode(observationLambda, forKey: .observationLambda)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(beatPlacement == .activationPeak, forKey: .beatPlacement)
        }
    }
}
