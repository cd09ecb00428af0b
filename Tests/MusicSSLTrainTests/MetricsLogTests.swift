import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Metrics log")
struct MetricsLogTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func record(_ step: Int) -> MetricsRecord {
        MetricsRecord(
            step: step, loss: 7 - Double(step) * 0.01, learningRate: Double(step) * 1e-6,
            samplesPerSecond: 30.5, time: 1_718_000_000.25,
            values: ["masked_accuracy": Double(step) / 1000, "target_variance": 0.5])
    }

    @Test("records are written one JSON line each, readable at once, and read back exactly")
    func appendAndRead() throws {
        let url = directory.file("metrics.jsonl")
        let log = try MetricsLog(url: url, opening: .startingFresh)
        for step in [10, 20, 30] { try log.append(record(step)) }
        // No close or flush: each line is in the file as soon as append returns.
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(
            lines[0].hasPrefix(
                #"{"step":10,"loss":6.9,"learning_rate":9.999999999999999e-06,"samples_per_second":30.5,"#
            ))
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object.count == 7)
        }
        let (records, warnings) = try MetricsLog.read(from: url)
        #expect(warnings.isEmpty)
        #expect(records == [record(10), record(20), record(30)])
        #expect(log.records == records)
    }

    @Test("non-finite values survive the round trip as quoted spellings")
    func nonFiniteValues() throws {
        let url = directory.file("metrics.jsonl")
        let log = try MetricsLog(url: url, opening: .startingFresh)
        try log.append(
            MetricsRecord(
                step: 1, loss: .nan, learningRate: .infinity, samplesPerSecond: -.infinity))
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text.contains(
                #""loss":"NaN","learning_rate":"Infinity","samples_per_second":"-Infinity""#))
        let read = try #require(try MetricsLog.read(from: url).records.first)
        #expect(
            read.loss.isNaN && read.learningRate == .infinity && read.samplesPerSecond == -.infinity
        )
    }

    @Test("resuming at step S drops later records and appends after S")
    func resumeDropsLaterRecords() throws {
        let url = directory.file("metrics.jsonl")
        do {
            let log = try MetricsLog(url: url, opening: .startingFresh)
            for step in stride(from: 10, through: 60, by: 10) { try log.append(record(step)) }
        }
        let resumed = try MetricsLog(url: url, opening: .resuming(atStep: 40))
        #expect(resumed.records.map(\.step) == [10, 20, 30, 40])
        #expect(resumed.warnings.count == 1 && resumed.warnings[0].contains("dropped 2"))
        try resumed.append(record(50))
        #expect(try MetricsLog.read(from: url).records.map(\.step) == [10, 20, 30, 40, 50])
        #expect(throws: MetricsLogError.self) { try resumed.append(record(50)) }
    }

    @Test("a torn last line is skipped on reading and removed on resume")
    func tornLastLine() throws {
        let url = directory.file("metrics.jsonl")
        let complete = try record(10).jsonLine() + "\n" + record(20).jsonLine() + "\n"
        let torn = String(try record(30).jsonLine().prefix(25))
        try Data((complete + torn).utf8).write(to: url)
        let (records, warnings) = try MetricsLog.read(from: url)
        #expect(records.map(\.step) == [10, 20])
        #expect(warnings.count == 1 && warnings[0].contains("line 3"))

        let resumed = try MetricsLog(url: url, opening: .resuming(atStep: 20))
        try resumed.append(record(30))
        #expect(
            try String(contentsOf: url, encoding: .utf8)
                == complete + (try record(30).jsonLine()) + "\n")
    }

    @Test("a damaged line before the last, or a reserved value name, is an error naming it")
    func errors() throws {
        let url = directory.file("metrics.jsonl")
        try Data(("{\"step\":1,\"loss\":2}\nnot json\n" + (try record(3).jsonLine()) + "\n").utf8)
            .write(to: url)
        #expect(throws: MetricsLogError(path: url.path, .malformedLine(2))) {
            _ = try MetricsLog.read(from: url)
        }
        let bad = MetricsRecord(
            step: 1, loss: 1, learningRate: 1, samplesPerSecond: 1, values: ["loss": 2])
        #expect(throws: MetricsLogError.self) { _ = try bad.jsonLine() }
    }

    @Test("starting fresh replaces an existing log; resuming without one starts empty")
    func openingModes() throws {
        let url = directory.file("metrics.jsonl")
        try Data((try record(5).jsonLine() + "\n").utf8).write(to: url)
        let fresh = try MetricsLog(url: url, opening: .startingFresh)
        #expect(fresh.records.isEmpty)
        #expect(try Data(contentsOf: url).isEmpty)
        let other = directory.file("other.jsonl")
        let resumed = try MetricsLog(url: other, opening: .resuming(atStep: 100))
        #expect(resumed.records.isEmpty && resumed.warnings.isEmpty)
    }
}
