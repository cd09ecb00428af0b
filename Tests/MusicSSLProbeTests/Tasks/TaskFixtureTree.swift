import Foundation
import MusicSSLCore
import MusicSSLProbe

/// Tiny look-alikes of the 13 tasks' data sets (probe-spec §3 "Tiny fixture shapes"): the real
/// folder layout, metadata files with the real names, headers, quoting and quirks, and a few
/// seconds of sine at each data set's real sample rate (MP3 where the data set ships MP3;
/// libsndfile 1.2 writes MPEG Layer III through LAME).
///
/// Every tree gives each split at least two items and, for classification, at least two
/// classes in train, so end-to-end probing tests can run on it. Tasks on one data set share its
/// tree (``write(_:to:)`` for `.gtzanGenre` also serves `.gtzanRhythm`). The per-data-set
/// writers document the items they produce; the loader tests check them.
enum TaskFixtureTree {
    /// Writes the fixture tree of `task`'s data set into `root` (the data set's folder, e.g.
    /// `<tmp>/GTZAN`), which is created if needed.
    static func write(_ task: NamedTask, to root: URL) throws {
        switch task {
        case .gtzanGenre, .gtzanRhythm: try writeGTZAN(to: root)
        case .magnaTagATune: try writeMagnaTagATune(to: root)
        case .giantStepsKey: try writeGiantSteps(to: root)
        case .emomusic: try writeEmomusic(to: root)
        case .nsynthInstrument, .nsynthPitch: try writeNSynth(to: root)
        case .vocalSetTechnique, .vocalSetSinger: try writeVocalSet(to: root)
        case .mtgInstrument, .mtgMoodTheme, .mtgGenre, .mtgTop50:
            try writeMTGJamendo(to: root)
        }
    }

    /// GTZAN: 22,050-Hz, 1.5-s WAVs. Train blues.00000, classical.00000 and jazz.00054 (quirk
    /// Q12 drops it by default); valid blues.00001, classical.00001; test blues.00002,
    /// disco.00002. Every file has a JAMS with a `downbeat` annotation listed before the `beat`
    /// one; beats at 0.25, 0.75, 1.25 s (blues.00000's listed out of order: 0.75, 0.25, 1.25).
    static func writeGTZAN(to root: URL) throws {
        let lists: [(String, [String])] = [
            (
                "train",
                ["blues/blues.00000.wav", "classical/classical.00000.wav", "jazz/jazz.00054.wav"]
            ),
            ("valid", ["blues/blues.00001.wav", "classical/classical.00001.wav"]),
            ("test", ["blues/blues.00002.wav", "disco/disco.00002.wav"]),
        ]
        for (split, paths) in lists {
            try FixtureAudio.writeText(
                paths.joined(separator: "\n") + "\n",
                to: root.appendingPathComponent("\(split)_filtered.txt"))
            for path in paths {
                try FixtureAudio.write(
                    root.appendingPathComponent("genres/\(path)"), seconds: 1.5, sampleRate: 22_050)
                let name = String(path.split(separator: "/")[1])
                let beats = name == "blues.00000.wav" ? [0.75, 0.25, 1.25] : [0.25, 0.75, 1.25]
                try FixtureAudio.writeText(
                    jams(beats: beats),
                    to: root.appendingPathComponent(
                        "GTZAN-Rhythm_v2_ismir2015_lbd/jams/\(name).jams"))
            }
        }
    }

