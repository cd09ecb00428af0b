import Foundation
import MusicSSLCore
import MusicSSLProbe
import MusicSSLTestSupport
import Testing

/// The synthetic labels checked on the rendered audio: pitch by harmonic sum, key by chroma,
/// beats by onset strength; chord spellings and tempo bins from their tables.
@Suite("synthetic labels")
struct SyntheticLabelTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Writes a one-task suite without corpus and loads its manifest.
    func task(
        _ kind: SyntheticTaskKind, trainItems: Int, seconds: Double, sampleRate: Int = 16_000
    ) throws -> ProbeTask {
        let configuration = SyntheticSuite.Configuration(
            seed: 11, sampleRate: sampleRate, tasks: [kind], trainItems: trainItems,
            validItems: 1, testItems: 1, clipSeconds: [kind: seconds], corpusFiles: 0)
        let summary = try SyntheticSuite(configuration: configuration).write(to: directory.url)
        return try CSVTask.load(manifest: summary.tasks[0].manifest, name: kind.rawValue)
    }

    func className(_ item: TaskItem, in task: ProbeTask) throws -> String {
        guard case .singleLabel(let classes) = task.kind, case .classIndex(let index) = item.label
        else { throw SyntheticSuiteError.invalidConfiguration("not a single-label item") }
        return classes[index]
    }

    @Test("the harmonic-sum fundamental of every pitch item is its labelled MIDI pitch")
    func pitch() throws {
        let task = try task(.pitch, trainItems: 49, seconds: 2)
        #expect(task.items(in: .train).count == 49)
        for item in task.items {
            let clip = try AudioDecoder.read(item.url)
            let start = Int(0.35 * Double(clip.sampleRate))
            let estimated = try SyntheticAudioAnalysis.fundamental(
                of: clip.samples, from: start, sampleRate: clip.sampleRate, candidates: 30...90)
            #expect(
                SyntheticPitchRange.label(of: estimated) == (try className(item, in: task)),
                "\(item.id)")
        }
    }

    @Test("the chroma of most key clips correlates best with the labelled key's profile")
    func key() throws {
        let task = try task(.key, trainItems: 24, seconds: 8, sampleRate: 8_000)
        let items = task.items(in: .train)
        var correct = 0
        for item in items {
            let clip = try AudioDecoder.read(item.url)
            let estimated = SyntheticAudioAnalysis.estimatedKey(
                chroma: try SyntheticAudioAnalysis.chroma(
                    of: clip.samples, sampleRate: clip.sampleRate))
            if estimated.description == (try className(item, in: task)) { correct += 1 }
        }
        #expect(Set(items.map { "\($0.label)" }).count == 24)
        #expect(correct >= 18, "\(correct) of 24 keys found by Krumhansl–Kessler")
    }

    @Test("beat times are every beat in the clip, evenly spaced at 60–180 bpm, on onsets")
    func beats() throws {
        let seconds = 6.0
        let task = try task(.beat, trainItems: 8, seconds: seconds)
        for item in task.items {
            guard case .beats(let times) = item.label, times.count >= 2 else {
                Issue.record("\(item.id): expected at least two beats")
                continue
            }
            let spacing = (times.last! - times.first!) / Double(times.count - 1)
            #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - spacing) < 1e-5 })
            #expect(TempoBin.tempoRange.contains(60 / spacing), "\(item.id): \(60 / spacing) bpm")
            #expect(times.first! >= 0 && times.first! < spacing + 1e-6)
            #expect(times.last! < seconds && times.last! + spacing >= seconds - 1e-6)
            let clip = try AudioDecoder.read(item.url)
            let onsets = SyntheticAudioAnalysis.onsetStrength(
                of: clip.samples, sampleRate: clip.sampleRate)
            let peak = { (time: Double) -> Double? in
                let frame = Int((time * 100).rounded())
                guard frame >= 2, frame + 2 < onsets.count else { return nil }
                return onsets[(frame - 2)...(frame + 2)].max()
            }
            let onBeats = times.compactMap(peak)
            let offBeats = times.compactMap { peak($0 + spacing / 4) }
            let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(1, values.count)) }
            #expect(
                mean(onBeats) > 2 * mean(offBeats),
                "\(item.id): onset strength \(mean(onBeats)) on beats, \(mean(offBeats)) between")
        }
    }

    @Test("chord qualities are spelled with their intervals above the root")
    func chordSpelling() {
        let expected: [ChordQuality: [Int]] = [
            .major: [0, 4, 7], .minor: [0, 3, 7], .diminished: [0, 3, 6], .augmented: [0, 4, 8],
            .suspendedFourth: [0, 5, 7], .dominantSeventh: [0, 4, 7, 10],
            .majorSeventh: [0, 4, 7, 11], .minorSeventh: [0, 3, 7, 10],
        ]
        for quality in ChordQuality.allCases {
            #expect(quality.intervals == expected[quality], "\(quality)")
        }
        #expect(ChordQuality.dominantSeventh.pitches(root: 62) == [62, 66, 69, 72])
        #expect(Set(ChordQuality.allCases.map(\.intervals)).count == ChordQuality.allCases.count)
    }

    @Test("tempo bins cover 60–180 bpm without gaps and name their bounds")
    func tempoBins() {
        let bins = TempoBin.allCases
        #expect(bins.count >= 5)
        #expect(bins.first!.range.lowerBound == 60 && bins.last!.range.upperBound == 180)
        #expect(
            zip(bins, bins.dropFirst()).allSatisfy { $0.range.upperBound == $1.range.lowerBound })
        #expect(bins.map(\.name).first == "060-079" && bins.map(\.name).last == "160-180")
        #expect(bins.map(\.name) == bins.map(\.name).sorted())
        #expect(TempoBin(bpm: 60) == .bpm60 && TempoBin(bpm: 119.9) == .bpm100)
        #expect(TempoBin(bpm: 180) == .bpm160 && TempoBin(bpm: 59) == nil)
    }
}
