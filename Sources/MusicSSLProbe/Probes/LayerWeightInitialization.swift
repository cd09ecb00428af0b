/// How the logits of a weighted-sum probe's layer weights start (probe-spec §1.4).
public enum LayerWeightInitialization: String, Sendable, Hashable, Codable, CaseIterable {
    /// Standard normal draws, as MARBLE's `nn.Parameter(torch.randn(1, L, 1))`. The default.
    case randomNormal
    /// Zeros, so every layer starts at weight 1/L (s3prl's `Featurizer`).
    case zeros
}
