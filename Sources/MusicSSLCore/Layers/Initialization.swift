/// PyTorch's default initialisation of `nn.Linear` and `nn.Conv1d`: Kaiming-uniform with
/// a = √5, i.e. U(−1/√fanIn, 1/√fanIn) for the weight, and the same bound for the bias.
enum DefaultInitialization {
    static func uniform(
        _ shape: [Int], fanIn: Int, using generator: inout some RandomNumberGenerator
    ) -> Tensor {
        let bound = 1 / Float(Swift.max(fanIn, 1)).squareRoot()
        return Tensor.randomUniform(shape, lowerBound: -bound, upperBound: bound, using: &generator)
    }
}
