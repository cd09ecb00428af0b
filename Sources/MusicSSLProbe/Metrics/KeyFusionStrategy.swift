import Foundation

/// How the clip predictions of one song become one song-level key: the four strategies of
/// jukemir's GiantSteps evaluation that MARBLE adopts (`predict_result_ensemble`,
/// probe-spec §2.1). Songs are Beatport previews cut into 30-s clips; each clip gets a row of
/// logits.
///
/// `allCases` is in MARBLE's order, which also breaks ties between strategies.
public enum KeyFusionStrategy: String, CaseIterable, Sendable, Hashable {
    /// The most frequent clip argmax; the lowest class among equally frequent ones, as
    /// `scipy.stats.mode` decides it.
    case vote
    /// The argmax of the element-wise maximum of the clips' logits.
    case max
    /// The argmax of the clips' mean logit (named for the geometric mean of their softmax
    /// probabilities, which it ranks the same).
    case gmean
    /// The argmax of the clips' mean softmax probability.
    case mean

    /// The class this strategy predicts from the logits of one song's clips.
    ///
    /// - Parameter clipLogits: One row of finite logits per clip, at least one row, all rows of
    ///   the same non-zero length (checked by the caller).
    func fuse(_ clipLogits: [ArraySlice<Double>]) -> Int {
        let classCount = clipLogits[0].count
        switch self {
        case .vote:
            var votes = [Int](repeating: 0, count: classCount)
            for row in clipLogits { votes[Self.argmax(row)] += 1 }
            // The first (lowest) class with the most votes.
            return Self.argmax(votes.map(Double.init))
        case .max:
            let maxima = (0..<classCount).map { column in
                clipLogits.map { $0[$0.startIndex + column] }.max() ?? -.infinity
            }
            return Self.argmax(maxima[...])
        case .gmean:
            let sums = (0..<classCount).map { column in
                clipLogits.reduce(0) { $0 + $1[$1.startIndex + column] }
            }
            return Self.argmax(sums.map { $0 / Double(clipLogits.count) }[...])
        case .mean:
            var sums = [Double](repeating: 0, count: classCount)
            for row in clipLogits {
                let probabilities = Self.softmax(row)
                for column in 0..<classCount { sums[column] += probabilities[column] }
            }
            return Self.argmax(sums.map { $0 / Double(clipLogits.count) }[...])
        }
    }

    /// The first index of the largest value (`numpy.argmax`).
    static func argmax(_ values: ArraySlice<Double>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] { best = index }
        return best - values.startIndex
    }

    /// The first index of the largest value (`numpy.argmax`).
    static func argmax(_ values: [Double]) -> Int { argmax(values[...]) }

    /// A numerically stable softmax of one row.
    static func softmax(_ logits: ArraySlice<Double>) -> [Double] {
        let largest = logits.max() ?? 0
        let exponentials = logits.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}
