import Foundation

/// The 13 probing tasks of the paper (MARBLE v1's constrained track, probe-spec §2.0), each read
/// from its data set's own layout (probe-spec §3).
///
/// ```swift
/// let task = try NamedTask.gtzanGenre.load(from: URL(fileURLWithPath: "/data/GTZAN"))
/// task.items(in: .test).count   // 290
/// ```
///
/// The raw value is the command-line name; ``dataSetFolderName`` is the folder under a common
/// data root and ``reportName`` the column title of the paper's Table 1.
public enum NamedTask: String, CaseIterable, Sendable {
    /// MagnaTagATune top-50 tagging (``MagnaTagATuneLoader``).
    case magnaTagATune = "mtt"
    /// GiantSteps key detection (``GiantStepsKeyLoader``).
    case giantStepsKey = "gs-key"
    /// GTZAN genre classification (``GTZANLoader``).
    case gtzanGenre = "gtzan-genre"
    /// GTZAN-Rhythm beat tracking (``GTZANLoader``).
    case gtzanRhythm = "gtzan-rhythm"
    /// Emomusic arousal and valence regression (``EmomusicLoader``).
    case emomusic = "emo"
    /// NSynth instrument family classification (``NSynthLoader``).
    case nsynthInstrument = "nsynth-instrument"
    /// NSynth pitch classification (``NSynthLoader``).
    case nsynthPitch = "nsynth-pitch"
    /// VocalSet singing-technique classification (``VocalSetLoader``).
    case vocalSetTechnique = "vocalset-technique"
    /// VocalSet singer identification (``VocalSetLoader``).
    case vocalSetSinger = "vocalset-singer"
    /// MTG-Jamendo instrument tagging (``MTGJamendoLoader``).
    case mtgInstrument = "mtg-instrument"
    /// MTG-Jamendo mood/theme tagging (``MTGJamendoLoader``).
    case mtgMoodTheme = "mtg-moodtheme"
    /// MTG-Jamendo genre tagging (``MTGJamendoLoader``).
    case mtgGenre = "mtg-genre"
    /// MTG-Jamendo top-50 tagging (``MTGJamendoLoader``).
    case mtgTop50 = "mtg-top50"

    /// Reads the task from `root`, the data set's folder as distributed (e.g. `/data/GTZAN`),
    /// with the ``TaskLoadingOptions/default`` options; see each loader for the files it reads.
    ///
    /// - Throws: ``DataSetError`` naming the file (and line) that is missing or malformed.
    public func load(from root: URL) throws -> ProbeTask {
        try load(from: root, options: .default)
    }

    /// Reads the task from `root` with `options` deciding MARBLE's quirks and the data set's
    /// variants (which of them apply depends on the task).
    ///
    /// - Throws: ``DataSetError`` naming the file (and line) that is missing or malformed.
    public func load(from root: URL, options: TaskLoadingOptions) throws -> ProbeTask {
        switch self {
        case .magnaTagATune: try MagnaTagATuneLoader.load(from: root, options: options)
        case .giantStepsKey: try GiantStepsKeyLoader.load(from: root)
        case .gtzanGenre: try GTZANLoader.loadGenre(from: root, options: options)
        case .gtzanRhythm: try GTZANLoader.loadRhythm(from: root, options: options)
        case .emomusic: try EmomusicLoader.load(from: root)
        case .nsynthInstrument: try NSynthLoader.loadInstrument(from: root)
        case .nsynthPitch:
            try NSynthLoader.loadPitch(from: root, labeling: options.nsynthPitchLabeling)
        case .vocalSetTechnique: try VocalSetLoader.load(.technique, from: root)
        case .vocalSetSinger: try VocalSetLoader.load(.singer, from: root)
        case .mtgInstrument, .mtgMoodTheme, .mtgGenre, .mtgTop50:
            try MTGJamendoLoader.load(self, from: root, options: options)
        }
    }

    /// The data set's folder under a common data root: `MTT`, `GS`, `GTZAN`, `EMO`, `NSynth`,
    /// `VocalSet` or `MTG` (tasks on one data set share it).
    public var dataSetFolderName: String {
        switch self {
        case .magnaTagATune: "MTT"
        case .giantStepsKey: "GS"
        case .gtzanGenre, .gtzanRhythm: "GTZAN"
        case .emomusic: "EMO"
        case .nsynthInstrument, .nsynthPitch: "NSynth"
        case .vocalSetTechnique, .vocalSetSinger: "VocalSet"
        case .mtgInstrument, .mtgMoodTheme, .mtgGenre, .mtgTop50: "MTG"
        }
    }

    /// The short column title of the paper's Table 1, e.g. `GTZAN Rhythm` or `NSynth-P`.
    public var reportName: String {
        switch self {
        case .magnaTagATune: "MTT"
        case .giantStepsKey: "GS"
        case .gtzanGenre: "GTZAN"
        case .gtzanRhythm: "GTZAN Rhythm"
        case .emomusic: "EMO"
        case .nsynthInstrument: "NSynth-I"
        case .nsynthPitch: "NSynth-P"
        case .vocalSetTechnique: "VocalSet-T"
        case .vocalSetSinger: "VocalSet-S"
        case .mtgInstrument: "MTG-Instrument"
        case .mtgMoodTheme: "MTG-MoodTheme"
        case .mtgGenre: "MTG-Genre"
        case .mtgTop50: "MTG-Top50"
        }
    }

    /// How the task is scored (probe-spec §2.0, §2.1).
    public var metric: TaskMetric {
        switch self {
        case .magnaTagATune, .mtgInstrument, .mtgMoodTheme, .mtgGenre, .mtgTop50:
            .multilabelRanking
        case .giantStepsKey: .keyScore
        case .gtzanRhythm: .beatFMeasure
        case .emomusic: .r2
        case .gtzanGenre, .nsynthInstrument, .nsynthPitch, .vocalSetTechnique, .vocalSetSinger:
            .accuracy
        }
    }

    /// MARBLE's learning-rate patience, early-stopping patience and epoch limit for the task
    /// (probe-spec §1.5, `benchmark/tasks/*/*_base_config.yaml`).
    public var schedule: ProbeSchedule {
        switch self {
        case .gtzanGenre, .gtzanRhythm:
            ProbeSchedule(learningRatePatience: 6, earlyStoppingPatience: 20, maximumEpochs: 100)
        case .magnaTagATune, .mtgInstrument, .mtgMoodTheme, .mtgGenre, .mtgTop50:
            ProbeSchedule(learningRatePatience: 3, earlyStoppingPatience: 10, maximumEpochs: 100)
        case .giantStepsKey, .emomusic, .vocalSetSinger:
            .standard
        case .nsynthInstrument, .nsynthPitch:
            ProbeSchedule(learningRatePatience: 3, earlyStoppingPatience: 10, maximumEpochs: 50)
        case .vocalSetTechnique:
            ProbeSchedule(learningRatePatience: 5, earlyStoppingPatience: 10, maximumEpochs: 100)
        }
    }

    /// MARBLE's feature window for the Music2vec and MusicHuBERT configurations: 30 s.
    public var windowSeconds: Double { 30 }

    /// A task named `self` with this task's metric, schedule and window.
    func task(kind: TaskKind, items: [TaskItem]) -> ProbeTask {
        ProbeTask(
            name: rawValue, kind: kind, metric: metric,
            items: items.sorted { $0.id < $1.id }, schedule: schedule,
            windowSeconds: windowSeconds)
    }
}
