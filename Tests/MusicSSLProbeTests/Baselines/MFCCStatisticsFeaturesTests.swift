import Foundation
import MusicSSLCore
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// The MFCC-statistics baseline: what each window's values are, how items are windowed, the
/// training-split standardisation, frames for beat tracking, and undecodable items left out.
@Suite("MFCC statistics baseline")
struct MFCCStatisticsFeaturesTests {
    /// A chirp with a little noise, so every coefficient varies over time.
    static func waveform(seconds: Double) -> [Float] {
        var generator = SplitMix64(seed: 3)
        let noise = Tensor.randomNormal([Int(seconds * 16_000)], standardDeviation: 0.01, using: &generator).scalars
        return noise.indices.map { index in
            let time = Double(index) / 16_000
            return Float(0.3 * sin(2 * .pi * (200 + 150 * time) * time)) + noise[index]
        }
    }

    @Test("each window holds the MFCC's per-coefficient mean, then its standard deviation")
    func statistics() throws {
        let baseline = try MFCCStatisticsFeatures()
        let samples = Self.waveform(seconds: 2.5)
        // 1-s windows: 1 s, 1 s, and 0.5 s (under the 1-s minimum, dropped).
        let features = try baseline.features(of: samples, windowSeconds: 1, pooled: true)
        #expect(features.shape == [1, 2, 78])
        let mfcc = try KaldiMFCC(.kaldi39)
        for window in 0..<2 {
            let frames = try mfcc(Array(samples[(window * 16_000)..<((window + 1) * 16_000)]), sampleRate: 16_000)
            let count = frames.shape[0]
            let values = frames.scalars
            let row = Array(features.scalars[(window * 78)..<((window + 1) * 78)])
            for d in [0, 5, 12, 20, 38] {
                let column = (0..<count).map { Double(values[$0 * 39 + d]) }
                let mean = column.reduce(0, +) / Double(count)
                let deviation = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)).squareRoot()
                #expect(abs(Double(row[d]) - mean) <= 1e-4 * max(1, abs(mean)), "window \(window) mean \(d)")
                #expect(abs(Double(row[39 + d]) - deviation) <= 1e-3 * max(1, deviation), "window \(window) sd \(d)")
            }
        }
        let frames = try baseline.features(of: samples, windowSeconds: 1, pooled: false)
        #expect(frames.shape == [1, 1 + (40_000 - 400) / 160, 39])
    }

    @Test("a task's features are standardised on the training split; undecodable items are left out")
    func featureSet() throws {
        let directory = try TemporaryDirectory()
        let manifest = try TaskFixtureTree.writeCSV(.label, to: directory.file("task"))
        // One item's audio replaced by bytes that are no audio file.
        try Data("not audio".utf8).write(to: directory.file("task/audio/c.wav"))
        let task = try CSVTask.load(manifest: manifest, name: "mine")
        let baseline = try MFCCStatisticsFeatures()
        var events = 0
        let (features, failed) = try baseline.featureSet(for: task) { _ in events += 1 }
        #expect(events == 6)
        #expect(failed.map(\.id) == ["audio/c.wav"])
        #expect(features.task.items.count == 5)
        #expect(features.hiddenStateCount == 1 && features.dimensions == 78)
        let train = features.train.rows.scalars
        for d in [0, 40, 77] {
            let column = stride(from: d, to: train.count, by: 78).map { Double(train[$0]) }
            #expect(abs(column.reduce(0, +) / Double(column.count)) < 1e-4)
        }
        #expect(LayerSelection.marbleSweep(hiddenStateCount: 1) == [.single(0)])
        // The identity names the items: another item list is another identity.
        var fewer = task
        fewer.items.removeLast()
        let (other, _) = try baseline.featureSet(for: fewer)
        #expect(baseline.identity(of: features) != baseline.identity(of: other))
    }

    @Test("beat tracking gets 100-Hz frames")
    func beatFrames() throws {
        let directory = try TemporaryDirectory()
        let manifest = try TaskFixtureTree.writeCSV(.beatTimes, to: directory.file("beats"))
        let task = try CSVTask.load(manifest: manifest, name: "beats")
        let (features, failed) = try MFCCStatisticsFeatures().featureSet(for: task)
        #expect(failed.isEmpty)
        #expect(features.framesPerSecond == 100)
        #expect(features.dimensions == 39)
        #expect(features.train.rowCount == 2 * (1 + (16_000 - 400) / 160))
    }
}
