/// How NSynth pitch labels map MIDI note numbers to class indices (probe-spec §2.3, quirk Q5).
public enum NSynthPitchLabeling: String, Sendable, Equatable, CaseIterable {
    /// Class index = MIDI note number, so class `n` is named `"n"`. The default: accuracy is the
    /// same as MARBLE's because NSynth's pitches are 9–120 and the map is a shift.
    case midiNoteNumber
    /// MARBLE's `pitch − 1` (`tasks/NSynth/NSynthP_dataset.py`): class `n` is MIDI `n + 1`, and
    /// MIDI 0 has no class (such an item is refused).
    case marbleMinusOne
}
