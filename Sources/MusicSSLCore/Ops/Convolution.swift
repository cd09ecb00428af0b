// Grouped 1-D convolution and its transpose, as torch.nn.functional.conv1d and
// conv_transpose1d. Each is one recorded op; the passes they share live in ConvolutionKernels.

/// 1-D convolution (cross-correlation, as `torch.nn.functional.conv1d`).
///
/// `outFrames = ⌊(frames + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1`.
///
/// - Parameters:
///   - input: `[batch, inChannels, frames]`.
///   - weight: `[outChannels, inChannels / groups, kernel]`.
///   - bias: `[outChannels]`, or nil for none.
///   - stride: step between output frames, ≥ 1.
///   - padding: zeros added at both ends of every channel, ≥ 0.
///   - dilation: spacing between kernel taps, ≥ 1.
///   - groups: input and output channels are split into this many independent groups (16 in
///     wav2vec2's positional convolution).
/// - Returns: `[batch, outChannels, outFrames]`.
/// - Throws: ``TensorError`` when a shape or argument is inconsistent, or the padded input is
///   shorter than the dilated kernel.
public func conv1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
    padding: Int = 0, dilation: Int = 1, groups: Int = 1
) throws -> Tensor {
    let op = "conv1d"
    guard input.rank == 3, weight.rank == 3 else {
        throw TensorError(
            op, "expected input [batch, channels, frames] and weight [out, in/groups, kernel], "
                + "got \(input.shape) and \(weight.shape)")
    }
    let (outputChannels, kernel) = (weight.shape[0], weight.shape[2])
    try validateConvolution(
        op, inputShape: input.shape, weightShape: weight.shape, groups: groups,
        groupedChannels: (input.shape[1], outputChannels), stride: stride, padding: padding,
        dilation: dilation)
    guard weight.shape[1] &* groups == input.shape[1] else {
        throw TensorError(
            op, "weight \(weight.shape) expects \(weight.shape[1]) channels per group, input "
                + "\(input.shape) has \(input.shape[1]) channels in \(groups) groups")
    }
    try validateBias(op, bias, channels: outputChannels)
    let span = dilation &* (kernel &- 1) &+ 1
    let padded = input.shape[2] &+ 2 &* padding
    guard padded >= span else {
        throw TensorError(
            op, "input \(input.shape) padded to \(padded) frames is shorter than the kernel span "
                + "\(span) (kernel \(kernel), dilation \(dilation))")
    }
    let geometry = ConvolutionGeometry(
        batch: input.shape[0], inputChannels: input.shape[1], outputChannels: outputChannels,
        inputFrames: input.shape[2], outputFrames: (padded &- span) / stride &+ 1,
        kernel: kernel, stride: stride, padding: padding, dilation: dilation, groups: groups)
    let out = convolutionForward(input, weight: weight, bias: bias, geometry)
    return Tensor.recording(op, out, inputs: [input, weight] + (bias.map { [$0] } ?? [])) {
        upstream, needs in
        var gradients: [Tensor?] = [
            needs[0]
                ? convolutionInputGradient(upstream, weight: weight, initial: nil, geometry) : nil,
            needs[1] ? convolutionWeightGradient(input: input, upstream: upstream, geometry) : nil,
        ]
        if bias != nil { gradients.append(needs[2] ? channelSums(upstream) : nil) }
        return gradients
    }
}

