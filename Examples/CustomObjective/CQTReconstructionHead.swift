import MusicSSLCore

/// MERT's CQT head: a linear map of the last hidden state at masked frames to the CQT bins,
/// scored by the mean squared error over masked frames × bins (torch's `nn.MSELoss()`, as
/// MERT's `encoder_cqt_model.fc`, model-spec §6.2).
///
/// Its metric `explained_variance` is R² on the masked frames: 1 − (squared error) ÷ (squared
/// deviation of the targets from their per-bin mean). 0 is what predicting the batch's mean
/// spectrum scores, 1 a perfect reconstruction; it says more than the loss's absolute value,
/// which depends on the CQT's scale.
final class CQTReconstructionHead: PredictionHead {
    /// D → bins.
    let projection: Linear
    var isTraining = true

    /// A head mapping `modelDimensions`-wide hidden states to `binCount` CQT bins.
    ///
    /// - Throws: ``TensorError`` for a width that is not positive.
    init(
        modelDimensions: Int, binCount: Int, using generator: inout some RandomNumberGenerator
    ) throws {
        guard modelDimensions > 0, binCount > 0 else {
            throw TensorError(
                "CQTReconstructionHead",
                "needs positive widths, got D \(modelDimensions) and \(binCount) bins")
        }
        projection = Linear(
            inputDimensions: modelDimensions, outputDimensions: binCount, using: &generator)
    }

    /// The projection is saved as `heads.<term>.fc.weight` and `.bias`.
    var namedSublayers: [(name: String, layer: any Layer)] { [("fc", projection)] }

    func loss(
        hiddenStates: Tensor, targets: FrameTargets, selection: FrameSelection
    ) throws -> ObjectiveLoss {
        let op = "CQTReconstructionHead"
        guard case .vectors(let target) = targets else {
            throw TensorError(op, "needs CQT vectors, got class labels")
        }
        let bins = projection.outputDimensions
        guard hiddenStates.rank == 3, target.rank == 3,
            target.shape == [hiddenStates.shape[0], hiddenStates.shape[1], bins],
            selection.masked.count == hiddenStates.shape[0] * hiddenStates.shape[1]
        else {
            throw TensorError(
                op,
                "targets \(target.shape) and \(selection.masked.count) mask flags do not fit hidden "
                    + "states \(hiddenStates.shape) and \(bins) bins")
        }
        let frames = selection.masked.count
        let masked = selection.maskedReal  // padding frames never count
        let maskedCount = masked.filter { $0 }.count
        guard maskedCount > 0 else {
            return ObjectiveLoss(value: Tensor(scalar: 0), maskedFrameCount: 0)
        }

        let rows = try hiddenStates.reshaped(to: [frames, hiddenStates.shape[2]]).selectingRows(
            where: masked)
        let prediction = try projection(rows)  // [masked, bins]
        let wanted = try target.reshaped(to: [frames, bins]).selectingRows(where: masked).detached()
        let loss = try meanSquaredError(prediction, wanted)  // mean over masked frames × bins
        let explained = Self.explainedVariance(prediction: prediction.detached(), target: wanted)
        return ObjectiveLoss(
            value: loss, maskedFrameCount: maskedCount, metrics: ["explained_variance": explained])
    }

    /// R² of `prediction` against `target`, both `[rows, bins]`: 1 − Σ(p − t)² ÷ Σ(t − t̄_bin)².
    static func explainedVariance(prediction: Tensor, target: Tensor) -> Double {
        let (rows, bins) = (target.shape[0], target.shape[1])
        let p = prediction.scalars, t = target.scalars
        var means = [Double](repeating: 0, count: bins)
        for index in t.indices { means[index % bins] += Double(t[index]) / Double(rows) }
        var residual = 0.0, total = 0.0
        for index in t.indices {
            let error = Double(p[index]) - Double(t[index])
            let deviation = Double(t[index]) - means[index % bins]
            residual += error * error
            total += deviation * deviation
        }
        return total > 0 ? 1 - residual / total : 0
    }
}
