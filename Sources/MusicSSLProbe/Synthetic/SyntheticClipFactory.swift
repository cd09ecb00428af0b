import Foundation
import MusicSSLCore

/// Renders the clips of each task and of the corpus from an item's own generator.
enum SyntheticClipFactory {
    /// The clip of a `kind` item whose class is `classIndex` into ``SyntheticTaskKind/classes``
    /// (ignored for `beat`).
    static func clip(
        _ kind: SyntheticTaskKind, classIndex: Int, seconds: Double, sampleRate: Int,
        using generator: inout SplitMix64
    ) -> SyntheticClip {
        var buffer = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        let families = InstrumentFamily.allCases
        let loudness = Double.random(in: 0.3...0.9, using: &generator)
        let onset = Double.random(in: 0.05...0.3, using: &generator)
        let held = max(0.2, seconds - onset - 0.6)
        switch kind {
        case .pitch:
            let pitch = SyntheticPitchRange.midiPitches[classIndex]
            let family = generator.choice(families)
            NoteRenderer.add(
                SyntheticNote(
                    midiPitch: pitch, startSeconds: onset, durationSeconds: held, amplitude: 1,
                    family: family), sampleRate: sampleRate, into: &buffer)
            return SyntheticClip(
                normalizing: buffer, peak: loudness,
                annotation: SyntheticPitchRange.label(of: pitch))
        case .instrument:
            let family = families[classIndex]
            let length = (seconds - onset - 0.3) / 3
            for note in 0..<3 {
                NoteRenderer.add(
                    SyntheticNote(
                        midiPitch: Int.random(in: 45...81, using: &generator),
                        startSeconds: onset + Double(note) * length,
                        durationSeconds: 0.85 * length, amplitude: 1, family: family),
                    sampleRate: sampleRate, into: &buffer)
            }
            return SyntheticClip(normalizing: buffer, peak: loudness, annotation: family.rawValue)
        case .chord:
            let quality = ChordQuality.allCases[classIndex]
            let family = generator.choice(families)
            let root = Int.random(in: 48...59, using: &generator)
            for pitch in quality.pitches(root: root) {
                NoteRenderer.add(
                    SyntheticNote(
                        midiPitch: pitch, startSeconds: onset, durationSeconds: held,
                        amplitude: 1, family: family), sampleRate: sampleRate, into: &buffer)
            }
            return SyntheticClip(normalizing: buffer, peak: loudness, annotation: quality.rawValue)
        case .key:
            let key = MusicalKey.marbleClasses[classIndex]
            let song = SongArrangement.random(
                key: key, bpm: Double.random(in: 80...140, using: &generator), hasDrums: false,
                hasMelody: true, using: &generator)
            return SyntheticClip(
                normalizing: song.render(
                    seconds: seconds, sampleRate: sampleRate, using: &generator),
                peak: loudness, annotation: key.description)
        case .beat, .tempo:
            let bin = TempoBin.allCases[kind == .tempo ? classIndex : 0]
            let range = kind == .tempo ? bin.range : TempoBin.tempoRange
            let bpm = Double.random(in: range, using: &generator)
            let song = SongArrangement.random(
                key: randomKey(using: &generator), bpm: min(bpm, range.upperBound - 1e-6),
                hasDrums: true, hasMelody: Bool.random(using: &generator), using: &generator)
            let samples = song.render(seconds: seconds, sampleRate: sampleRate, using: &generator)
            let annotation =
                kind == .tempo
                ? bin.name
                : song.beatTimes(seconds: seconds).map { String(format: "%.6f", $0) }
                    .joined(separator: " ")
            return SyntheticClip(normalizing: samples, peak: loudness, annotation: annotation)
        }
    }

    /// A corpus clip: drums (nine times in ten), chords, bass and melody in a random key at a
    /// random tempo, peak-normalised to 0.5–0.9.
    static func corpusClip(
        seconds: Double, sampleRate: Int, using generator: inout SplitMix64
    ) -> SyntheticClip {
        let song = SongArrangement.random(
            key: randomKey(using: &generator),
            bpm: Double.random(in: TempoBin.tempoRange, using: &generator),
            hasDrums: Int.random(in: 0..<10, using: &generator) > 0, hasMelody: true,
            using: &generator)
        return SyntheticClip(
            normalizing: song.render(seconds: seconds, sampleRate: sampleRate, using: &generator),
            peak: Double.random(in: 0.5...0.9, using: &generator))
    }

    /// One of the 24 major and minor keys, uniformly.
    static func randomKey(using generator: inout SplitMix64) -> MusicalKey {
        generator.choice(MusicalKey.marbleClasses)
    }
}
