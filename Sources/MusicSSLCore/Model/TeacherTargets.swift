import Foundation

/// data2vec's targets (model-spec §4): an exponential moving average of the student's
/// Transformer encoder runs, without gradients and in eval mode, on the student's projected,
/// unmasked features; the target is the average of its top ``topLayerCount`` layers'
/// feed-forward outputs (before dropout and residual), each instance-normalised over time.
///
/// Before update 0 the teacher becomes an exact copy of the student; before every later update
/// n it moves `θ ← d(n)·θ + (1 − d(n))·θ_student` with ``decaySchedule``, except the positional
/// convolution, which is copied (`ema_layers_only`). The teacher's weights are
/// ``stateParameters``, so a checkpoint resumes it exactly.
public final class TeacherTargets: TargetProvider {
    /// The EMA copy of the student's encoder.
    public let teacher: TransformerEncoder
    /// K: how many top layers are averaged (8 for data2vec base, 12 for the paper's ablation).
    public let topLayerCount: Int
    /// Whether each layer is instance-normalised over time before averaging.
    public let normalizesLayers: Bool
    /// The decay per update.
    public let decaySchedule: EMADecaySchedule

    /// Creates the teacher for a student encoder of `configuration` (its weights are replaced by
    /// the student's at update 0).
    public init(
        configuration: EncoderConfiguration, topLayerCount: Int = 8, normalizesLayers: Bool = true,
        decaySchedule: EMADecaySchedule = .data2vec
    ) throws {
        guard topLayerCount >= 1, topLayerCount <= configuration.layerCount else {
            throw TensorError(
                "TeacherTargets",
                "top layer count \(topLayerCount) must be in 1...\(configuration.layerCount)")
        }
        var unused = SplitMix64(seed: 0)
        teacher = try TransformerEncoder(configuration: configuration, using: &unused)
        teacher.setTraining(false)
        for (_, parameter) in teacher.namedParameters() { parameter.isTrainable = false }
        self.topLayerCount = topLayerCount
        self.normalizesLayers = normalizesLayers
        self.decaySchedule = decaySchedule
    }

    public var stateParameters: [(name: String, parameter: Parameter)] {
        teacher.namedParameters(prefix: "teacher.")
    }

    /// Copies (update 0) or averages (later updates) the student's encoder into the teacher.
    public func prepare(forStep step: Int, model: MaskedPredictionModel) throws {
        let decay = step == 0 ? 0 : Float(decaySchedule.decay(atStep: step))
        try update(from: model.encoder, decay: decay)
    }

    /// One EMA step from `student` with decay `decay` (0 copies); positional-convolution
    /// parameters are always copied.
    public func update(from student: any Encoder, decay: Float) throws {
        let studentParameters = Dictionary(
            student.namedParameters().map { ($0.name, $0.parameter) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in teacher.namedParameters() {
            guard let source = studentParameters[name], source.shape == parameter.shape else {
                throw TensorError(
                    "TeacherTargets",
                    "the student's encoder has no parameter \"\(name)\" of shape \(parameter.shape)")
            }
            let copies = decay == 0 || name.hasPrefix("pos_conv_embed.")
            let incoming = source.value
            parameter.withUnsafeMutableValue { target in
                incoming.withUnsafeBufferPointer { values in
                    if copies {
                        for i in 0..<target.count { target[i] = values[i] }
                    } else {
                        let keep = decay, take = 1 - decay
                        for i in 0..<target.count { target[i] = keep * target[i] + take * values[i] }
                    }
                }
            }
        }
    }

    public func targets(for context: TargetContext) throws -> FrameTargets {
        teacher.setTraining(false)
        return .vectors(try noGrad {
            var unused = SplitMix64(seed: 0)
            let output = try teacher(context.unmaskedFeatures, paddingMask: context.paddingMask, using: &unused)
            let layers = output.feedForwardOutputs.suffix(topLayerCount)
            var sum: Tensor?
            for layer in layers {
                guard var state = layer else {
                    throw TensorError("TeacherTargets", "a teacher layer was skipped; the teacher must run in eval mode")
                }
                if normalizesLayers {
                    state = try instanceNorm(state.transposed(1, 2), epsilon: 1e-5).transposed(1, 2)
                }
                sum = try sum.map { try $0 + state } ?? state
            }
            guard let sum else { throw TensorError("TeacherTargets", "the teacher has no layers") }
            return sum * (1 / Float(layers.count))
        })
    }
}
