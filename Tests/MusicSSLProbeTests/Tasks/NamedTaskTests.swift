import Foundation
import MusicSSLCore
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// The 13 named tasks: names, metrics and schedules, and that every fixture tree loads into a
/// task end-to-end probing can run on.
@Suite("Named tasks")
struct NamedTaskTests {
    @Test("command-line names, data-set folders and report columns follow the paper")
    func names() {
        #expect(
            NamedTask.allCases.map(\.rawValue) == [
                "mtt", "gs-key", "gtzan-genre", "gtzan-rhythm", "emo", "nsynth-instrument",
                "nsynth-pitch", "vocalset-technique", "vocalset-singer", "mtg-instrument",
                "mtg-moodtheme", "mtg-genre", "mtg-top50",
            ])
        #expect(
            NamedTask.allCases.map(\.reportName) == [
                "MTT", "GS", "GTZAN", "GTZAN Rhythm", "EMO", "NSynth-I", "NSynth-P", "VocalSet-T",
                "VocalSet-S", "MTG-Instrument", "MTG-MoodTheme", "MTG-Genre", "MTG-Top50",
            ])
        #expect(
            Set(NamedTask.allCases.map(\.dataSetFolderName)) == [
                "MTT", "GS", "GTZAN", "EMO", "NSynth", "VocalSet", "MTG",
            ])
        #expect(NamedTask.gtzanRhythm.dataSetFolderName == "GTZAN")
        #expect(NamedTask.mtgTop50.dataSetFolderName == "MTG")
    }

    @Test("metrics and schedules are MARBLE's per-task settings")
    func schedules() {
        #expect(
            NamedTask.gtzanGenre.schedule
                == ProbeSchedule(
                    learningRatePatience: 6, earlyStoppingPatience: 20, maximumEpochs: 100))
        #expect(NamedTask.mtgGenre.schedule.learningRatePatience == 3)
        #expect(NamedTask.nsynthPitch.schedule.maximumEpochs == 50)
        #expect(NamedTask.vocalSetTechnique.schedule.earlyStoppingPatience == 10)
        #expect(NamedTask.emomusic.schedule == .standard)
        #expect(NamedTask.giantStepsKey.metric == .keyScore)
        #expect(NamedTask.gtzanRhythm.metric == .beatFMeasure)
        #expect(NamedTask.emomusic.metric == .r2)
        #expect(NamedTask.magnaTagATune.metric == .multilabelRanking)
        #expect(NamedTask.vocalSetSinger.metric == .accuracy)
    }

    @Test(
        "every fixture tree loads with two or more items per split", arguments: NamedTask.allCases)
    func fixtureTreeLoads(task: NamedTask) throws {
        let directory = try TemporaryDirectory()
        let root = directory.file(task.dataSetFolderName)
        try TaskFixtureTree.write(task, to: root)
        let loaded = try task.load(from: root)
        #expect(loaded.name == task.rawValue)
        #expect(loaded.metric == task.metric)
        #expect(loaded.schedule == task.schedule)
        #expect(loaded.windowSeconds == 30)
        for split in DataSplit.allCases {
            #expect(loaded.items(in: split).count >= 2, "\(split)")
        }
        #expect(loaded.items.map(\.id) == loaded.items.map(\.id).sorted())
        #expect(Set(loaded.items.map(\.id)).count == loaded.items.count)
        for item in loaded.items {
            #expect(!item.id.contains(".."))
            #expect(!item.id.hasPrefix("/"))
            #expect(FileManager.default.fileExists(atPath: item.url.path))
        }
        if case .singleLabel(let classes) = loaded.kind {
            let trainClasses = Set(
                loaded.items(in: .train).compactMap { item -> Int? in
                    if case .classIndex(let index) = item.label { return index }
                    return nil
                })
            #expect(trainClasses.count >= 2)
            #expect(trainClasses.allSatisfy(classes.indices.contains))
        }
    }

    @Test("fixture MP3s decode with libsndfile at the data set's rate")
    func fixtureAudioDecodes() throws {
        let directory = try TemporaryDirectory()
        try TaskFixtureTree.write(.magnaTagATune, to: directory.url)
        let task = try NamedTask.magnaTagATune.load(from: directory.url)
        let info = try AudioDecoder.info(of: task.items[0].url)
        #expect(info.sampleRate == 16_000)
        #expect(abs(info.durationSeconds - 1.5) < 0.1)
    }
}
