/// One note of a synthetic clip: what sounds, when and how loud.
struct SyntheticNote: Sendable {
    /// MIDI pitch of the fundamental (equal temperament, A4 = 69 = 440 Hz).
    var midiPitch: Int
    /// Onset in seconds from the clip's start; may be negative for a note already sounding.
    var startSeconds: Double
    /// How long the note is held before its release, in seconds.
    var durationSeconds: Double
    /// Peak amplitude before the clip's normalisation.
    var amplitude: Double
    /// The timbre.
    var family: InstrumentFamily
}
