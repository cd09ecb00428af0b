/// Choices a loader makes where MARBLE's reference behaviour is a quirk (probe-spec §1.7) or
/// where the data set offers variants. ``default`` follows MARBLE wherever the quirk changes which
/// items or labels a task has; each property says its default and why.
public struct TaskLoadingOptions: Sendable, Equatable {
    /// How many MagnaTagATune tags the task keeps, the most frequent over **all** rows of
    /// `annotations_final.csv` (quirk Q7, the community-standard list). Default 50.
    public var magnaTagATuneTagCount: Int
    /// Whether the three MagnaTagATune clips with corrupt MP3s (clip ids 35644, 55753, 57881)
    /// are left out, as jukemir's split sizes (18,706 / 1,825 / 5,329) do. Default true: MARBLE
    /// keeps their rows, but its feature extraction skips the files and its probe then fails.
    public var excludesCorruptMagnaTagATuneClips: Bool
    /// Whether `jazz/jazz.00054.wav` is removed from GTZAN's training list (quirk Q12; corrupt in
    /// the Kaggle copy; MARBLE's `download_gtzan.sh` deletes it, 443 → 442). Default true.
    public var excludesGTZANJazz00054: Bool
    /// NSynth pitch class indices (quirk Q5). Default ``NSynthPitchLabeling/midiNoteNumber``.
    public var nsynthPitchLabeling: NSynthPitchLabeling
    /// MTG-Jamendo tag order (quirk Q6). Default ``MTGClassOrder/firstAppearance`` (MARBLE).
    public var mtgClassOrder: MTGClassOrder
    /// Which of MTG-Jamendo's `data/splits/split-<n>` folders to read. Default 0 (MARBLE).
    public var mtgSplitNumber: Int

    /// Creates options; every argument defaults to the value documented on its property.
    public init(
        magnaTagATuneTagCount: Int = 50, excludesCorruptMagnaTagATuneClips: Bool = true,
        excludesGTZANJazz00054: Bool = true,
        nsynthPitchLabeling: NSynthPitchLabeling = .midiNoteNumber,
        mtgClassOrder: MTGClassOrder = .firstAppearance, mtgSplitNumber: Int = 0
    ) {
        self.magnaTagATuneTagCount = magnaTagATuneTagCount
        self.excludesCorruptMagnaTagATuneClips = excludesCorruptMagnaTagATuneClips
        self.excludesGTZANJazz00054 = excludesGTZANJazz00054
        self.nsynthPitchLabeling = nsynthPitchLabeling
        self.mtgClassOrder = mtgClassOrder
        self.mtgSplitNumber = mtgSplitNumber
    }

    /// The documented defaults.
    public static let `default` = TaskLoadingOptions()
}
