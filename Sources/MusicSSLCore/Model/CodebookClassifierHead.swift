import Foundation

/// HuBERT's prediction head: the last hidden state projected to `finalDimensions`, scored by
/// cosine similarity ÷ ``temperature`` against one learned embedding per class, and trained with
/// softmax cross-entropy on masked frames (model-spec §3.4).
///
/// As in fairseq, the classes are the k-means clusters after ``specialSymbolCount`` dictionary
/// symbols (`<s>`, `<pad>`, `</s>`, `<unk>`): cluster c is class c + 4, and the four symbols are
/// never targets but stay in the softmax as extra negatives. Parameter names follow fairseq
/// (`final_proj`, `label_embs_concat`).
public final class CodebookClassifierHead: PredictionHead {
    /// D → final dimensions.
    public let projection: Linear
    /// `[clusterCount + specialSymbolCount, finalDimensions]`, initialised uniform in [0, 1).
    public let labelEmbeddings: Parameter
    /// Clusters the targets come from (K).
    public let clusterCount: Int
    /// Dictionary symbols ahead of the clusters (4 in fairseq).
    public let specialSymbolCount: Int
    /// Cosine similarities are divided by this (fairseq `logit_temp`, 0.1).
    public let temperature: Float
    public var isTraining = true

    /// Creates a head for `clusterCount` clusters on a `modelDimensions`-wide encoder.
    public init(
        modelDimensions: Int, clusterCount: Int, finalDimensions: Int = 256, temperature: Float = 0.1,
        specialSymbolCount: Int = 4, using generator: inout some RandomNumberGenerator
    ) throws {
        guard modelDimensions > 0, clusterCount > 0, finalDimensions > 0, temperature > 0, specialSymbolCount >= 0 else {
            throw TensorError(
                "CodebookClassifierHead",
                "needs positive widths, cluster count and temperature; got D \(modelDimensions), K "
                    + "\(clusterCount), final \(finalDimensions), temperature \(temperature)")
        }
        projection = Linear(inputDimensions: modelDimensions, outputDimensions: finalDimensions, using: &generator)
        labelEmbeddings = Parameter(Tensor.randomUniform(
            [clusterCount + specialSymbolCount, finalDimensions], using: &generator))
        self.clusterCount = clusterCount
        self.specialSymbolCount = specialSymbolCount
        self.temperature = temperature
    }

    public var namedLocalParameters: [(name: String, parameter: Parameter)] {
        [("label_embs_concat", labelEmbeddings)]
    }

    public var namedSublayers: [(name: String, layer: any Layer)] { [("final_proj", projection)] }

    /// Class logits `[rows, K + 4]` of hidden rows `[rows, D]`.
    public func logits(_ rows: Tensor) throws -> Tensor {
        let projected = try projection(rows)
        let rowCount = projected.shape[0], width = projected.shape[1]
        let similarity = try cosineSimilarity(
            projected.reshaped(to: [rowCount, 1, width]),
            labelEmbeddings.tensor.reshaped(to: [1, labelEmbeddings.shape[0], width]))
        return similarity * (1 / temperature)
    }

    public func loss(
        hiddenStates: Tensor, targets: FrameTargets, selection: FrameSelection
    ) throws -> ObjectiveLoss {
        let op = "CodebookClassifierHead"
        guard case .classes(let ids, let classCount) = targets else {
            throw TensorError(op, "needs class targets (cluster labels), got vectors")
        }
        guard classCount == clusterCount else {
            throw TensorError(
                op, "the labels have \(classCount) clusters but the head was built for \(clusterCount)")
        }
        guard hiddenStates.rank == 3, ids.count == hiddenStates.shape[0] * hiddenStates.shape[1],
              selection.masked.count == ids.count
        else {
            throw TensorError(
                op, "\(ids.count) labels and \(selection.masked.count) mask flags for hidden states "
                    + "\(hiddenStates.shape)")
        }
        let rows = try hiddenStates.reshaped(to: [ids.count, hiddenStates.shape[2]])
        let masked = selection.maskedReal
        let maskedCount = masked.filter { $0 }.count
        var metrics: [String: Double] = [:]
        let (maskedSum, maskedCorrect, maskedScored) = try scoredSum(rows, ids, where: masked)
        metrics["masked_accuracy"] = maskedScored > 0 ? Double(maskedCorrect) / Double(maskedScored) : 0
        var total = maskedSum
        if selection.unmaskedWeight > 0 {
            let (unmaskedSum, unmaskedCorrect, unmaskedScored) = try scoredSum(rows, ids, where: selection.unmasked)
            total = try total + unmaskedSum * selection.unmaskedWeight
            metrics["unmasked_accuracy"] = unmaskedScored > 0 ? Double(unmaskedCorrect) / Double(unmaskedScored) : 0
        }
        return ObjectiveLoss(
            value: total * (1 / Float(Swift.max(maskedCount, 1))), maskedFrameCount: maskedCount,
            metrics: metrics)
    }

    /// Summed cross-entropy over the chosen frames that have a target, with the number scored
    /// and the number whose most likely class is the target.
    private func scoredSum(
        _ rows: Tensor, _ ids: [Int], where chosen: [Bool]
    ) throws -> (Tensor, correct: Int, scored: Int) {
        let picked = chosen.indices.filter { chosen[$0] && ids[$0] != FrameTargets.ignoredClass }
        guard !picked.isEmpty else { return (Tensor(scalar: 0), 0, 0) }
        let classes = try picked.map { frame -> Int in
            let cluster = ids[frame]
            guard cluster >= 0, cluster < clusterCount else {
                throw TensorError(
                    "CodebookClassifierHead", "label \(cluster) at frame \(frame) is outside 0..<\(clusterCount)")
            }
            return cluster + specialSymbolCount
        }
        let logits = try self.logits(rows.indexSelect(alongAxis: 0, indices: picked))
        let loss = try crossEntropy(logits: logits, targets: classes, reduction: .sum)
        let predicted = try logits.detached().argmax(alongAxis: 1)
        let correct = zip(predicted, classes).filter { $0 == $1 }.count
        return (loss, correct, picked.count)
    }
}
