import Foundation
import MusicSSLCore

extension TaskFixtureTree {
    /// The GiantSteps repository folders, with the commit suffixes of MARBLE's download.
    static let giantStepsKeyFolder =
        "giantsteps-key-dataset-c8cb8aad2cb53f165be51ea099d0dc75c64a844f"
    static let giantStepsMTGKeyFolder =
        "giantsteps-mtg-key-dataset-fd7b8c584f7bd6d720d170c325a6d42c9bf75a6b"

    /// GiantSteps: 44.1-kHz MP3 previews under `audio/`. Train pool (artists hashed with SHA-1,
    /// see `ArtistHashSplit`): 1001 Delta "D# minor" 61 s (clips 0 and 1, the last second
    /// dropped), 1002 Echo "C major" 31 s, 1003 Golf with C = 1 and 1004 India "A minor / C
    /// major" (both filtered out, no audio). Valid: 1005 Bravo (hashes valid) "G major", 1006
    /// "Foxtrot, Bravo" "F# minor" and 1007 Foxtrot "A major" — Foxtrot hashes train but is
    /// Bravo's co-artist. Test: 2001 "C minor" and 2002 "Eb major", 31 s each.
    static func writeGiantSteps(to root: URL) throws {
        let mtgKey = root.appendingPathComponent("\(giantStepsMTGKeyFolder)/annotations")
        let songs: [(id: Int, artist: String, key: String, confidence: Int, seconds: Double?)] = [
            (1001, "Delta", "D# minor", 2, 61), (1002, "Echo", "C major", 2, 31),
            (1003, "Golf", "E minor", 1, nil), (1004, "India", "A minor / C major", 2, nil),
            (1005, "Bravo", "G major", 2, 31), (1006, "Foxtrot, Bravo", "F# minor", 2, 31),
            (1007, "Foxtrot", "A major", 2, 31),
        ]
        var metadata = ["ID\tARTIST\tSONG TITLE\tMIX\tLABEL\tBP GENRE\tBP BPM\tBP KEY"]
        var annotations = ["ID\tMANUAL KEY\tC\tGLOBAL KEY"]
        for song in songs {
            metadata.append(
                "\(song.id)\t\(song.artist)\tTrack \(song.id)\tOriginal Mix\tLabel\tTech House\t124\tC maj"
            )
            annotations.append("\(song.id)\t\(song.key)\t\(song.confidence)\t\(song.key)")
            if let seconds = song.seconds {
                try FixtureAudio.write(
                    root.appendingPathComponent("audio/\(song.id).LOFI.mp3"), seconds: seconds,
                    sampleRate: 44_100, format: .mp3)
            }
        }
        try FixtureAudio.writeText(
            metadata.joined(separator: "\n") + "\n",
            to: mtgKey.appendingPathComponent("beatport_metadata.txt"))
        try FixtureAudio.writeText(
            annotations.joined(separator: "\n") + "\n",
            to: mtgKey.appendingPathComponent("annotations.txt"))
        let keyFolder = root.appendingPathComponent("\(giantStepsKeyFolder)/annotations/key")
        for (id, key) in [(2001, "C minor"), (2002, "Eb major")] {
            try FixtureAudio.writeText(key, to: keyFolder.appendingPathComponent("\(id).LOFI.key"))
            try FixtureAudio.write(
                root.appendingPathComponent("audio/\(id).LOFI.mp3"), seconds: 31,
                sampleRate: 44_100,
                format: .mp3)
        }
    }

    /// Emomusic: comma-separated `songs_info.csv` (a quoted title with a comma) and
    /// `static_annotations.csv` with stray spaces around values, 44.1-kHz, 2-s MP3s under
    /// `clips_45seconds/`. Development songs 2 (Alpha, hashes valid), 3 ("Lima!", valid),
    /// 5 (Delta, train), 7 (Echo, train) with arousal 3, 5, 4, 6 and valence 2, 4, 6, 8;
    /// evaluation (test) songs 1000 and 999 with arousal 7, 2 and valence 5, 5.
    static func writeEmomusic(to root: URL) throws {
        let songs: [(id: Int, artist: String, set: String, arousal: Double, valence: Double)] = [
            (2, "Alpha", "development", 3, 2), (3, "Lima!", "development", 5, 4),
            (5, "Delta", "development", 4, 6), (7, "Echo", "development", 6, 8),
            (1000, "Mike", "evaluation", 7, 5), (999, "Oscar", "evaluation", 2, 5),
        ]
        var info = [
            "song_id,file_name,Artist,Song title,start of the segment (min.sec),"
                + "end of the segment (min.sec),Genre,Mediaeval 2013 set"
        ]
        var annotations = ["song_id,mean_arousal,std_arousal,mean_valence,std_valence"]
        for song in songs {
            info.append(
                "\(song.id),\(song.id).mp3,\(song.artist),\"Song \(song.id), Part One\",0.30,1.15,"
                    + "Rock,\(song.set)")
            annotations.append("\(song.id),  \(song.arousal) ,0.9, \(song.valence),0.8 ")
            try FixtureAudio.write(
                root.appendingPathComponent("clips_45seconds/\(song.id).mp3"), seconds: 2,
                sampleRate: 44_100, format: .mp3)
        }
        try FixtureAudio.writeText(
            info.joined(separator: "\r\n") + "\r\n",
            to: root.appendingPathComponent("songs_info.csv"))
        try FixtureAudio.writeText(
            annotations.joined(separator: "\n") + "\n",
            to: root.appendingPathComponent("static_annotations.csv"))
    }
}
