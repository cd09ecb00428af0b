import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Audio corpus scanning")
struct AudioCorpusTests {
    let corpus: TemporaryDirectory
    let cache: TemporaryDirectory

    init() throws {
        corpus = try TemporaryDirectory()
        cache = try TemporaryDirectory()
    }

    /// Scans `corpus` with the index in `location`, recording the names of the files opened.
    private func scan(
        index location: DurationIndexLocation? = nil, opened: inout [String]
    ) throws -> AudioCorpus {
        try AudioCorpus(
            scanning: corpus.url, index: location ?? .besideCorpus(fallback: cache.url)
        ) { url in
            opened.append(url.lastPathComponent)
            return try AudioDecoder.info(of: url)
        }
    }

    @Test("a folder scan recurses, matches extensions in any case, and sorts")
    func scanFindsNestedFilesInSortedOrder() throws {
        try writeNoise("b/deeper/z.WAV", in: corpus, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("a.Flac", in: corpus, seconds: 0.3, sampleRate: 44_100, format: .flac)
        try writeNoise(
            "b/c.ogg", in: corpus, seconds: 0.5, sampleRate: 48_000, format: .oggVorbis)
        try writeNoise("b/m.wav", in: corpus, seconds: 0.1, sampleRate: 8_000)
        try writeBytes(Array("notes".utf8), "b/readme.txt", in: corpus)
        try writeNoise(".hidden/x.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        try writeNoise("b/.y.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)

        var opened: [String] = []
        let scanned = try scan(opened: &opened)

        #expect(scanned.files.map(\.path) == ["a.Flac", "b/c.ogg", "b/deeper/z.WAV", "b/m.wav"])
        #expect(scanned.files.map(\.sampleRate) == [44_100, 48_000, 16_000, 8_000])
        #expect(scanned.files[0].frameCount == 13_230)
        #expect(abs(scanned.totalDurationSeconds - 1.1) < 0.01)
        #expect(scanned.summary.skipped.isEmpty)
        #expect(scanned.summary.listedCount == 4)
        #expect(opened.sorted() == ["a.Flac", "c.ogg", "m.wav", "z.WAV"])

        let onlyFlac = try AudioCorpus(
            scanning: corpus.url, extensions: ["FLAC"], index: .disabled)
        #expect(onlyFlac.files.map(\.path) == ["a.Flac"])
    }

    @Test("links to files are followed, links to folders are not (no cycles)")
    func symbolicLinks() throws {
        let target = try writeNoise("music/a.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        let manager = FileManager.default
        try manager.createSymbolicLink(
            at: corpus.file("music/linked.WAV"), withDestinationURL: target)
        try manager.createSymbolicLink(
            at: corpus.file("music/loop"), withDestinationURL: corpus.file("music"))
        var opened: [String] = []
        let first = try scan(opened: &opened)
        #expect(first.files.map(\.path) == ["music/a.wav", "music/linked.WAV"])

        try writeNoise("music/a.wav", in: corpus, seconds: 0.3, sampleRate: 16_000, seed: 5)
        opened = []
        let second = try scan(opened: &opened)
        #expect(opened.sorted() == ["a.wav", "linked.WAV"], "the link's target changed")
        #expect(second.files.map(\.frameCount) == [4_800, 4_800])
    }

    @Test("a second scan reads the index and opens nothing")
    func secondScanReusesTheIndex() throws {
        for (number, seconds) in [0.2, 0.3, 0.4].enumerated() {
            try writeNoise("f\(number).wav", in: corpus, seconds: seconds, sampleRate: 16_000)
        }
        var opened: [String] = []
        let first = try scan(opened: &opened)
        let indexURL = corpus.file(DurationIndexLocation.fileName)
        #expect(opened.count == 3)
        #expect(first.summary.indexURL == indexURL)
        let writtenAt =
            try FileManager.default.attributesOfItem(atPath: indexURL.path)[
                .modificationDate] as? Date

        opened = []
        let second = try scan(opened: &opened)
        #expect(opened.isEmpty)
        #expect(second.summary.reusedCount == 3)
        #expect(second.summary.inspectedCount == 0)
        #expect(second.files == first.files)
        let unchangedAt =
            try FileManager.default.attributesOfItem(atPath: indexURL.path)[
                .modificationDate] as? Date
        #expect(unchangedAt == writtenAt, "an unchanged index is not rewritten")
    }

    @Test("a changed, added or removed file invalidates only its own entry")
    func changedFilesAreReopened() throws {
        try writeNoise("keep.wav", in: corpus, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("grow.wav", in: corpus, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("touch.wav", in: corpus, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("drop.wav", in: corpus, seconds: 0.2, sampleRate: 16_000)
        var opened: [String] = []
        _ = try scan(opened: &opened)

        try writeNoise("grow.wav", in: corpus, seconds: 0.5, sampleRate: 16_000, seed: 2)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)],
            ofItemAtPath: corpus.file("touch.wav").path)
        try FileManager.default.removeItem(at: corpus.file("drop.wav"))
        try writeNoise("new.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)

        opened = []
        let rescanned = try scan(opened: &opened)
        #expect(opened.sorted() == ["grow.wav", "new.wav", "touch.wav"])
        #expect(rescanned.summary.reusedCount == 1)
        #expect(rescanned.files.map(\.path) == ["grow.wav", "keep.wav", "new.wav", "touch.wav"])
        #expect(rescanned.files.first { $0.path == "grow.wav" }?.frameCount == 8_000)

        opened = []
        _ = try scan(opened: &opened)
        #expect(opened.isEmpty, "the rewritten index holds the new facts")
    }

    @Test("bad files are skipped, cached and summarised, and the scan goes on")
    func badFilesAreSkipped() throws {
        try writeNoise("good.wav", in: corpus, seconds: 0.2, sampleRate: 16_000)
        try writeBytes(randomBytes(4_096), "random.wav", in: corpus)
        try writeBytes([], "empty.wav", in: corpus)
        try writeBytes(Array("not audio at all".utf8), "text.flac", in: corpus)
        try writeBytes(Array(randomBytes(64)), "sub/short.mp3", in: corpus)
        try AudioEncoder.write(
            [], sampleRate: 16_000, format: .wavPCM16, to: corpus.file("zero.wav"))
        try writeNoise(
            "sub/also-good.flac", in: corpus, seconds: 0.2, sampleRate: 22_050, format: .flac)

        var opened: [String] = []
        let scanned = try scan(opened: &opened)
        #expect(scanned.files.map(\.path) == ["good.wav", "sub/also-good.flac"])
        let skipped = scanned.summary.skipped.map(\.path)
        #expect(skipped == ["empty.wav", "random.wav", "sub/short.mp3", "text.flac", "zero.wav"])
        #expect(scanned.summary.skipped.allSatisfy { !$0.reason.isEmpty })
        let line = scanned.summary.description
        #expect(line.contains("skipped 5: empty.wav ("))
        #expect(line.contains("random.wav ("))
        #expect(line.hasPrefix("2 files"))

        opened = []
        let again = try scan(opened: &opened)
        #expect(opened.isEmpty, "failures are cached too")
        #expect(again.summary.skipped == scanned.summary.skipped)
    }

    @Test("the summary names the first five skipped files and counts the rest")
    func summaryTruncatesLongSkipLists() throws {
        for number in 0..<8 {
            try writeBytes(randomBytes(256, seed: UInt64(number)), "bad\(number).wav", in: corpus)
        }
        try writeNoise("ok.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        let scanned = try AudioCorpus(scanning: corpus.url, index: .disabled)
        let line = scanned.summary.description
        #expect(scanned.summary.skipped.count == 8)
        #expect(line.contains("bad4.wav"))
        #expect(!line.contains("bad5.wav"))
        #expect(line.hasSuffix("and 3 more"))
    }

    @Test("an unwritable corpus folder keeps its index in the cache folder")
    func indexFallsBackToTheCacheFolder() throws {
        try writeNoise("a.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        // A folder where the index file would go makes the corpus unwritable for it, even to
        // root, whom permission bits do not stop.
        try FileManager.default.createDirectory(
            at: corpus.file(DurationIndexLocation.fileName), withIntermediateDirectories: false)
        var opened: [String] = []
        let first = try scan(opened: &opened)
        let expected = DurationIndexLocation.file(in: cache.url, forRoot: corpus.url)
        #expect(first.summary.indexURL == expected)
        #expect(FileManager.default.fileExists(atPath: expected.path))

        opened = []
        _ = try scan(opened: &opened)
        #expect(opened.isEmpty)
    }

    @Test("an explicit cache folder, a disabled index and a corrupt index")
    func otherIndexLocations() throws {
        try writeNoise("a.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        var opened: [String] = []
        let cached = try scan(index: .directory(cache.url), opened: &opened)
        #expect(try cache.contents().count == 1)
        let besideCorpus = corpus.file(DurationIndexLocation.fileName)
        #expect(!FileManager.default.fileExists(atPath: besideCorpus.path))
        #expect(cached.summary.indexURL?.deletingLastPathComponent().path == cache.url.path)

        opened = []
        _ = try scan(index: .disabled, opened: &opened)
        _ = try scan(index: .disabled, opened: &opened)
        #expect(opened.count == 2)
        #expect(try corpus.contents() == ["a.wav"])

        try Data("{ not json".utf8).write(to: corpus.file(DurationIndexLocation.fileName))
        opened = []
        let rebuilt = try scan(
            index: .besideCorpus(fallback: corpus.file("unused")), opened: &opened)
        #expect(opened == ["a.wav"])
        #expect(rebuilt.files.count == 1)
        #expect(rebuilt.summary.indexProblem == nil)
    }

    @Test("a missing corpus folder or a file given as the folder is an error")
    func missingFolderThrows() throws {
        let missing = corpus.file("nowhere")
        #expect(throws: CorpusError(path: missing.path, .notADirectory)) {
            try AudioCorpus(scanning: missing, index: .disabled)
        }
        let file = try writeNoise("a.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        #expect(throws: CorpusError(path: file.path, .notADirectory)) {
            try AudioCorpus(scanning: file, index: .disabled)
        }
    }

    @Test("files shorter than a minimum can be dropped")
    func shortFilesCanBeExcluded() throws {
        try writeNoise("short.wav", in: corpus, seconds: 0.1, sampleRate: 16_000)
        try writeNoise("long.wav", in: corpus, seconds: 0.5, sampleRate: 16_000)
        let scanned = try AudioCorpus(scanning: corpus.url, index: .disabled)
        #expect(scanned.excludingFiles(shorterThan: 0.25).files.map(\.path) == ["long.wav"])
    }
}
