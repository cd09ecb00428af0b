import Foundation

/// The example's command line:
/// `custom-objective [--steps N] [--cqt-weight W] [--cqt-scale log|linear] [--out DIR]`.
struct Arguments {
    /// Updates to train.
    var steps = 600
    /// Weight of the CQT term in the loss (MERT's is 1).
    var cqtWeight: Float = 1
    /// How the CQT magnitude is scaled before it is regressed.
    var cqtScale = CQTMagnitudeScale.linear
    /// Where the corpus, labels and run go; nil for a temporary folder removed at the end.
    var output: URL?

    static let usage = """
        usage: custom-objective [--steps N] [--cqt-weight W] [--cqt-scale log|linear] [--out DIR]
          --steps N            updates to train (default 600)
          --cqt-weight W       weight of the CQT reconstruction term (default 1, as MERT)
          --cqt-scale S        regress the CQT magnitude itself (linear, the default, as
                               MERT) or log(1 + magnitude) (log)
          --out DIR            keep the corpus, labels, metrics and checkpoints in DIR (a new folder)
        """

    /// Parses `arguments` (without the program name).
    ///
    /// - Throws: ``ArgumentError`` naming the option that is unknown, lacks its value or has
    ///   one out of range.
    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            if option == "--help" || option == "-h" { throw ArgumentError.help }
            guard let value = remaining.popFirst() else {
                throw ArgumentError.invalid("\(option) needs a value")
            }
            switch option {
            case "--steps":
                guard let steps = Int(value), steps >= 1 else {
                    throw ArgumentError.invalid("--steps takes a positive integer, got \(value)")
                }
                self.steps = steps
            case "--cqt-weight":
                guard let weight = Float(value), weight >= 0, weight.isFinite else {
                    throw ArgumentError.invalid("--cqt-weight takes a number ≥ 0, got \(value)")
                }
                cqtWeight = weight
            case "--cqt-scale":
                guard let scale = CQTMagnitudeScale(rawValue: value) else {
                    throw ArgumentError.invalid("--cqt-scale takes log or linear, got \(value)")
                }
                cqtScale = scale
            case "--out":
                output = URL(fileURLWithPath: value)
            default:
                throw ArgumentError.invalid("unknown option \(option)")
            }
        }
    }
}

/// Why the command line was not accepted.
enum ArgumentError: Error {
    /// `--help` was asked for.
    case help
    /// A sentence naming the option at fault.
    case invalid(String)
}
