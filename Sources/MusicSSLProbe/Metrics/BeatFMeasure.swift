/// The beat-tracking F-measure of one track, as `mir_eval.beat.f_measure` computes it, and
/// mir_eval's `trim_beats`.
///
/// A reference and an estimated beat match when they lie within ±``defaultWindow`` (70 ms,
/// inclusive) of each other; each beat is used at most once and the matching is a maximum one
/// (``EventMatching/maximumMatching(reference:estimated:window:)``). Precision is matches over
/// estimated beats, recall matches over reference beats, F their harmonic mean, and 0 when
/// either list is empty.
///
/// `f_measure` itself does not trim; `mir_eval.beat.evaluate` first drops beats before 5 s
/// (``trimmed(_:before:)``). ``BeatEvaluation`` applies either convention to a whole test set.
public enum BeatFMeasure {
    /// mir_eval's and MARBLE's tolerance window, 0.07 s either side. (MARBLE's paper text says
    /// 20 ms; its code uses 70 ms.)
    public static let defaultWindow = 0.07
    /// Beats before this time (s) are dropped by `mir_eval.beat.evaluate`.
    public static let defaultTrimSeconds = 5.0
    /// mir_eval refuses event times above this (s), taking them for times in another unit.
    public static let maximumTime = 30_000.0

    /// The beats at or after `minimumTime` seconds (`mir_eval.beat.trim_beats`).
    public static func trimmed(
        _ beats: [Double], before minimumTime: Double = defaultTrimSeconds
    )
        -> [Double]
    {
        beats.filter { $0 >= minimumTime }
    }

    /// Matches `estimated` beats to `reference` beats and counts.
    ///
    /// - Parameters:
    ///   - reference: Annotated beat times in seconds, non-decreasing.
    ///   - estimated: Estimated beat times in seconds, non-decreasing.
    ///   - window: Tolerance either side, in seconds.
    /// - Throws: ``MetricError`` when a time is not finite, a list is not in non-decreasing
    ///   order or a time exceeds 30,000 s (the checks of `mir_eval.beat.validate`), or the
    ///   window is negative.
    public static func counts(
        reference: [Double], estimated: [Double], window: Double = defaultWindow
    ) throws -> BeatMatchCounts {
        try counts(reference: reference, estimated: estimated, window: window, track: nil)
    }

    /// The F-measure of `estimated` against `reference` beats (`mir_eval.beat.f_measure`, no
    /// trimming).
    ///
    /// - Throws: ``MetricError`` as ``counts(reference:estimated:window:)``.
    public static func fMeasure(
        reference: [Double], estimated: [Double], window: Double = defaultWindow
    ) throws -> Double {
        try counts(reference: reference, estimated: estimated, window: window).fMeasure
    }

    /// ``counts(reference:estimated:window:)`` with the track's index in error messages.
    static func counts(
        reference: [Double], estimated: [Double], window: Double, track: Int?
    ) throws -> BeatMatchCounts {
        guard window.isFinite, window >= 0 else {
            throw MetricError(
                "beat-f-measure",
                .invalidArgument("the window must be finite and ≥ 0 s, got \(window)"))
        }
        let prefix = track.map { "track \($0) " } ?? ""
        try validate(reference, what: prefix + "reference beats")
        try validate(estimated, what: prefix + "estimated beats")
        guard !reference.isEmpty, !estimated.isEmpty else {
            return BeatMatchCounts(
                matchCount: 0, referenceCount: reference.count, estimatedCount: estimated.count)
        }
        let matches = try EventMatching.maximumMatching(
            reference: reference, estimated: estimated, window: window)
        return BeatMatchCounts(
            matchCount: matches.count, referenceCount: reference.count,
            estimatedCount: estimated.count)
    }

    /// The checks of `mir_eval.beat.validate`, plus finiteness.
    static func validate(_ beats: [Double], what: String) throws {
        let metric = "beat-f-measure"
        for (index, time) in beats.enumerated() {
            guard time.isFinite else {
                throw MetricError(metric, .nonFinite("\(what), time \(index)", value: time))
            }
            guard time <= maximumTime else {
                throw MetricError(metric, .eventTimeTooLarge(what, index: index, time: time))
            }
            if index > 0 && time < beats[index - 1] {
                throw MetricError(metric, .unsortedEvents(what, index: index))
            }
        }
    }
}