/// Transposed 1-D convolution, as `torch.nn.functional.conv_transpose1d` (the gradient of
/// ``conv1d(_:weight:bias:stride:padding:dilation:groups:)`` with respect to its input).
///
/// `outFrames = (frames − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1`.
///
/// - Parameters:
///   - input: `[batch, inChannels, frames]`.
///   - weight: `[inChannels, outChannels / groups, kernel]` (PyTorch's `ConvTranspose1d` layout).
///   - bias: `[outChannels]`, or nil for none.
///   - outputPadding: frames added at the end of the output, smaller than `stride` or
///     `dilation` (as PyTorch requires).
/// - Returns: `[batch, outChannels, outFrames]`.
/// - Throws: ``TensorError`` when a shape or argument is inconsistent, or the output would be
///   empty.
public func convTranspose1d(
    _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
    padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1, groups: Int = 1
) throws -> Tensor {
    let op = "convTranspose1d"
    guard input.rank == 3, weight.rank == 3 else {
        throw TensorError(
            op, "expected input [batch, channels, frames] and weight [in, out/groups, kernel], "
                + "got \(input.shape) and \(weight.shape)")
    }
    let (inputChannels, kernel) = (input.shape[1], weight.shape[2])
    let outputChannels = weight.shape[1] &* groups
    try validateConvolution(
        op, inputShape: input.shape, weightShape: weight.shape, groups: groups,
        groupedChannels: (inputChannels, outputChannels), stride: stride, padding: padding,
        dilation: dilation)
    guard weight.shape[0] == inputChannels else {
        throw TensorError(
            op, "weight \(weight.shape) expects \(weight.shape[0]) input channels, input "
                + "\(input.shape) has \(inputChannels)")
    }
    guard outputPadding >= 0, outputPadding < stride || outputPadding < dilation else {
        throw TensorError(
            op, "output padding \(outputPadding) must be ≥ 0 and smaller than stride \(stride) "
                + "or dilation \(dilation)")
    }
    try validateBias(op, bias, channels: outputChannels)
    let outputFrames = (input.shape[2] &- 1) &* stride &- 2 &* padding
        &+ dilation &* (kernel &- 1) &+ outputPadding &+ 1
    guard input.shape[2] >= 1, outputFrames >= 1 else {
        throw TensorError(
            op, "input \(input.shape) with kernel \(kernel), stride \(stride), padding "
                + "\(padding) gives \(outputFrames) output frames")
    }
    // Seen from the convolution it transposes: that conv maps our output to our input.
    let geometry = ConvolutionGeometry(
        batch: input.shape[0], inputChannels: outputChannels, outputChannels: inputChannels,
        inputFrames: outputFrames, outputFrames: input.shape[2], kernel: kernel,
        stride: stride, padding: padding, dilation: dilation, groups: groups)
    let out = convolutionInputGradient(input, weight: weight, initial: bias, geometry)
    return Tensor.recording(op, out, inputs: [input, weight] + (bias.map { [$0] } ?? [])) {
        upstream, needs in
        var gradients: [Tensor?] = [
            needs[0] ? convolutionForward(upstream, weight: weight, bias: nil, geometry) : nil,
            needs[1] ? convolutionWeightGradient(input: upstream, upstream: input, geometry) : nil,
        ]
        if bias != nil { gradients.append(needs[2] ? channelSums(upstream) : nil) }
        return gradients
    }
}

/// Checks the arguments both convolutions share; `groupedChannels` are the two channel counts
/// that `groups` must divide.
private func validateConvolution(
    _ op: String, inputShape: [Int], weightShape: [Int], groups: Int,
    groupedChannels: (Int, Int), stride: Int, padding: Int, dilation: Int
) throws {
    guard groups >= 1 else { throw TensorError(op, "groups must be ≥ 1, got \(groups)") }
    guard groupedChannels.0 >= 1, groupedChannels.1 >= 1,
        groupedChannels.0 % groups == 0, groupedChannels.1 % groups == 0
    else {
        throw TensorError(
            op, "channels \(groupedChannels.0) in and \(groupedChannels.1) out must be positive "
                + "and divisible by groups \(groups) (input \(inputShape), weight \(weightShape))")
    }
    guard weightShape[2] >= 1 else {
        throw TensorError(op, "kernel must be ≥ 1, weight is \(weightShape)")
    }
    guard stride >= 1, dilation >= 1, padding >= 0 else {
        throw TensorError(
            op, "need stride ≥ 1, dilation ≥ 1 and padding ≥ 0, got \(stride), \(dilation) "
                + "and \(padding)")
    }
}

/// Checks that a per-channel bias, when given, is `[channels]`.
private func validateBias(_ op: String, _ bias: Tensor?, channels: Int) throws {
    if let bias, bias.shape != [channels] {
        throw TensorError(op, "bias \(bias.shape) must be [\(channels)]")
    }
}
