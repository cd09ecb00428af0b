import MusicSSLCore

/// Per-dimension standardisation, `(x − mean) / deviation`, with statistics taken from a set of
/// `[1, rows, dims]` feature tensors (the training split's); a constant dimension is only
/// centred.
struct Standardization {
    let means: [Float]
    let deviations: [Float]

    /// Statistics of every row of `rows`.
    ///
    /// - Throws: ``ProbeError/invalidConfiguration(_:)`` when there is no row.
    init(rows tensors: [Tensor]) throws {
        guard let dimensions = tensors.first?.shape.last else {
            throw ProbeError.invalidConfiguration("no training features to standardise with")
        }
        var sum = [Double](repeating: 0, count: dimensions)
        var square = [Double](repeating: 0, count: dimensions)
        var count = 0.0
        for tensor in tensors {
            let values = tensor.scalars
            for row in 0..<(values.count / dimensions) {
                for d in 0..<dimensions {
                    let value = Double(values[row * dimensions + d])
                    sum[d] += value
                    square[d] += value * value
                }
                count += 1
            }
        }
        let mean = sum.map { $0 / count }
        means = mean.map(Float.init)
        deviations = (0..<dimensions).map { d in
            let deviation = max(square[d] / count - mean[d] * mean[d], 0).squareRoot()
            return deviation > 1e-8 ? Float(deviation) : 1
        }
    }

    /// `tensor` standardised, same shape.
    func callAsFunction(_ tensor: Tensor) throws -> Tensor {
        let dimensions = means.count
        var values = tensor.scalars
        for index in values.indices {
            let d = index % dimensions
            values[index] = (values[index] - means[d]) / deviations[d]
        }
        return try Tensor(shape: tensor.shape, scalars: values)
    }
}
