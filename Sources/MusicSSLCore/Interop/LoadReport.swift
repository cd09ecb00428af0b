/// What loading a state dict into an ``EncoderModel`` did, key by key.
public struct LoadReport: Equatable, Sendable, CustomStringConvertible {
    /// A source tensor whose shape differs from the parameter it names.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The source's name.
        public var name: String
        /// The model's parameter shape.
        public var expected: [Int]
        /// The source tensor's shape.
        public var found: [Int]
    }

    /// How the source named its tensors.
    public var naming: StateDictNaming
    /// Model parameters that were loaded, in the model's order.
    public var loaded: [String] = []
    /// Source tensors outside the encoder (training heads, EMA copies), skipped by design.
    public var ignored: [String] = []
    /// Source tensors that name no parameter of this model.
    public var unexpected: [String] = []
    /// Model parameters the source does not provide.
    public var missing: [String] = []
    /// Source tensors whose shape is not the parameter's.
    public var shapeMismatches: [ShapeMismatch] = []
    /// Source tensors that name a parameter another source tensor already provided (e.g. both
    /// weight-norm spellings).
    public var duplicates: [String] = []

    /// True when every parameter was loaded and no tensor was unexpected, mis-shaped or repeated.
    public var isComplete: Bool {
        unexpected.isEmpty && missing.isEmpty && shapeMismatches.isEmpty && duplicates.isEmpty
    }

    /// The problems, by name: `missing: a, b; unexpected: c; shape: d expected [2] found [3]`.
    public var problemSummary: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing: \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected: \(unexpected.joined(separator: ", "))") }
        if !shapeMismatches.isEmpty {
            parts.append(
                "shape mismatch: "
                    + shapeMismatches.map {
                        "\($0.name) expected \($0.expected) found \($0.found)"
                    }.joined(separator: ", "))
        }
        if !duplicates.isEmpty {
            parts.append("given twice: \(duplicates.joined(separator: ", "))")
        }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }

    public var description: String {
        "loaded \(loaded.count) tensors (\(naming.rawValue) names), ignored \(ignored.count)"
            + (isComplete ? "" : "; problems: \(problemSummary)")
    }
}
