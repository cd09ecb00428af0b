/// Scales and chord progressions of a major or minor key, for the clips that carry a key.
enum DiatonicHarmony {
    /// A chord of a progression: its root in semitones above the tonic and its quality.
    struct Degree: Sendable, Equatable {
        /// Semitones above the tonic, 0..<12.
        var rootOffset: Int
        /// The chord's quality.
        var quality: ChordQuality
    }

    /// The scale in semitones above the tonic: major, or harmonic minor (the raised seventh is
    /// the leading tone of the minor progressions' V).
    static func scale(_ mode: MusicalKey.Mode) -> [Int] {
        mode == .minor ? [0, 2, 3, 5, 7, 8, 11] : [0, 2, 4, 5, 7, 9, 11]
    }

    /// Common progressions that start on the tonic and cadence to it: I–IV–V–I, I–vi–IV–V,
    /// I–V–vi–IV, I–ii–V–I in major; i–iv–V–i, i–VI–iv–V, i–VI–III–V, i–iv–i–V in minor.
    static func progressions(_ mode: MusicalKey.Mode) -> [[Degree]] {
        let major = { (offset: Int) in Degree(rootOffset: offset, quality: .major) }
        let minor = { (offset: Int) in Degree(rootOffset: offset, quality: .minor) }
        if mode == .minor {
            return [
                [minor(0), minor(5), major(7), minor(0)],
                [minor(0), major(8), minor(5), major(7)],
                [minor(0), major(8), major(3), major(7)],
                [minor(0), minor(5), minor(0), major(7)],
            ]
        }
        return [
            [major(0), major(5), major(7), major(0)],
            [major(0), minor(9), major(5), major(7)],
            [major(0), major(7), minor(9), major(5)],
            [major(0), minor(2), major(7), major(0)],
        ]
    }
}
