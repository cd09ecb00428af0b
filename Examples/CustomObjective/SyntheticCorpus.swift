import Foundation
import MusicSSLCore

/// A small corpus of synthetic music written as WAV files, so the example needs no data set:
/// each file is a progression of triads (C, Dm, Em, F, G, Am around C3, with a bass note an
/// octave below), one chord per beat, every note with three harmonics, 10 ms fades at the
/// beat's ends, plus faint noise.
///
/// Chords change the timbre that MFCC k-means clusters and the pitches a CQT shows, so both
/// objectives have something to learn. File `i` depends only on the seed and `i`.
struct SyntheticCorpus {
    /// Files written.
    var fileCount = 8
    /// Length of each file.
    var seconds = 4.0
    /// Seconds per chord.
    var beatSeconds = 0.5
    /// Samples per second.
    var sampleRate = 16_000
    /// Fixes every file.
    var seed: UInt64 = 7

    /// The triads as MIDI notes (C3 = 48).
    static let chords: [[Int]] = [
        [48, 52, 55], [50, 53, 57], [52, 55, 59], [53, 57, 60], [55, 59, 62], [57, 60, 64],
    ]

    /// Writes `song-0.wav` … into `directory` (created if missing) and returns their URLs.
    ///
    /// - Throws: the file system's and ``AudioEncoder``'s errors.
    func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try (0..<fileCount).map { index in
            let url = directory.appendingPathComponent("song-\(index).wav")
            try AudioEncoder.write(
                samples(ofFile: index), sampleRate: sampleRate, format: .wavPCM16, to: url)
            return url
        }
    }

    /// The samples of file `index`, in [-1, 1].
    func samples(ofFile index: Int) -> [Float] {
        var generator = SplitMix64(seed: seed, index: UInt64(index))
        let beatSamples = Int(beatSeconds * Double(sampleRate))
        let beatCount = Int((seconds / beatSeconds).rounded(.up))
        var output: [Float] = []
        output.reserveCapacity(beatCount * beatSamples)
        for _ in 0..<beatCount {
            let chord = Self.chords[Int.random(in: 0..<Self.chords.count, using: &generator)]
            let notes = chord + [chord[0] - 12]
            for n in 0..<beatSamples {
                let t = Double(n) / Double(sampleRate)
                let envelope = Swift.min(1, t / 0.01, (beatSeconds - t) / 0.01)
                var value = 0.0
                for note in notes {
                    let frequency = 440 * pow(2, Double(note - 69) / 12)
                    for harmonic in 1...3 {
                        value += sin(2 * .pi * frequency * Double(harmonic) * t) / Double(harmonic)
                    }
                }
                let noise = Double.random(in: -1...1, using: &generator)
                output.append(Float(0.12 * envelope * value + 0.003 * noise))
            }
        }
        return Array(output.prefix(Int(seconds * Double(sampleRate))))
    }
}
