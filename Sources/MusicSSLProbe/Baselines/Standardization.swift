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
        var statistics = ColumnStatistics(columns: dimensions)
        for tensor in tensors { statistics.add(tensor.scalars) }
        means = statistics.means.map(Float.init)
        deviations = statistics.deviations.map { $0 > 1e-8 ? Float($0) : 1 }
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
