/// The labelled task families of the synthetic suite, mirroring MARBLE's: each is written as one
/// ``CSVTask`` manifest under `tasks/<rawValue>/`.
public enum SyntheticTaskKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    /// One note of a random family; label: the MIDI pitch, three digits (`036` … `084`).
    case pitch
    /// A phrase of three notes of one family; label: the ``InstrumentFamily`` raw value.
    case instrument
    /// A diatonic chord progression with bass and melody; `key` column (`Db major`, `A minor`).
    case key
    /// Drums, bass and chords at 60–180 bpm; `beat_times` column: every beat inside the clip.
    case beat
    /// As `beat`; label: the ``TempoBin`` name (`060-079` … `160-180`).
    case tempo
    /// One chord of a random family and root; label: the ``ChordQuality`` raw value.
    case chord

    /// The default clip length: 3 s for single notes and chords, 8 s where a tempo or key must
    /// show over several beats or chords.
    public var defaultClipSeconds: Double {
        switch self {
        case .pitch, .instrument, .chord: 3
        case .key, .beat, .tempo: 8
        }
    }

    /// The manifest column holding the annotation, which makes ``CSVTask`` infer the target.
    public var annotationColumn: String {
        switch self {
        case .pitch, .instrument, .tempo, .chord: "label"
        case .key: "key"
        case .beat: "beat_times"
        }
    }

    /// The class names items cycle through, in cycling order; empty for `beat`, which has none.
    public var classes: [String] {
        switch self {
        case .pitch: SyntheticPitchRange.midiPitches.map(SyntheticPitchRange.label(of:))
        case .instrument: InstrumentFamily.allCases.map(\.rawValue)
        case .key: MusicalKey.marbleClasses.map(\.description)
        case .beat: []
        case .tempo: TempoBin.allCases.map(\.name)
        case .chord: ChordQuality.allCases.map(\.rawValue)
        }
    }
}
