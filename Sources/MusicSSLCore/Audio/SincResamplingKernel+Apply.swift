/// The strided convolution of torchaudio's `_apply_sinc_resample_kernel`, vectorised over blocks.
///
/// torchaudio pads the input with `width` zeros before and `width + inputStride` after, then runs
/// `conv1d(stride: inputStride)` with one output channel per phase: output sample
/// `block · phaseCount + phase` is the dot product of the phase's row with the padded input from
/// `block · inputStride`. Here the padded input is first laid out as [inputStride, blocks]
/// (column `j` holds block `j`), so that for a fixed phase and tap the samples that tap weighs in
/// consecutive blocks are contiguous: each tap becomes one multiply-add over a run of blocks.
extension SincResamplingKernel {
    /// Blocks computed together; eight 8-lane accumulators, what AVX2's 16 registers hold with
    /// room for the weight and the loads.
    static let blockTile = 64

    /// Blocks whose padded input is transposed at a time (a multiple of ``blockTile``): about
    /// 29 MB of scratch at 44.1 kHz → 16 kHz whatever the input's length, where one transposed
    /// copy of an hour of audio would be as large as the audio.
    static let segmentBlocks = 1 << 14

    /// Resamples `samples` and keeps the first `outputCount` outputs (torchaudio's
    /// `ceil(new · length / orig)`, at most `(samples.count / inputStride + 1) · phaseCount`).
    ///
    /// The blocks are done `segmentBlocks` at a time, each segment from its own transposed
    /// window of the input; every output sums the same taps in the same order whatever the
    /// segment size, so the result does not depend on it.
    func apply(to samples: [Float], outputCount: Int, segmentBlocks: Int = segmentBlocks) -> [Float] {
        let R = inputStride
        let P = phaseCount
        let T = Self.blockTile
        let blockCount = samples.count / R + 1
        let segment = Swift.min(
            Swift.max(segmentBlocks / T, 1) * T, (blockCount + T - 1) / T * T)
        // Columns of a segment's transposed input: its blocks, the farthest a tap reaches past
        // its block's start, and one tile of zeros so a tile may read past the last block.
        let columnCount = segment + (windowLength - 1) / R + 1 + T
        var transposed = [Float](repeating: 0, count: R * columnCount)

        // Where each tap's run starts in `transposed`, relative to the tile's first block.
        var tapColumns = [Int](repeating: 0, count: weights.count)
        for phase in 0..<P {
            for tap in tapOffsets[phase]..<tapOffsets[phase + 1] {
                let column = tapStarts[phase] + tap - tapOffsets[phase]
                tapColumns[tap] = (column % R) * columnCount + column / R
            }
        }

        return [Float](unsafeUninitializedCapacity: outputCount) { output, initialized in
            var segmentStart = 0
            while segmentStart * P < outputCount {
                fillTransposedPaddedInput(&transposed, from: samples, firstColumn: segmentStart, columnCount: columnCount)
                transposed.withUnsafeBufferPointer { input in
                    weights.withUnsafeBufferPointer { weights in
                        tapColumns.withUnsafeBufferPointer { tapColumns in
                            guard let x = input.baseAddress, let w = weights.baseAddress,
                                let offsets = tapColumns.baseAddress, let y = output.baseAddress
                            else { return }
                            var firstBlock = segmentStart
                            while firstBlock < segmentStart + segment, firstBlock * P < outputCount {
                                for phase in 0..<P {
                                    let lower = tapOffsets[phase]
                                    Self.writeTile(
                                        x + (firstBlock - segmentStart), weights: w + lower, offsets: offsets + lower,
                                        tapCount: tapOffsets[phase + 1] - lower,
                                        into: y, firstOutput: firstBlock * P + phase, outputStride: P,
                                        outputCount: outputCount)
                                }
                                firstBlock += T
                            }
                        }
                    }
                }
                segmentStart += segment
            }
            initialized = outputCount
        }
    }

