import Foundation

/// data2vec's prediction head: a linear map of the last hidden state at masked frames, scored
/// against target vectors by the squared error summed over dimensions (or smooth-L1 with
/// ``beta`` > 0), times ``scale`` (1/√dimensions unless set), per masked frame (model-spec §4.3).
///
/// Its metrics are data2vec's collapse monitors: `target_variance` and `prediction_variance`,
/// each the mean over dimensions of √(variance over masked frames + 1e-6).
public final class RegressionHead: PredictionHead {
    /// D → target dimensions (fairseq `final_proj`).
    public let projection: Linear
    /// 0 for the squared error, else the smooth-L1 threshold (fairseq `loss_beta`).
    public let beta: Float
    /// Multiplies the per-frame loss; `nil` for 1/√(target dimensions) (fairseq `loss_scale`).
    public let scale: Float?
    public var isTraining = true

    /// Creates a head mapping `modelDimensions` to `targetDimensions`.
    public init(
        modelDimensions: Int, targetDimensions: Int, beta: Float = 0, scale: Float? = nil,
        using generator: inout some RandomNumberGenerator
    ) throws {
        guard modelDimensions > 0, targetDimensions > 0, beta >= 0, (scale ?? 1) > 0 else {
            throw TensorError(
                "RegressionHead",
                "needs positive widths, β ≥ 0 and a positive scale; got D \(modelDimensions), "
                    + "targets \(targetDimensions), β \(beta), scale \(String(describing: scale))")
        }
        projection = Linear(inputDimensions: modelDimensions, outputDimensions: targetDimensions, using: &generator)
        self.beta = beta
        self.scale = scale
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("final_proj", projection)] }

    public func loss(
        hiddenStates: Tensor, targets: FrameTargets, selection: FrameSelection
    ) throws -> ObjectiveLoss {
        let op = "RegressionHead"
        guard case .vectors(let target) = targets else {
            throw TensorError(op, "needs vector targets, got class labels")
        }
        guard hiddenStates.rank == 3, target.rank == 3,
              target.shape[0] == hiddenStates.shape[0], target.shape[1] == hiddenStates.shape[1],
              target.shape[2] == projection.outputDimensions,
              selection.masked.count == hiddenStates.shape[0] * hiddenStates.shape[1]
        else {
            throw TensorError(
                op, "targets \(target.shape) and \(selection.masked.count) mask flags do not fit hidden "
                    + "states \(hiddenStates.shape) and \(projection.outputDimensions) target dimensions")
        }
        let frames = selection.masked.count
        let masked = selection.maskedReal
        let maskedCount = masked.filter { $0 }.count
        guard maskedCount > 0 else {
            return ObjectiveLoss(value: Tensor(scalar: 0), maskedFrameCount: 0)
        }
        let rows = try hiddenStates.reshaped(to: [frames, hiddenStates.shape[2]]).selectingRows(where: masked)
        let prediction = try projection(rows)
        let wanted = try target.reshaped(to: [frames, target.shape[2]]).selectingRows(where: masked).detached()
        let summed = beta > 0
            ? try smoothL1Loss(prediction, wanted, beta: beta, reduction: .sum)
            : try meanSquaredError(prediction, wanted, reduction: .sum)
        let frameScale = scale ?? 1 / Float(target.shape[2]).squareRoot()
        var metrics: [String: Double] = [:]
        if maskedCount > 1 {
            metrics["target_variance"] = try Self.meanStandardDeviation(wanted)
            metrics["prediction_variance"] = try Self.meanStandardDeviation(prediction.detached())
        }
        return ObjectiveLoss(
            value: summed * (frameScale / Float(maskedCount)), maskedFrameCount: maskedCount,
            metrics: metrics)
    }

    /// Mean over columns of √(unbiased variance over rows + 1e-6), as data2vec's monitors.
    static func meanStandardDeviation(_ rows: Tensor) throws -> Double {
        let (count, width) = (rows.shape[0], rows.shape[1])
        let values = rows.scalars
        var total = 0.0
        for column in 0..<width {
            var sum = 0.0, squares = 0.0
            for row in 0..<count {
                let v = Double(values[row * width + column])
                sum += v
                squares += v * v
            }
            let mean = sum / Double(count)
            let variance = Swift.max(0, (squares - Double(count) * mean * mean) / Double(count - 1))
            total += (variance + 1e-6).squareRoot()
        }
        return total / Double(width)
    }
}
