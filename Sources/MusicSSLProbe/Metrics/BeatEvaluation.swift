/// The beat F-measure of a test set, under mir_eval's convention or MARBLE's.
///
/// | method | trimming | aggregation |
/// |---|---|---|
/// | ``Method/mirEval`` (default) | beats before 5 s dropped | mean of per-track F (`mir_eval.beat.evaluate`, MIREX) |
/// | ``Method/marble`` | none | matches, estimates and references summed over tracks, then one F (probe-spec Q9) |
///
/// Both use the ±70 ms window and a maximum matching. MARBLE's reference beats are the frames
/// of its label grid divided by the frame rate in Float32, not the annotated times; building
/// the references that way is the task's job, not the metric's.
///
/// ```swift
/// let tracks = [BeatTrack(reference: annotated, estimated: decoded)]
/// let marble = try BeatEvaluation(tracks: tracks, method: .marble)
/// print(marble.fMeasure, marble.method)
/// ```
public struct BeatEvaluation: Sendable, Equatable {
    /// How per-track counts become one score.
    public enum Aggregation: Sendable, Equatable {
        /// The mean of the tracks' F-measures.
        case perTrackMean
        /// One F-measure of the counts summed over tracks.
        case micro
    }

    /// A trimming, aggregation and window: how a test set is scored.
    public struct Method: Sendable, Equatable, CustomStringConvertible {
        /// How tracks are combined.
        public var aggregation: Aggregation
        /// Beats before this time (s) are dropped from both lists; nil keeps all.
        public var trimBeforeSeconds: Double?
        /// Tolerance either side, in seconds.
        public var window: Double

        /// Creates a method.
        public init(aggregation: Aggregation, trimBeforeSeconds: Double?, window: Double) {
            self.aggregation = aggregation
            self.trimBeforeSeconds = trimBeforeSeconds
            self.window = window
        }

        /// mir_eval / MIREX: trim beats before 5 s, per-track F, mean over tracks. The default.
        public static let mirEval = Method(
            aggregation: .perTrackMean, trimBeforeSeconds: BeatFMeasure.defaultTrimSeconds,
            window: BeatFMeasure.defaultWindow)
        /// MARBLE (`GTZANBT_metric.py`): no trimming, counts pooled over the test set.
        public static let marble = Method(
            aggregation: .micro, trimBeforeSeconds: nil, window: BeatFMeasure.defaultWindow)

        /// E.g. `"per-track mean F, beats before 5 s trimmed, ±0.07 s"`, for reports.
        public var description: String {
            let aggregation =
                self.aggregation == .micro ? "micro-pooled F" : "per-track mean F"
            let trimming = trimBeforeSeconds.map { "beats before \($0) s trimmed" } ?? "no trimming"
            return "\(aggregation), \(trimming), ±\(window) s"
        }
    }

    /// The method the score was computed with.
    public let method: Method
    /// Each track's counts after trimming.
    public let perTrack: [BeatMatchCounts]

    /// The counts summed over tracks.
    public var pooled: BeatMatchCounts { perTrack.reduce(.zero, +) }

    /// The test set's F-measure under ``method``.
    public var fMeasure: Double {
        switch method.aggregation {
        case .micro:
            return pooled.fMeasure
        case .perTrackMean:
            return perTrack.reduce(0) { $0 + $1.fMeasure } / Double(perTrack.count)
        }
    }

    /// Scores every track.
    ///
    /// - Parameters:
    ///   - tracks: Reference and estimated beats of each track.
    ///   - method: ``Method/mirEval`` unless given.
    /// - Throws: ``MetricError`` when there are no tracks, the window is invalid, or a track's
    ///   beats are not finite, not sorted or above 30,000 s (naming the track).
    public init(tracks: [BeatTrack], method: Method = .mirEval) throws {
        guard !tracks.isEmpty else {
            throw MetricError("beat-f-measure", .empty("the track list"))
        }
        perTrack = try tracks.enumerated().map { index, track in
            // Trimming would silently drop a NaN (NaN >= 5 is false), so finiteness is checked on
            // the full lists; order and range are checked after trimming, as mir_eval does.
            for (what, beats) in [("reference", track.reference), ("estimated", track.estimated)] {
                if let bad = beats.firstIndex(where: { !$0.isFinite }) {
                    throw MetricError(
                        "beat-f-measure",
                        .nonFinite("track \(index) \(what) beats, time \(bad)", value: beats[bad]))
                }
            }
            let trim = { (beats: [Double]) in
                method.trimBeforeSeconds.map { BeatFMeasure.trimmed(beats, before: $0) } ?? beats
            }
            return try BeatFMeasure.counts(
                reference: trim(track.reference), estimated: trim(track.estimated),
                window: method.window, track: index)
        }
        self.method = method
    }
}

/// The reference and estimated beat times (seconds) of one track.
public struct BeatTrack: Sendable, Equatable {
    /// Annotated beats, non-decreasing.
    public var reference: [Double]
    /// Estimated (decoded) beats, non-decreasing.
    public var estimated: [Double]

    /// Creates a track.
    public init(reference: [Double], estimated: [Double]) {
        self.reference = reference
        self.estimated = estimated
    }
}
