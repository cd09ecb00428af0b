import Foundation

/// Additive synthesis of ``SyntheticNote``s into a mono buffer.
///
/// Each partial is a phasor rotated once per sample (no `sin` per sample); frequencies,
/// amplitudes and envelopes are updated every ``blockFrames`` samples and interpolated linearly
/// in between, so vibrato, decay and swell cost a few `exp`/`sin` calls per block.
enum NoteRenderer {
    /// Samples per control block (2 ms at 16 kHz).
    static let blockFrames = 32
    /// A decaying note stops once its slowest partial is 80 dB down.
    static let silenceDecayProduct = 9.2

    /// Adds `note` to `buffer`, whose sample 0 is time 0.
    static func add(_ note: SyntheticNote, sampleRate: Int, into buffer: inout [Float]) {
        let timbre = note.family.timbre
        let rate = Double(sampleRate)
        let fundamental = SyntheticPitchRange.frequency(of: Double(note.midiPitch))
        let partials = timbre.partials.filter { $0.ratio * fundamental < 0.45 * rate }
        let start = Int((note.startSeconds * rate).rounded())
        let heldFrames = Int((note.durationSeconds * rate).rounded())
        var end = start + heldFrames + Int((timbre.releaseSeconds * rate).rounded())
        if timbre.slowestDecayRate > 0 {
            end = min(end, start + Int(silenceDecayProduct / timbre.slowestDecayRate * rate))
        }
        let first = max(0, start)
        end = min(end, buffer.count)
        guard first < end, !partials.isEmpty else { return }
        let envelope = { (frame: Int) -> Double in
            let seconds = Double(frame - start) / rate
            let attack = min(1, seconds / timbre.attackSeconds)
            let release =
                frame <= start + heldFrames
                ? 1 : max(0, 1 - Double(frame - start - heldFrames) / rate / timbre.releaseSeconds)
            return note.amplitude * max(0, attack) * release
        }
        let vibrato = { (frame: Int) -> Double in
            let seconds = Double(frame - start) / rate
            return 1 + timbre.vibratoDepth * sin(2 * Double.pi * timbre.vibratoRate * seconds)
        }
        let amplitude = { (partial: Timbre.Partial, index: Int, frame: Int) -> Double in
            let seconds = max(0, Double(frame - start) / rate)
            var value = partial.amplitude * exp(-partial.decayRate * seconds)
            if timbre.swellSeconds > 0 {
                let brightness = 0.4 + 0.6 * min(1, seconds / timbre.swellSeconds)
                value *= pow(brightness, Double(index))
            }
            return value
        }
        // Phasors start at the phase the note has reached by `first` (vibrato aside).
        var cosines = partials.map {
            cos(2 * Double.pi * $0.ratio * fundamental * Double(first - start) / rate)
        }
        var sines = partials.map {
            sin(2 * Double.pi * $0.ratio * fundamental * Double(first - start) / rate)
        }
        var block = [Double](repeating: 0, count: blockFrames)
        var blockStart = first
        while blockStart < end {
            let count = min(blockFrames, end - blockStart)
            let blockEnd = blockStart + count
            let gainStart = envelope(blockStart)
            let gainEnd = envelope(blockEnd)
            let stretch = vibrato(blockStart + count / 2)
            for index in 0..<count { block[index] = 0 }
            for (k, partial) in partials.enumerated() {
                let omega = 2 * Double.pi * partial.ratio * fundamental * stretch / rate
                let rotationCosine = cos(omega)
                let rotationSine = sin(omega)
                var level = gainStart * amplitude(partial, k, blockStart)
                let levelEnd = gainEnd * amplitude(partial, k, blockEnd)
                let step = (levelEnd - level) / Double(count)
                var c = cosines[k]
                var s = sines[k]
                for index in 0..<count {
                    let nextC = c * rotationCosine - s * rotationSine
                    s = c * rotationSine + s * rotationCosine
                    c = nextC
                    block[index] += level * s
                    level += step
                }
                // Renormalised so rounding cannot grow or shrink the phasor over a long note.
                let norm = 1 / (c * c + s * s).squareRoot()
                cosines[k] = c * norm
                sines[k] = s * norm
            }
            for index in 0..<count { buffer[blockStart + index] += Float(block[index]) }
            blockStart = blockEnd
        }
    }
}