    /// Writes the padded input's columns `firstColumn ..< firstColumn + columnCount` into
    /// `transposed` as [inputStride, columnCount]: entry (r, c) is padded sample
    /// `(firstColumn + c) · inputStride + r`, i.e. input sample `… − width`, or 0 outside it.
    private func fillTransposedPaddedInput(
        _ transposed: inout [Float], from samples: [Float], firstColumn: Int, columnCount: Int
    ) {
        let R = inputStride
        samples.withUnsafeBufferPointer { input in
            transposed.withUnsafeMutableBufferPointer { out in
                guard let out = out.baseAddress else { return }
                let x = input.baseAddress
                // Tiles of a few columns, so each row receives one cache line per tile rather
                // than one scattered write per sample.
                let tile = 16
                var column = 0
                while column < columnCount {
                    let columns = Swift.min(tile, columnCount - column)
                    let first = (firstColumn + column) * R - width  // input index of the tile's first sample
                    let end = first + columns * R
                    if let x, first >= 0, end <= samples.count {
                        for row in 0..<R {
                            let source = x + first + row
                            let target = out + row * columnCount + column
                            for c in 0..<columns { target[c] = source[c * R] }
                        }
                    } else {
                        for row in 0..<R {
                            for c in 0..<columns {
                                let index = first + c * R + row
                                out[row * columnCount + column + c] =
                                    index >= 0 && index < samples.count ? x![index] : 0
                            }
                        }
                    }
                    column += tile
                }
            }
        }
    }

    /// One phase over one tile of blocks: `Σ_tap weight · x[offset + block]` for the tile's
    /// blocks, written to every `outputStride`-th output from `firstOutput` that is below
    /// `outputCount`.
    @inline(__always)
    private static func writeTile(
        _ x: UnsafePointer<Float>, weights: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
        tapCount: Int, into y: UnsafeMutablePointer<Float>, firstOutput: Int, outputStride: Int,
        outputCount: Int
    ) {
        typealias Lanes = SIMD8<Float>
        var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
        var a4 = Lanes(), a5 = Lanes(), a6 = Lanes(), a7 = Lanes()
        for tap in 0..<tapCount {
            let w = Lanes(repeating: weights[tap])
            let row = UnsafeRawPointer(x + offsets[tap])
            let stride = MemoryLayout<Lanes>.stride
            a0 = a0.addingProduct(w, row.loadUnaligned(as: Lanes.self))
            a1 = a1.addingProduct(w, row.loadUnaligned(fromByteOffset: stride, as: Lanes.self))
            a2 = a2.addingProduct(w, row.loadUnaligned(fromByteOffset: 2 * stride, as: Lanes.self))
            a3 = a3.addingProduct(w, row.loadUnaligned(fromByteOffset: 3 * stride, as: Lanes.self))
            a4 = a4.addingProduct(w, row.loadUnaligned(fromByteOffset: 4 * stride, as: Lanes.self))
            a5 = a5.addingProduct(w, row.loadUnaligned(fromByteOffset: 5 * stride, as: Lanes.self))
            a6 = a6.addingProduct(w, row.loadUnaligned(fromByteOffset: 6 * stride, as: Lanes.self))
            a7 = a7.addingProduct(w, row.loadUnaligned(fromByteOffset: 7 * stride, as: Lanes.self))
        }
        // A stack buffer; an array literal here would allocate once per phase and tile.
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 8) { sums in
            sums[0] = a0
            sums[1] = a1
            sums[2] = a2
            sums[3] = a3
            sums[4] = a4
            sums[5] = a5
            sums[6] = a6
            sums[7] = a7
            var index = firstOutput
            for lanes in sums {
                for lane in 0..<Lanes.scalarCount {
                    guard index < outputCount else { return }
                    y[index] = lanes[lane]
                    index += outputStride
                }
            }
        }
    }
}
