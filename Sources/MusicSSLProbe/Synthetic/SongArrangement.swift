import MusicSSLCore

/// A short piece in one key and tempo: a chord progression with bass, optionally a melody from
/// the scale and a drum pattern. Beats fall at ``firstBeatSeconds`` + k × 60 / ``bpm``; the music
/// already plays before time 0, so a clip starts mid-bar.
struct SongArrangement: Sendable {
    /// The key (major or minor).
    var key: MusicalKey
    /// Tempo in beats per minute.
    var bpm: Double
    /// The first beat at or after time 0, in `0 ..< 60 / bpm` seconds.
    var firstBeatSeconds: Double
    /// Which beat of the bar (0–3) the beat at ``firstBeatSeconds`` is.
    var firstBeatInBar: Int
    /// The chords, repeated.
    var progression: [DiatonicHarmony.Degree]
    /// Beats each chord lasts.
    var beatsPerChord: Int
    /// Timbre of the chords.
    var harmonyFamily: InstrumentFamily
    /// Timbre of the bass.
    var bassFamily: InstrumentFamily
    /// Timbre of the melody; nil for none.
    var melodyFamily: InstrumentFamily?
    /// The drums; nil for none.
    var drums: DrumPattern?

    /// Seconds per beat.
    var beatSeconds: Double { 60 / bpm }

    /// A random arrangement in `key` at `bpm`: random phase, progression, chord length and
    /// timbres; drums and melody when asked for.
    static func random(
        key: MusicalKey, bpm: Double, hasDrums: Bool, hasMelody: Bool,
        using generator: inout SplitMix64
    ) -> SongArrangement {
        let beatSeconds = 60 / bpm
        let families = InstrumentFamily.allCases
        return SongArrangement(
            key: key, bpm: bpm,
            firstBeatSeconds: Double.random(in: 0..<beatSeconds, using: &generator),
            firstBeatInBar: Int.random(in: 0..<4, using: &generator),
            progression: generator.choice(DiatonicHarmony.progressions(key.mode ?? .major)),
            beatsPerChord: bpm < 100 ? 2 : generator.choice([2, 4]),
            harmonyFamily: generator.choice(families),
            bassFamily: generator.choice([
                .pluckedString, .piano, .organ, .squareSynth, .bowedString,
            ]),
            melodyFamily: hasMelody ? generator.choice(families) : nil,
            drums: hasDrums ? generator.choice(DrumPattern.allCases) : nil)
    }

    /// Every beat in `0 ..< seconds`.
    func beatTimes(seconds: Double) -> [Double] {
        stride(from: firstBeatSeconds, to: seconds, by: beatSeconds).map { $0 }
    }

    /// The mixed, unnormalised clip of `seconds`; melody choices and drum noise come from
    /// `generator`.
    func render(seconds: Double, sampleRate: Int, using generator: inout SplitMix64) -> [Float] {
        var buffer = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        guard let tonic = key.tonic else { return buffer }
        let scale = DiatonicHarmony.scale(key.mode ?? .major)
        let melodyBase = 60 + tonic - (tonic > 6 ? 12 : 0)
        var melodyStep = 4 + Int.random(in: 0..<3, using: &generator)
        // One bar of pre-roll, so notes and drums already sound at time 0.
        let firstBeat = -4
        let lastBeat = Int((seconds - firstBeatSeconds) / beatSeconds)
        var notes: [SyntheticNote] = []
        for beat in firstBeat...lastBeat {
            let time = firstBeatSeconds + Double(beat) * beatSeconds
            // Beats since the pre-roll's first bar began; beat 0 is `firstBeatInBar`.
            let position = beat - firstBeat + firstBeatInBar
            let chord = progression[(position / beatsPerChord) % progression.count]
            let root = 48 + (tonic + chord.rootOffset) % 12
            if position % beatsPerChord == 0 {
                for pitch in chord.quality.pitches(root: root) {
                    notes.append(
                        SyntheticNote(
                            midiPitch: pitch, startSeconds: time,
                            durationSeconds: 0.95 * Double(beatsPerChord) * beatSeconds,
                            amplitude: 0.2, family: harmonyFamily))
                }
            }
            if position % 2 == 0 {
                notes.append(
                    SyntheticNote(
                        midiPitch: root - 12, startSeconds: time,
                        durationSeconds: 1.8 * beatSeconds, amplitude: 0.4, family: bassFamily))
            }
            if let melodyFamily {
                let chordClasses = Set(chord.quality.intervals.map { (root + $0) % 12 })
                let subdivisions = Int.random(in: 0..<3, using: &generator) == 0 ? 2 : 1
                for part in 0..<subdivisions {
                    melodyStep = Self.nextStep(
                        after: melodyStep, scale: scale, base: melodyBase,
                        preferring: part == 0 ? chordClasses : [], using: &generator)
                    let pitch = melodyBase + 12 * (melodyStep / 7) + scale[melodyStep % 7]
                    let length = beatSeconds / Double(subdivisions)
                    notes.append(
                        SyntheticNote(
                            midiPitch: pitch, startSeconds: time + Double(part) * length,
                            durationSeconds: 0.9 * length, amplitude: 0.45, family: melodyFamily))
                }
            }
            if let drums {
                for hit in drums.hits(beatInBar: position % 4) {
                    hit.drum.add(
                        at: time + hit.offsetBeats * beatSeconds, amplitude: 0.7 * hit.amplitude,
                        sampleRate: sampleRate, into: &buffer, using: &generator)
                }
            }
        }
        for note in notes {
            NoteRenderer.add(note, sampleRate: sampleRate, into: &buffer)
        }
        return buffer
    }

    /// The melody's next scale step (0–11 above `base`): a chord tone within a fourth when
    /// `chordClasses` is not empty, else a step or skip of up to two scale degrees.
    static func nextStep(
        after step: Int, scale: [Int], base: Int, preferring chordClasses: Set<Int>,
        using generator: inout SplitMix64
    ) -> Int {
        let range = max(0, step - 3)...min(11, step + 3)
        let chordSteps = range.filter { chordClasses.contains((base + scale[$0 % 7]) % 12) }
        if let choice = chordSteps.randomElement(using: &generator) { return choice }
        let moves = [-2, -1, 1, 2]
        let next = step + moves[Int.random(in: 0..<moves.count, using: &generator)]
        return min(11, max(0, next))
    }
}
