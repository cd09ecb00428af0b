/// Why a metric could not be computed: the metric, and what was wrong with its input.
///
/// Messages read `[accuracy] 4 labels for 5 items` or
/// `[roc-auc] score at item 3, label 7 is nan`.
public struct MetricError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was wrong with the input.
    public enum Fault: Equatable, Sendable {
        /// There is nothing to evaluate: no items, no labels, no songs or no tracks; what is empty.
        case empty(String)
        /// Two inputs that must pair up have different lengths: what, and the two counts.
        case countMismatch(String, expected: Int, found: Int)
        /// An input has the wrong shape: what, the shape expected (`-1` for any extent) and the
        /// shape found.
        case shapeMismatch(String, expected: [Int], found: [Int])
        /// A value is NaN or infinite: where (e.g. `"score at item 3, label 7"`) and the value.
        case nonFinite(String, value: Double)
        /// A class label is outside `0..<classCount`: the item, the label, the class count.
        case labelOutOfRange(item: Int, label: Int, classCount: Int)
        /// A multi-hot target is neither 0 nor 1: where, and the value.
        case notBinary(String, value: Double)
        /// Event times are not in non-decreasing order: which list, and the first index whose
        /// time is smaller than the one before it.
        case unsortedEvents(String, index: Int)
        /// An event time exceeds mir_eval's 30,000 s limit (a sign of times not in seconds):
        /// which list, the index and the time.
        case eventTimeTooLarge(String, index: Int, time: Double)
        /// A key string is not `"Tonic mode"` (or `"X"`) as mir_eval reads it: the text, and why.
        case malformedKey(String, reason: String)
        /// Every label is degenerate (only positives or only negatives among the items), so a
        /// macro average that skips degenerate labels has nothing left: the label count.
        case noScorableLabels(labelCount: Int)
        /// All clips of one song must carry the same label: the song (as text) and two labels seen.
        case inconsistentSongLabel(song: String, first: Int, second: Int)
        /// A parameter of the metric is invalid (a negative window, too few items for R²); why.
        case invalidArgument(String)
    }

    /// The metric, e.g. `"accuracy"`, `"roc-auc"`, `"beat-f-measure"`.
    public let metric: String
    /// What went wrong.
    public let fault: Fault

    /// Creates an error about `metric`.
    public init(_ metric: String, _ fault: Fault) {
        self.metric = metric
        self.fault = fault
    }

    /// `[<metric>] <fault>`.
    public var description: String { "[\(metric)] \(fault)" }
}

extension MetricError.Fault: CustomStringConvertible {
    /// The fault in words, with the counts and shapes involved.
    public var description: String {
        switch self {
        case .empty(let what):
            "\(what) is empty; nothing to evaluate"
        case .countMismatch(let what, let expected, let found):
            "\(what): expected \(expected), found \(found)"
        case .shapeMismatch(let what, let expected, let found):
            "\(what): expected shape ["
                + expected.map { $0 < 0 ? "any" : String($0) }.joined(separator: ", ")
                + "], found \(found)"
        case .nonFinite(let location, let value):
            "\(location) is \(value); scores and targets must be finite"
        case .labelOutOfRange(let item, let label, let classCount):
            "label \(label) of item \(item) is outside 0..<\(classCount)"
        case .notBinary(let location, let value):
            "\(location) is \(value); multi-hot targets must be 0 or 1"
        case .unsortedEvents(let what, let index):
            "\(what) are not in increasing order: time \(index) is before time \(index - 1)"
        case .eventTimeTooLarge(let what, let index, let time):
            "\(what): time \(index) is \(time) s, above mir_eval's limit of 30000 s "
                + "(are the times in seconds?)"
        case .malformedKey(let text, let reason):
            "'\(text)' is not a key: \(reason)"
        case .noScorableLabels(let labelCount):
            "all \(labelCount) labels are degenerate (only positives or only negatives); "
                + "use the torchmetrics policy to score them as MARBLE does"
        case .inconsistentSongLabel(let song, let first, let second):
            "song \(song) has clips labelled \(first) and \(second); a song has one label"
        case .invalidArgument(let reason):
            reason
        }
    }
}
