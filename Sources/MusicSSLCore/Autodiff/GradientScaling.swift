extension Tensor {
    /// The same values, with the gradient that flows back through them multiplied by `factor`.
    ///
    /// fairseq's `feature_grad_mult` (0.1 for HuBERT base) uses this to damp the gradient that
    /// reaches the convolutional feature extractor.
    public func scalingGradient(by factor: Float) -> Tensor {
        Tensor.recording("scaleGradient", detached(), inputs: [self]) { g, _ in [g * factor] }
    }
}
