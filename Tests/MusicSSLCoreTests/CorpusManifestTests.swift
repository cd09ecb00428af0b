import Foundation
import MusicSSLTestSupport
import Testing

@Suite("fairseq manifests")
struct CorpusManifestTests {
    let manifestURL = URL(fileURLWithPath: "/data/manifests/train.tsv")

    /// The malformed-manifest line number and reason for `text`, or nil if it parses.
    private func failure(_ text: String) -> (line: Int, reason: String)? {
        do {
            _ = try CorpusManifest(parsing: text, manifestURL: manifestURL)
            return nil
        } catch let error as CorpusError {
            #expect(error.path == manifestURL.path)
            guard case .malformedManifest(let line, let reason) = error.reason else { return nil }
            return (line, reason)
        } catch {
            return nil
        }
    }

    @Test("a manifest gives the root and the entries in order")
    func parsesEntries() throws {
        let text = "/music/root\nrock/a.flac\t441000\njazz/b.wav\t16000\nrock/a.flac\t441000\n"
        let manifest = try CorpusManifest(parsing: text, manifestURL: manifestURL)
        #expect(manifest.root.path == "/music/root")
        #expect(manifest.entries.map(\.path) == ["rock/a.flac", "jazz/b.wav", "rock/a.flac"])
        #expect(manifest.entries.map(\.sampleCount) == [441_000, 16_000, 441_000])
        #expect(manifest.url(of: manifest.entries[1]).path == "/music/root/jazz/b.wav")
    }

    @Test("CRLF line ends, surrounding spaces, a relative root and an absolute entry")
    func parsesVariants() throws {
        let text = "  clips \r\nx.wav\t10\r\n/elsewhere/y.wav\t20\r\n"
        let manifest = try CorpusManifest(parsing: text, manifestURL: manifestURL)
        #expect(manifest.root.path == "/data/manifests/clips")
        #expect(manifest.entries.map(\.path) == ["x.wav", "/elsewhere/y.wav"])
        #expect(manifest.url(of: manifest.entries[1]).path == "/elsewhere/y.wav")
        #expect(try CorpusManifest(parsing: "/root", manifestURL: manifestURL).entries.isEmpty)
    }

    @Test("malformed lines are errors naming the line number")
    func malformedLinesThrow() {
        #expect(failure("")?.line == 1)
        #expect(failure("\na.wav\t1")?.line == 1)
        #expect(failure("/root\na.wav\t1\nb.wav")?.line == 3)
        #expect(failure("/root\na.wav\t1\t2")?.line == 2)
        #expect(failure("/root\na.wav\tten")?.line == 2)
        #expect(failure("/root\na.wav\t-5")?.line == 2)
        #expect(failure("/root\n\t5")?.line == 2)
        #expect(failure("/root\na.wav\t1\n\nb.wav\t2\n")?.line == 3)
        #expect(failure("/root\na.wav 100")?.reason.hasSuffix("found no tab") == true)
        #expect(failure("/root\na.wav\t1\t2")?.reason.hasSuffix("found 3 fields") == true)
        #expect(
            failure("/root\na.wav\t1.5")?.reason
                == "num_samples '1.5' is not a non-negative integer")
    }

    @Test("a manifest file is read, and an unreadable one is an error")
    func readsFromDisk() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("train.tsv")
        try "/root\na.wav\t3\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(try CorpusManifest(contentsOf: url).entries.count == 1)

        let missing = directory.file("missing.tsv")
        let error = #expect(throws: CorpusError.self) { try CorpusManifest(contentsOf: missing) }
        #expect(error?.path == missing.path)
        try Data([0x2F, 0xFF, 0xFE, 0x0A]).write(to: url)
        #expect(throws: CorpusError(path: url.path, .unreadable("not UTF-8 text"))) {
            try CorpusManifest(contentsOf: url)
        }
    }

    @Test("a manifest corpus keeps manifest order and skips missing files")
    func manifestCorpus() throws {
        let directory = try TemporaryDirectory()
        try writeNoise("audio/z.wav", in: directory, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("audio/a.wav", in: directory, seconds: 0.1, sampleRate: 16_000, seed: 2)
        let text = "audio\nz.wav\t3200\nmissing.wav\t100\na.wav\t1600\n"
        let manifest = try CorpusManifest(
            parsing: text, manifestURL: directory.file("train.tsv"))
        let corpus = AudioCorpus(manifest: manifest, index: .besideCorpus(fallback: directory.url))
        #expect(corpus.files.map(\.path) == ["z.wav", "a.wav"])
        #expect(corpus.files.map(\.frameCount) == [3_200, 1_600])
        #expect(corpus.summary.skipped == [.init(path: "missing.wav", reason: "no such file")])
        #expect(
            corpus.summary.indexURL?.path
                == directory.file("audio/\(DurationIndexLocation.fileName)").path)
    }
}
