import Foundation
import MusicSSLCore

/// Averages the gradients of a model's parameters over the ranks of a data-parallel job, as
/// PyTorch's DistributedDataParallel does after backward: gradients are packed into flat
/// buckets of about ``bucketBytes`` (DDP's 25 MB), each bucket is summed over ranks with one
/// all-reduce and divided by the rank count.
///
/// A parameter without a gradient on every rank (a dropped layer: the drop decisions agree
/// across ranks) keeps none, so the optimizer skips it as it would in one process; one with a
/// gradient on some rank gets the average with zeros for the others. A job of one process
/// returns at once.
///
/// ```swift
/// let reduce = GradientAllReduce(parameters: model.parameters, communicator: communicator)
/// try loss.backward()
/// var statistics = [lossValue, clipCount]
/// try reduce.averageGradients(summing: &statistics)   // statistics: sums over ranks
/// try optimizer.update(model.parameters, learningRate: rate)
/// ```
public final class GradientAllReduce {
    /// The job whose ranks are averaged over.
    public let communicator: any Communicator
    /// The parameters whose gradients are averaged, in bucket order.
    public let parameters: [Parameter]
    /// Bytes of gradient per all-reduce call.
    public let bucketBytes: Int
    /// Seconds the last ``averageGradients(summing:)`` spent, packing and unpacking included.
    public private(set) var lastSeconds: Double = 0
    private let buckets: [Range<Int>]
    private var buffer: [Float]

    /// Averages `parameters`' gradients over `communicator`'s ranks.
    public init(parameters: [Parameter], communicator: any Communicator, bucketBytes: Int = 25 << 20) {
        self.parameters = parameters
        self.communicator = communicator
        self.bucketBytes = Swift.max(bucketBytes, 4)
        let limit = Swift.max(bucketBytes / MemoryLayout<Float>.stride, 1)
        var buckets: [Range<Int>] = []
        var start = 0, elements = 0
        for (index, parameter) in parameters.enumerated() {
            let count = parameter.shape.reduce(1, *)
            if index > start && elements + count > limit {
                buckets.append(start..<index)
                start = index
                elements = 0
            }
            elements += count
        }
        if start < parameters.count { buckets.append(start..<parameters.count) }
        self.buckets = buckets
        let largest = buckets.map { range in range.reduce(0) { $0 + parameters[$1].shape.reduce(1, *) } }.max() ?? 0
        buffer = communicator.size > 1 ? [Float](repeating: 0, count: largest) : []
    }

    /// Replaces every gradient with its average over the ranks and `statistics` with its sum
    /// over the ranks (one extra all-reduce carries them with the gradients' presence).
    ///
    /// - Throws: ``CommunicatorError`` when a collective fails.
    public func averageGradients(summing statistics: inout [Double]) throws {
        guard communicator.size > 1 else { return }
        let start = Date()
        defer { lastSeconds = Date().timeIntervalSince(start) }
        var head = parameters.map { $0.gradient == nil ? 0.0 : 1.0 } + statistics
        try communicator.allReduceSum(&head)
        statistics = Array(head[parameters.count...])
        let scale = 1 / Float(communicator.size)
        for bucket in buckets {
            let count = try buffer.withUnsafeMutableBufferPointer { buffer in
                var offset = 0
                for index in bucket {
                    let parameter = parameters[index]
                    let n = parameter.shape.reduce(1, *)
                    if let gradient = parameter.gradient {
                        gradient.withUnsafeBufferPointer { source in
                            (buffer.baseAddress! + offset).update(from: source.baseAddress!, count: n)
                        }
                    } else {
                        (buffer.baseAddress! + offset).update(repeating: 0, count: n)
                    }
                    offset += n
                }
                try communicator.allReduceSum(UnsafeMutableBufferPointer(rebasing: buffer[0..<offset]))
                return offset
            }
            var offset = 0
            for index in bucket {
                let parameter = parameters[index]
                let n = parameter.shape.reduce(1, *)
                defer { offset += n }
                guard head[index] > 0 else { continue }
                let averaged = [Float](unsafeUninitializedCapacity: n) { values, initialized in
                    for i in 0..<n { values[i] = buffer[offset + i] * scale }
                    initialized = n
                }
                try parameter.setGradient(Tensor(shape: parameter.shape, scalars: averaged))
            }
            precondition(offset == count)
        }
    }
}
