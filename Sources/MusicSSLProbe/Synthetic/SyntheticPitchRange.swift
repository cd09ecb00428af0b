import Foundation

/// The pitches of the synthetic `pitch` task: MIDI 36 (C2, 65 Hz) to 84 (C6, 1047 Hz), four
/// octaves and 49 classes.
public enum SyntheticPitchRange {
    /// The labelled MIDI pitches, ascending.
    public static let midiPitches = Array(36...84)

    /// The label of a MIDI pitch: three digits, zero-padded (`036`), so names sort by pitch.
    public static func label(of midiPitch: Int) -> String {
        let digits = String(midiPitch)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The frequency in Hz of a (possibly fractional) MIDI pitch, A4 = 69 = 440 Hz.
    public static func frequency(of midiPitch: Double) -> Double {
        440 * pow(2, (midiPitch - 69) / 12)
    }
}
