import Foundation
import MusicSSLCore

extension TaskFixtureTree {
    /// VocalSet in MARBLE's preprocessed layout: 44.1-kHz, 3-s WAV chunks under
    /// `audio/<technique>/` and the six lists. Technique: train f1 belt ×2 and m1 breathy, valid
    /// f1 lip_trill and m1 vocal_fry, test f2 vibrato and m3 trill. Singer: train f1 (belt 00)
    /// and m1 (breathy 00), valid f1 (belt 01) and m1 (breathy 01), test f1 (lip_trill) and m1
    /// (vocal_fry).
    static func writeVocalSet(to root: URL) throws {
        let files = [
            "belt/f1_arpeggios_belt_c_a_00.wav", "belt/f1_arpeggios_belt_c_a_01.wav",
            "breathy/m1_scales_breathy_a_00.wav", "breathy/m1_scales_breathy_a_01.wav",
            "lip_trill/f1_excerpts_lip_trill_caro_00.wav", "vocal_fry/m1_scales_vocal_fry_a_00.wav",
            "vibrato/f2_long_tones_vibrato_e_00.wav", "trill/m3_arpeggios_trill_a_00.wav",
        ]
        for file in files {
            try FixtureAudio.write(
                root.appendingPathComponent("audio/\(file)"), seconds: 3, sampleRate: 44_100)
        }
        let lists: [(String, [Int])] = [
            ("train_t", [0, 1, 2]), ("valid_t", [4, 5]), ("test_t", [6, 7]),
            ("train_s", [0, 2]), ("valid_s", [1, 3]), ("test_s", [4, 5]),
        ]
        for (name, indices) in lists {
            try FixtureAudio.writeText(
                indices.map { files[$0] }.joined(separator: "\n") + "\n",
                to: root.appendingPathComponent("\(name).txt"))
        }
    }

    /// VocalSet's raw Zenodo layout `FULL/<singer>/<context>/<technique>/<file>.wav`: 44.1-kHz
    /// 6.5-s WAVs (two 3-s regions each) for singers f1, f2, m1, m3, m5 in belt, breathy and
    /// fast_forte (a technique only the singer task uses), two contexts each.
    static func writeRawVocalSet(to root: URL) throws {
        for singer in ["f1", "f2", "m1", "m3", "m5"] {
            for technique in ["belt", "breathy", "fast_forte"] {
                for context in ["arpeggios", "scales"] {
                    try FixtureAudio.write(
                        root.appendingPathComponent(
                            "FULL/\(singer)/\(context)/\(technique)/\(singer)_\(context)_\(technique)_a.wav"
                        ),
                        seconds: 6.5, sampleRate: 44_100)
                }
            }
        }
    }

    /// MTG-Jamendo split-0 files for all four subsets and 44.1-kHz, 1.5-s MP3s under
    /// `audio-low/`. Each subset: train tracks 948 and 1203, valid 3307 and 4401, test 5512 and
    /// 6620, with one to three tags each; in every subset the first train row's tags are out of
    /// name order, so first appearance (`b`, `a`, …) and sorted order differ.
    static func writeMTGJamendo(to root: URL) throws {
        let prefixes = [
            "genre": "genre---", "instrument": "instrument---", "moodtheme": "mood/theme---",
            "top50tags": "genre---",
        ]
        let tracks: [(split: String, id: Int, tags: [String])] = [
            ("train", 948, ["rock", "electronic"]), ("train", 1203, ["ambient"]),
            ("validation", 3307, ["electronic", "pop", "rock"]), ("validation", 4401, ["rock"]),
            ("test", 5512, ["ambient", "pop"]), ("test", 6620, ["jazz"]),
        ]
        let folder = root.appendingPathComponent("mtg-jamendo-dataset/data/splits/split-0")
        for (subset, prefix) in prefixes {
            for split in ["train", "validation", "test"] {
                var lines = ["TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS"]
                for track in tracks where track.split == split {
                    let directory = String(format: "%02d", track.id % 100)
                    lines.append(
                        ([
                            "track_\(String(format: "%07d", track.id))", "artist_000087",
                            "album_000149", "\(directory)/\(track.id).mp3", "212.7",
                        ]
                            + track.tags.map { prefix + $0 }).joined(separator: "\t"))
                }
                try FixtureAudio.writeText(
                    lines.joined(separator: "\n") + "\n",
                    to: folder.appendingPathComponent("autotagging_\(subset)-\(split).tsv"))
            }
        }
        for track in tracks {
            let directory = String(format: "%02d", track.id % 100)
            try FixtureAudio.write(
                root.appendingPathComponent("audio-low/\(directory)/\(track.id).low.mp3"),
                seconds: 1.5, sampleRate: 44_100, format: .mp3)
        }
    }
}
