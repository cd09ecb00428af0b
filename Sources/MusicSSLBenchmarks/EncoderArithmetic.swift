import MusicSSLCore

/// The multiply-adds of an encoder's matrix products and convolutions (×2 as FLOPs), the work
/// that bounds its speed from below: elementwise ops, norms and softmax are left out.
struct EncoderArithmetic {
    let configuration: EncoderConfiguration

    /// FLOPs of one forward pass over one clip of `samples` samples.
    func forwardFLOPs(samples: Int) -> Double {
        var flops = 0.0
        var length = samples, channels = 1
        for layer in configuration.convolutionLayers {
            length = (length - layer.kernelSize) / layer.stride + 1
            flops += 2 * Double(length * layer.channels * channels * layer.kernelSize)
            channels = layer.channels
        }
        let (T, D, F) = (Double(length), Double(configuration.modelDimensions), Double(configuration.feedForwardDimensions))
        flops += 2 * T * Double(channels) * D  // feature projection
        switch configuration.positionalConvolution {
        case .weightNormalized(let kernelSize, let groupCount):
            flops += 2 * T * D * (D / Double(groupCount)) * Double(kernelSize)
        case .stacked(let layerCount, let kernelSize, let groupCount):
            flops += Double(layerCount) * 2 * T * D * (D / Double(groupCount)) * Double(kernelSize)
        }
        // Q, K, V and output projections, QKᵀ and attention · V, the two FFN products.
        let perLayer = 2 * T * (4 * D * D + 2 * D * F) + 2 * 2 * T * T * D
        return flops + Double(configuration.layerCount) * perLayer
    }

    /// FLOPs of a workload on `batch` clips: a training step is counted as forward plus the two
    /// products of each backward (gradients of inputs and of weights), 3× the forward.
    func flops(samples: Int, batch: Int, isTraining: Bool) -> Double {
        forwardFLOPs(samples: samples) * Double(batch) * (isTraining ? 3 : 1)
    }
}
