import Foundation
import MusicSSLCore

/// The drum sounds of the synthetic suite: a pitched sweep and filtered noise.
enum DrumHit: CaseIterable, Sendable {
    /// A sine swept from 160 to 50 Hz with a 0.15-s decay and a short click.
    case kick
    /// Band-passed noise (300 Hz–5 kHz) with a 190-Hz body, 0.08-s decay.
    case snare
    /// High-passed noise, 0.02-s decay.
    case hiHat

    /// How long the hit is rendered, in seconds.
    var durationSeconds: Double {
        switch self {
        case .kick: 0.5
        case .snare: 0.35
        case .hiHat: 0.1
        }
    }

    /// Adds the hit at `startSeconds` (may be negative) to `buffer`; the noise comes from
    /// `generator`.
    func add(
        at startSeconds: Double, amplitude: Double, sampleRate: Int, into buffer: inout [Float],
        using generator: inout SplitMix64
    ) {
        let rate = Double(sampleRate)
        let start = Int((startSeconds * rate).rounded())
        let end = min(buffer.count, start + Int(durationSeconds * rate))
        guard end > max(0, start) else { return }
        // One-pole low-pass coefficients for the filtered noise.
        let lowPass = { (cutoff: Double) in 1 - exp(-2 * Double.pi * cutoff / rate) }
        let high = lowPass(5_000)
        let low = lowPass(300)
        let hatCut = lowPass(7_000)
        var phase = 0.0
        var smoothed = 0.0
        var floor = 0.0
        for frame in start..<end {
            let seconds = Double(frame - start) / rate
            let noise = Double(generator.next() >> 11) * 0x1p-53 * 2 - 1
            let value: Double
            switch self {
            case .kick:
                let frequency = 50 + 110 * exp(-seconds / 0.03)
                phase += 2 * Double.pi * frequency / rate
                let click = seconds < 0.003 ? 0.3 * noise : 0
                value = (sin(phase) + click) * exp(-seconds / 0.15)
            case .snare:
                smoothed += high * (noise - smoothed)
                floor += low * (smoothed - floor)
                let tone = 0.5 * sin(2 * Double.pi * 190 * seconds) * exp(-seconds / 0.04)
                value = (1.4 * (smoothed - floor) + tone) * exp(-seconds / 0.08)
            case .hiHat:
                smoothed += hatCut * (noise - smoothed)
                value = (noise - smoothed) * exp(-seconds / 0.02)
            }
            if frame >= 0 { buffer[frame] += Float(amplitude * value) }
        }
    }
}
