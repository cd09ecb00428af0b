/// What one probe training run (one learning rate, one layer selection, one seed) measured: the
/// validation and test scores of its best epoch on validation, and its learned layer weights.
public struct ProbeRunResult: Sendable, Equatable, Codable {
    /// Adam's initial learning rate.
    public var learningRate: Double
    /// The hidden states read.
    public var layer: LayerSelection
    /// The seed of initialisation, dropout and batch order.
    public var seed: UInt64
    /// Epochs trained before early stopping or the epoch limit.
    public var epochCount: Int
    /// The 1-based epoch with the best validation monitor, whose parameters were tested.
    public var bestEpoch: Int
    /// Validation scores of the best epoch.
    public var valid: TaskScores
    /// Test scores of the best epoch's parameters.
    public var test: TaskScores
    /// Softmax layer weights of a weighted-sum probe at the best epoch, with the hidden-state
    /// index of each; nil for a single layer.
    public var layerWeights: [LayerWeight]?
    /// Wall time of the run in seconds.
    public var seconds: Double

    /// One hidden state's weight in a weighted-sum probe.
    public struct LayerWeight: Sendable, Equatable, Codable {
        /// Hidden-state index (0 is the Transformer's input).
        public var layer: Int
        /// Softmax weight; the weights of one probe sum to 1.
        public var weight: Double

        /// Creates a weight.
        public init(layer: Int, weight: Double) {
            self.layer = layer
            self.weight = weight
        }
    }

    /// Creates a result.
    public init(
        learningRate: Double, layer: LayerSelection, seed: UInt64, epochCount: Int, bestEpoch: Int,
        valid: TaskScores, test: TaskScores, layerWeights: [LayerWeight]?, seconds: Double
    ) {
        self.learningRate = learningRate
        self.layer = layer
        self.seed = seed
        self.epochCount = epochCount
        self.bestEpoch = bestEpoch
        self.valid = valid
        self.test = test
        self.layerWeights = layerWeights
        self.seconds = seconds
    }
}
