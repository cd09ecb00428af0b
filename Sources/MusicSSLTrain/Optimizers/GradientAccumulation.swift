import MusicSSLCore

/// Multiplies the accumulated gradient of every trainable parameter by `factor`, in place where
/// no other tensor shares the gradient's storage.
///
/// Backward passes add into `Parameter.gradient`, so gradient accumulation over `k`
/// micro-batches is: zero, `k` backward passes, scale by `1 / k`, clip, step:
/// ```swift
/// model.zeroGradients()
/// for microBatch in microBatches {
///     try model.loss(for: microBatch).backward()
/// }
/// try scaleGradients(of: model.parameters, by: 1 / Float(microBatches.count))
/// let norm = try clipGradientNorm(of: model.parameters, maximumNorm: 10)
/// if norm.isFinite {
///     try optimizer.update(model.parameters, learningRate: schedule.learningRate(atStep: step))
/// }
/// ```
/// fairseq's `update_freq` works the same way, except that its losses are sums and it divides by
/// the number of target frames in the whole batch (model-spec §5.4); pass that reciprocal here.
///
/// - Parameters:
///   - parameters: frozen ones and ones without a gradient are left alone.
///   - factor: the multiplier, e.g. `1 / microBatchCount`.
public func scaleGradients(of parameters: [Parameter], by factor: Float) throws {
    for parameter in parameters where parameter.isTrainable {
        guard var gradient = parameter.gradient else { continue }
        // Release the parameter's reference first so the write below need not copy.
        try parameter.setGradient(nil)
        gradient.withUnsafeMutableBufferPointer { buffer in
            guard let g = buffer.baseAddress else { return }
            forEachChunk(buffer.count) { range in
                for i in range { g[i] *= factor }
            }
        }
        try parameter.setGradient(gradient)
    }
}
