import Foundation
import MusicSSLCore

/// Seeded music-like audio at 16 kHz for benchmarks that need realistic MFCC: per clip a tempo
/// and a key; a melody of harmonic notes with their own timbre (partial roll-off) and
/// attack–decay envelope, a sustained chord, a kick on every beat and noise hi-hats on
/// off-beats, mixed and peak-normalised to 0.8.
struct SyntheticMusic {
    static let sampleRate = 16_000

    /// One clip of `seconds`, fully determined by `seed`.
    static func clip(seconds: Double, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let count = Int(seconds * Double(sampleRate))
        var mix = [Double](repeating: 0, count: count)
        let beat = 60 / Double.random(in: 70...160, using: &generator)
        let key = Int.random(in: 0..<12, using: &generator)
        let scale = [0, 2, 4, 5, 7, 9, 11]
        let rollOff = Double.random(in: 0.4...0.9, using: &generator)
        func frequency(_ midi: Int) -> Double { 440 * pow(2, Double(midi - 69) / 12) }
        func addNote(
            midi: Int, start: Int, length: Int, amplitude: Double, partials: Int, decay: Double
        ) {
            let f = frequency(midi)
            for n in 0..<Swift.min(length, count - start) {
                let t = Double(n) / Double(sampleRate)
                let envelope = Swift.min(1, t / 0.01) * exp(-t * decay)
                var value = 0.0
                for k in 1...partials where Double(k) * f < 7_500 {
                    value += pow(rollOff, Double(k - 1)) * sin(2 * Double.pi * Double(k) * f * t)
                }
                mix[start + n] += amplitude * envelope * value
            }
        }
        // Melody: notes of a quarter or half beat up to two beats.
        var position = 0
        while position < count {
            let length = Int(
                beat * [0.25, 0.5, 1, 2][Int.random(in: 0..<4, using: &generator)]
                    * Double(sampleRate))
            if Double.random(in: 0..<1, using: &generator) < 0.85 {
                let degree = Int.random(in: 0..<14, using: &generator)
                let midi = 60 + key + 12 * (degree / 7) + scale[degree % 7] - 12
                addNote(
                    midi: midi, start: position, length: length, amplitude: 0.5, partials: 8,
                    decay: 3)
            }
            position += length
        }
        // A chord that changes every four beats.
        position = 0
        while position < count {
            let length = Int(4 * beat * Double(sampleRate))
            let root = 48 + key + scale[Int.random(in: 0..<7, using: &generator)]
            for interval in [0, 4, 7] {
                addNote(
                    midi: root + interval, start: position, length: length, amplitude: 0.15,
                    partials: 4, decay: 0.5)
            }
            position += length
        }
        // Drums: a kick (falling sine) on beats, a hi-hat (decaying noise) between them.
        let noise = Tensor.randomNormal([count], using: &generator).scalars
        var time = 0.0
        while Int(time * Double(sampleRate)) < count {
            let start = Int(time * Double(sampleRate))
            for n in 0..<Swift.min(2_400, count - start) {
                let t = Double(n) / Double(sampleRate)
                mix[start + n] +=
                    0.8 * exp(-t * 25) * sin(2 * Double.pi * (50 + 100 * exp(-t * 30)) * t)
            }
            let hat = Int((time + beat / 2) * Double(sampleRate))
            if hat < count {
                for n in 0..<Swift.min(800, count - hat) {
                    mix[hat + n] += 0.15 * exp(-Double(n) / 120) * Double(noise[hat + n])
                }
            }
            time += beat
        }
        let peak = mix.map(abs).max() ?? 1
        return mix.map { Float(0.8 * $0 / Swift.max(peak, 1e-9)) }
    }
}
