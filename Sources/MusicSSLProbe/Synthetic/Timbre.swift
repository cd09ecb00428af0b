/// How a synthetic note sounds: its partials, envelope, vibrato and brightness swell. Rendered by
/// ``NoteRenderer``; each ``InstrumentFamily`` has one.
struct Timbre: Sendable {
    /// One sinusoidal component of a note.
    struct Partial: Sendable {
        /// Frequency as a multiple of the fundamental (1, 2, 3 … for harmonic timbres).
        var ratio: Double
        /// Amplitude relative to the note's.
        var amplitude: Double
        /// Exponential decay rate in 1/s (0: sustained while the note is held).
        var decayRate: Double
    }

    /// The partials; the fundamental (ratio 1) is the loudest, so the labelled pitch is the
    /// perceived one. Partials above 0.45 × the sample rate are dropped.
    var partials: [Partial]
    /// Linear rise from silence to full amplitude, in seconds.
    var attackSeconds: Double
    /// Linear fall to silence after the note is released, in seconds.
    var releaseSeconds: Double
    /// Vibrato rate in Hz.
    var vibratoRate: Double = 0
    /// Vibrato depth as a fraction of the frequency (0.006 is about a tenth of a semitone).
    var vibratoDepth: Double = 0
    /// Brass-like brightness swell: partial k (from 0) starts at 0.4^k of its amplitude and
    /// reaches it after this many seconds; 0 for none.
    var swellSeconds: Double = 0

    /// The slowest decay rate among the partials; 0 when any partial is sustained.
    var slowestDecayRate: Double {
        partials.map(\.decayRate).min() ?? 0
    }
}
