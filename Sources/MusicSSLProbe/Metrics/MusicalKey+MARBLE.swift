extension MusicalKey {
    /// MARBLE's 24 GiantSteps key classes in class-index order: C, Db, D, Eb, E, F, Gb, G, Ab,
    /// A, Bb, B major (0–11), then the same tonics minor (12–23), flat spellings
    /// (`benchmark/tasks/GS/utils.py`).
    public static let marbleClasses: [MusicalKey] =
        [Mode.major, .minor].flatMap { mode in
            (0..<12).map { MusicalKey(validTonic: $0, mode: mode) }
        }

    /// This key's index among ``marbleClasses``; nil for the uncategorised key and mode `other`.
    public var marbleClassIndex: Int? {
        guard let tonic, let mode, mode != .other else { return nil }
        return (mode == .minor ? 12 : 0) + tonic
    }

    /// The MARBLE class `index`.
    ///
    /// - Throws: ``MetricError`` when `index` is outside `0..<24`.
    public init(marbleClassIndex index: Int) throws {
        guard MusicalKey.marbleClasses.indices.contains(index) else {
            throw MetricError(
                "key", .invalidArgument("MARBLE key class \(index) is outside 0..<24"))
        }
        self = MusicalKey.marbleClasses[index]
    }
}
