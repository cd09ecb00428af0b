/// Which hidden states a probe reads (probe-spec §1.4).
public enum LayerSelection: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A learned softmax-weighted sum of hidden states 1…L, or 0…L with `includesLayer0`
    /// (MARBLE's `layer: all` leaves layer 0 out).
    case weightedSum(includesLayer0: Bool)
    /// One hidden state: 0 is the Transformer's input, L its last block's output.
    case single(Int)

    /// MARBLE's `all`: layers 1…L, softmax weights.
    public static let all = LayerSelection.weightedSum(includesLayer0: false)

    /// `all`, `all+0` or the layer index, as in reports and on the command line.
    public var description: String {
        switch self {
        case .weightedSum(let includesLayer0): includesLayer0 ? "all+0" : "all"
        case .single(let layer): String(layer)
        }
    }

    /// Parses ``description``'s forms.
    public init?(_ text: String) {
        switch text {
        case "all": self = .all
        case "all+0": self = .weightedSum(includesLayer0: true)
        default:
            guard let layer = Int(text), layer >= 0 else { return nil }
            self = .single(layer)
        }
    }
}
