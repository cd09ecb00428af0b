import Foundation
import MusicSSLTestSupport
import Testing

@testable import MusicSSLProbe

/// madmom's own test data: the BLSTM beat activations of `tests/data/audio/sample.wav` and the
/// beats its DBN beat tracker finds in them. The files are CC BY-NC-SA, so they are read from
/// `../shared/data/madmom` next to the package (or `$MUSICSSL_MADMOM_DATA`) and never copied.
@Suite("DBN beat decoder on madmom's sample")
struct MadmomSampleTests {
    /// The data folder, when present.
    static var dataFolder: URL? {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            ProcessInfo.processInfo.environment["MUSICSSL_MADMOM_DATA"].map {
                URL(fileURLWithPath: $0)
            },
            packageRoot.appendingPathComponent("../shared/data/madmom").standardized,
        ]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(
                atPath: $0.appendingPathComponent("activations/sample.beats_blstm.npz").path)
        }
    }

    @Test("sample.beats_blstm.npz decodes to madmom's sample.dbn_beat_tracker.txt")
    func sampleActivations() throws {
        guard let folder = Self.dataFolder else {
            print(
                "[madmom sample] skipped: ../shared/data/madmom (or $MUSICSSL_MADMOM_DATA) "
                    + "holds no activations/sample.beats_blstm.npz")
            return
        }
        let directory = try TemporaryDirectory()
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = [
            "-q", folder.appendingPathComponent("activations/sample.beats_blstm.npz").path, "-d",
            directory.url.path,
        ]
        try unzip.run()
        unzip.waitUntilExit()
        try #require(unzip.terminationStatus == 0, "unzip failed")
        let activations = try NumPyArray(contentsOf: directory.file("activations.npy"))
        try #require(activations.dtype == .float32 && activations.shape.count == 1)
        let fps = try NumPyArray(contentsOf: directory.file("fps.npy")).int64Values()
        try #require(fps == [100])

        let text = try String(
            contentsOf: folder.appendingPathComponent("detections/sample.dbn_beat_tracker.txt"),
            encoding: .utf8)
        let expected = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }

        let decoder = try DBNBeatDecoder(.init(framesPerSecond: Double(fps[0])))
        let beats = try decoder.beats(in: activations.tensor().scalars)
        #expect(beats.count == expected.count)
        for (beat, reference) in zip(beats, expected) {
            #expect(abs(beat - reference) < 1e-9, "\(beats) vs \(expected)")
        }
        print("[madmom sample] \(activations.shape[0]) frames → \(beats)")
    }
}