    /// A GTZAN-Rhythm v2 style JAMS document: a downbeat annotation, then the beat one.
    static func jams(beats: [Double]) -> String {
        func observations(_ times: [Double]) -> String {
            times.map { #"{"time": \#($0), "duration": 0.0, "value": 1, "confidence": null}"# }
                .joined(separator: ", ")
        }
        return #"""
            {"annotations": [
              {"namespace": "beat", "sandbox": {"annotation_type": "downbeat"},
               "data": [\#(observations([beats[0]]))]},
              {"namespace": "beat", "sandbox": {"annotation_type": "beat"},
               "data": [\#(observations(beats))]}
            ], "file_metadata": {"duration": 1.5, "title": "fixture"}, "sandbox": {}}
            """#
    }

    /// MagnaTagATune: a quoted tab-separated `annotations_final.csv` with three tags
    /// (`guitar` 5 rows, `classical` 3, `slow` 1) and 16-kHz, 1.5-s MP3s under `mp3/`. Train
    /// clips 2 (`0/`: guitar, slow) and 6 (`0/`: classical), plus the corrupt clip 35644 (`1/`,
    /// guitar; dropped by default); valid 10 (`c/`: guitar, classical) and 11 (`c/`: guitar);
    /// test 12 (`d/`: classical) and 13 (`f/`: guitar).
    static func writeMagnaTagATune(to root: URL) throws {
        let rows: [(String, [Int], String)] = [
            (
                "2", [1, 0, 1],
                "0/american_bach_soloists-j_s__bach_solo_cantatas-01-bwv54__i_aria-30-59.mp3"
            ),
            (
                "6", [0, 1, 0],
                "0/american_bach_soloists-j_s__bach_solo_cantatas-01-bwv54__i_aria-146-175.mp3"
            ),
            ("35644", [1, 0, 0], "1/broken-clip-30-59.mp3"),
            ("10", [1, 1, 0], "c/jacob_heringman-black_cow-12-la_spagna-0-29.mp3"),
            ("11", [1, 0, 0], "c/jacob_heringman-black_cow-12-la_spagna-30-59.mp3"),
            ("12", [0, 1, 0], "d/strojovna_07-dirnix-06-bleak_nature-117-146.mp3"),
            ("13", [1, 0, 0], "f/tilopa-out_of_the_blue-09-sho-88-117.mp3"),
        ]
        let quote = { (field: String) in "\"\(field)\"" }
        var lines = [["clip_id", "guitar", "classical", "slow", "mp3_path"].map(quote)]
        for (clip, tags, path) in rows {
            lines.append(([clip] + tags.map(String.init) + [path]).map(quote))
            try FixtureAudio.write(
                root.appendingPathComponent("mp3/\(path)"), seconds: 1.5, sampleRate: 16_000,
                format: .mp3)
        }
        try FixtureAudio.writeText(
            lines.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n",
            to: root.appendingPathComponent("annotations_final.csv"))
    }

    /// NSynth: `nsynth-data/nsynth-{train,valid,test}/examples.json` and 16-kHz, 1-s WAVs.
    /// Train guitar 66 and bass 50 (+ organ 60), valid brass 72 and guitar 66, test flute 84 and
    /// bass 50.
    static func writeNSynth(to root: URL) throws {
        let notes: [(String, [String])] = [
            (
                "train",
                [
                    "guitar_acoustic_010-066-100", "bass_synthetic_033-050-127",
                    "organ_electronic_001-060-075",
                ]
            ),
            ("valid", ["brass_acoustic_006-072-050", "guitar_electronic_022-066-025"]),
            ("test", ["flute_synthetic_000-084-100", "bass_electronic_018-050-127"]),
        ]
        let families = NSynthLoader.instrumentFamilies
        for (split, names) in notes {
            let folder = root.appendingPathComponent("nsynth-data/nsynth-\(split)")
            var entries: [String] = []
            for (index, name) in names.enumerated() {
                let parts = name.split(separator: "_")
                let family = parts[0] == "synth" ? "synth_lead" : String(parts[0])
                let source = String(parts[1])
                let numbers = name.split(separator: "-")
                let pitch = Int(numbers[1]) ?? 0
                let velocity = Int(numbers[2]) ?? 0
                let familyIndex = families.firstIndex(of: family) ?? 0
                let sourceIndex =
                    ["acoustic", "electronic", "synthetic"].firstIndex(of: source) ?? 0
                entries.append(
                    #""\#(name)": {"note": \#(100 + index), "note_str": "\#(name)", "pitch": \#(pitch), "velocity": \#(velocity), "sample_rate": 16000, "instrument": \#(index), "instrument_str": "\#(name.split(separator: "-")[0])", "instrument_source": \#(sourceIndex), "instrument_source_str": "\#(source)", "instrument_family": \#(familyIndex), "instrument_family_str": "\#(family)", "qualities": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "qualities_str": []}"#
                )
                try FixtureAudio.write(
                    folder.appendingPathComponent("audio/\(name).wav"), seconds: 1,
                    sampleRate: 16_000)
            }
            try FixtureAudio.writeText(
                "{" + entries.joined(separator: ", ") + "}",
                to: folder.appendingPathComponent("examples.json"))
        }
    }
}
