/// One weighted term of a ``MaskedPredictionModel``'s loss: where the targets come from and
/// how they are predicted.
public struct ObjectiveTerm {
    /// A short name, used for the head's parameters (`heads.<name>.…`) and the logged loss.
    public var name: String
    /// Computes the targets.
    public var targets: any TargetProvider
    /// Predicts and scores them.
    public var head: any PredictionHead
    /// Multiplies the term's loss in the total.
    public var weight: Float

    /// Creates a term.
    public init(name: String, targets: any TargetProvider, head: any PredictionHead, weight: Float = 1) {
        self.name = name
        self.targets = targets
        self.head = head
        self.weight = weight
    }
}
