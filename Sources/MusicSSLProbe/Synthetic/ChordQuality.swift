/// The classes of the synthetic `chord` task: triads, a suspended chord and seventh chords.
public enum ChordQuality: String, CaseIterable, Sendable {
    /// Major triad: root, major third, fifth.
    case major = "maj"
    /// Minor triad: root, minor third, fifth.
    case minor = "min"
    /// Diminished triad: root, minor third, diminished fifth.
    case diminished = "dim"
    /// Augmented triad: root, major third, augmented fifth.
    case augmented = "aug"
    /// Suspended fourth: root, fourth, fifth.
    case suspendedFourth = "sus4"
    /// Dominant seventh: major triad and minor seventh.
    case dominantSeventh = "dom7"
    /// Major seventh: major triad and major seventh.
    case majorSeventh = "maj7"
    /// Minor seventh: minor triad and minor seventh.
    case minorSeventh = "min7"

    /// Semitones above the root of each chord tone, root (0) first, ascending.
    public var intervals: [Int] {
        switch self {
        case .major: [0, 4, 7]
        case .minor: [0, 3, 7]
        case .diminished: [0, 3, 6]
        case .augmented: [0, 4, 8]
        case .suspendedFourth: [0, 5, 7]
        case .dominantSeventh: [0, 4, 7, 10]
        case .majorSeventh: [0, 4, 7, 11]
        case .minorSeventh: [0, 3, 7, 10]
        }
    }

    /// The MIDI pitches of the chord in root position on `root`.
    public func pitches(root: Int) -> [Int] {
        intervals.map { root + $0 }
    }
}
