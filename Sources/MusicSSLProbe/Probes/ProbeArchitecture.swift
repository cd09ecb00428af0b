/// The probe on top of the (layer-aggregated) features (probe-spec §1.4).
public enum ProbeArchitecture: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Linear(D → hidden) → ReLU → Dropout(p) → Linear(hidden → outputs): MARBLE's
    /// `MLPProber` ("one-layer 512-unit MLP", dropout 0.2; `benchmark/models/probers.py`).
    case mlp(hiddenDimensions: Int, dropout: Float)
    /// One Linear(D → outputs): a linear probe.
    case linear

    /// MARBLE's probe: 512 hidden units, dropout 0.2.
    public static let marble = ProbeArchitecture.mlp(hiddenDimensions: 512, dropout: 0.2)

    /// `mlp512-d0.2` or `linear`, for fingerprints and reports.
    public var description: String {
        switch self {
        case .mlp(let hidden, let dropout): "mlp\(hidden)-d\(dropout)"
        case .linear: "linear"
        }
    }
}
