import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Crop batch loader")
struct CropBatchLoaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Three noise files of 1, 1.5 and 2 s (the last at 22.05 kHz, so it is resampled).
    private func threeFileCorpus() throws -> AudioCorpus {
        try writeNoiseFile("a.wav", in: directory, seconds: 1, seed: 1)
        try writeNoiseFile("b.wav", in: directory, seconds: 1.5, seed: 2)
        try writeNoiseFile("c.wav", in: directory, seconds: 2, sampleRate: 22_050, seed: 3)
        return try AudioCorpus(scanning: directory.url, index: .disabled)
    }

    private func configuration(
        batchSize: Int = 3, seed: UInt64 = 7, shortFiles: ShortFilePolicy = .skip,
        normalization: WaveformNormalization = .none
    ) -> CropBatchConfiguration {
        CropBatchConfiguration(
            batchSize: batchSize, cropSeconds: 0.25, sampleRate: 16_000,
            normalization: normalization, shortFiles: shortFiles, seed: seed)
    }

    private func batches(
        _ loader: CropBatchLoader, count: Int
    ) throws -> [(index: Int, scalars: [Float], origins: [CropOrigin])] {
        try (0..<count).map { _ in
            let batch = try loader.next()
            return (batch.index, batch.samples.scalars, batch.origins)
        }
    }

    @Test("a fixed seed gives identical batches; each row is the named window of its file")
    func sameSeedSameBatches() throws {
        let corpus = try threeFileCorpus()
        func run(seed: UInt64) throws -> [(index: Int, scalars: [Float], origins: [CropOrigin])] {
            let source = try CropBatchSource(
                corpus: corpus, configuration: configuration(seed: seed))
            return try batches(try CropBatchLoader(source: source, prefetchCount: 2), count: 5)
        }
        let first = try run(seed: 7)
        let second = try run(seed: 7)
        let other = try run(seed: 8)
        #expect(first.map(\.index) == [0, 1, 2, 3, 4])
        #expect(first.map(\.scalars) == second.map(\.scalars))
        #expect(first.map(\.origins) == second.map(\.origins))
        #expect(first.map(\.origins) != other.map(\.origins))
        #expect(Set(first.flatMap(\.origins).map(\.file.path)) == ["a.wav", "b.wav", "c.wav"])

        // A native-rate row is exactly frames start..<start+4000 of its file.
        let sampler = try CropBatchSource(corpus: corpus, configuration: configuration()).sampler
        for batch in first {
            #expect(batch.scalars.count == 3 * 4_000)
            for (row, origin) in batch.origins.enumerated() {
                let expected = try sampler.crop(
                    fileAt: origin.fileIndex, startFrame: origin.startFrame)
                #expect(
                    Array(batch.scalars[(row * 4_000)..<((row + 1) * 4_000)]) == expected.samples)
                guard origin.file.sampleRate == 16_000 else { continue }
                let whole = try AudioDecoder.read(origin.file.url).samples
                #expect(
                    expected.samples
                        == Array(whole[origin.startFrame..<(origin.startFrame + 4_000)]))
            }
        }
    }

    @Test("rows of a batch (a rank's share) are those rows of the whole batch; rows outside it are refused")
    func rowsOfBatch() throws {
        let corpus = try threeFileCorpus()
        let source = try CropBatchSource(corpus: corpus, configuration: configuration(batchSize: 4))
        let whole = try source.batch(at: 3)
        let part = try source.batch(at: 3, rows: 1..<3)
        let perRow = whole.samples.shape[1]
        #expect(part.origins == Array(whole.origins[1..<3]))
        #expect(part.samples.scalars == Array(whole.samples.scalars[perRow..<3 * perRow]))
        #expect(throws: CropBatchError.self) { try source.batch(at: 0, rows: 3..<5) }
    }

    @Test("a loader started at batch i yields the batches i… of a run from the start")
    func resumeEqualsUninterrupted() throws {
        let corpus = try threeFileCorpus()
        let source = try CropBatchSource(corpus: corpus, configuration: configuration())
        let uninterrupted = try batches(try CropBatchLoader(source: source), count: 8)
        let resumedSource = try CropBatchSource(corpus: corpus, configuration: configuration())
        let resumedLoader = try CropBatchLoader(source: resumedSource, startingAtBatch: 5)
        #expect(resumedLoader.nextBatchIndex == 5)
        let resumed = try batches(resumedLoader, count: 3)
        #expect(resumedLoader.nextBatchIndex == 8)
        #expect(resumed.map(\.index) == [5, 6, 7])
        #expect(resumed.map(\.scalars) == uninterrupted[5...].map(\.scalars))
        #expect(resumed.map(\.origins) == uninterrupted[5...].map(\.origins))
    }

    @Test("the thread runs ahead to the prefetch limit and no further, counted in decodes")
    func prefetchRunsAhead() throws {
        let corpus = try threeFileCorpus()
        let reads = ReadCounter()
        let source = try CropBatchSource(
            corpus: corpus, configuration: configuration(batchSize: 2),
            cropReader: { sampler, index, start in
                reads.increment()
                return try sampler.crop(fileAt: index, startFrame: start)
            })
        let loader = try CropBatchLoader(source: source, prefetchCount: 3)
        // Nothing taken yet: three batches of two crops get decoded, then the thread waits.
        #expect(eventually { loader.readyCount == 3 })
        #expect(reads.count == 6)
        usleep(50_000)
        #expect(reads.count == 6)
        // A slow consumer finds its batch ready; taking it makes room for exactly one more.
        let batch = try loader.next()
        #expect(batch.index == 0)
        #expect(eventually { loader.readyCount == 3 })
        #expect(reads.count == 8)
        loader.stop()
    }

    @Test("a file that no longer decodes is skipped, reported once, and resume still agrees")
    func corruptFileIsSkipped() throws {
        let corpus = try threeFileCorpus()
        // Damaged after the scan, as a file changed on disk during a run would be.
        try Data(repeating: 0x5A, count: 4_096).write(to: directory.file("b.wav"))
        let source = try CropBatchSource(corpus: corpus, configuration: configuration(batchSize: 4))
        let loader = try CropBatchLoader(source: source)
        var warnings: [String] = []
        var uninterrupted: [(index: Int, scalars: [Float], origins: [CropOrigin])] = []
        for _ in 0..<10 {
            let batch = try loader.next()
            warnings += batch.warnings
            uninterrupted.append((batch.index, batch.samples.scalars, batch.origins))
        }
        #expect(!uninterrupted.flatMap(\.origins).contains { $0.file.path == "b.wav" })
        #expect(uninterrupted.allSatisfy { $0.origins.count == 4 })
        #expect(source.skippedFiles.map(\.path) == ["b.wav"])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains(directory.file("b.wav").path) == true)

        // A fresh run resumed at batch 6 has not met b.wav yet, and still makes the same batches.
        let resumedSource = try CropBatchSource(
            corpus: corpus, configuration: configuration(batchSize: 4))
        let resumed = try batches(
            try CropBatchLoader(source: resumedSource, startingAtBatch: 6),
            count: 4)
        #expect(resumed.map(\.scalars) == uninterrupted[6...].map(\.scalars))
        #expect(resumed.map(\.origins) == uninterrupted[6...].map(\.origins))
    }

    @Test("a corpus whose every file fails ends with an error, every call, without hanging")
    func allFilesCorrupt() throws {
        let corpus = try threeFileCorpus()
        for name in ["a.wav", "b.wav", "c.wav"] {
            try Data(repeating: 0, count: 100).write(to: directory.file(name))
        }
        let source = try CropBatchSource(corpus: corpus, configuration: configuration())
        let loader = try CropBatchLoader(source: source)
        let expected = CropBatchError(path: corpus.root.path, .noReadableFiles(fileCount: 3))
        #expect(throws: expected) { try loader.next() }
        #expect(throws: expected) { try loader.next() }
        #expect(source.skippedFiles.count == 3)
    }

    @Test("short files: skipped by default, or the batch cut to its shortest crop")
    func shortFiles() throws {
        try writeNoiseFile("long.wav", in: directory, seconds: 1, seed: 1)
        try writeNoiseFile("short.wav", in: directory, seconds: 0.15, seed: 2)
        let corpus = try AudioCorpus(scanning: directory.url, index: .disabled)

        let skipping = try CropBatchSource(corpus: corpus, configuration: configuration())
        #expect(skipping.corpus.files.map(\.path) == ["long.wav"])
        for index in 0..<5 {
            let batch = try skipping.batch(at: index)
            #expect(batch.samples.shape == [3, 4_000])
        }

        let cutting = try CropBatchSource(
            corpus: corpus,
            configuration: configuration(
                batchSize: 4, shortFiles: .cropBatchToShortest(minimumSeconds: 0.1)))
        #expect(cutting.corpus.files.count == 2)
        var sawShort = false
        for index in 0..<20 {
            let batch = try cutting.batch(at: index)
            let hasShort = batch.origins.contains { $0.file.path == "short.wav" }
            sawShort = sawShort || hasShort
            #expect(batch.frameCount == (hasShort ? 2_400 : 4_000))
            for (row, origin) in batch.origins.enumerated() {
                let whole = try AudioDecoder.read(origin.file.url).samples
                let rowSamples = Array(
                    batch.samples.scalars[(row * batch.frameCount)..<((row + 1) * batch.frameCount)]
                )
                #expect(
                    rowSamples
                        == Array(whole[origin.startFrame..<(origin.startFrame + batch.frameCount)]))
            }
        }
        #expect(sawShort)
        #expect(throws: CropBatchError.self) {
            _ = try CropBatchSource(
                corpus: corpus,
                configuration: configuration(shortFiles: .cropBatchToShortest(minimumSeconds: 5)))
        }
    }

    @Test("per-clip normalisation gives each row zero mean and unit variance")
    func normalisation() throws {
        let source = try CropBatchSource(
            corpus: try threeFileCorpus(), configuration: configuration(normalization: .fairseq))
        let batch = try source.batch(at: 0)
        for row in 0..<3 {
            let values = batch.samples.scalars[(row * 4_000)..<((row + 1) * 4_000)].map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let variance =
                values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-3)
        }
    }

    @Test("stop ends the thread; next then reports the stop; dropping a busy loader returns")
    func stopping() throws {
        let corpus = try threeFileCorpus()
        let loader = try CropBatchLoader(
            source: try CropBatchSource(corpus: corpus, configuration: configuration()),
            prefetchCount: 1)
        #expect(eventually { loader.readyCount == 1 })
        loader.stop()
        loader.stop()
        #expect(throws: CropBatchError(path: corpus.root.path, .stopped)) { try loader.next() }
        // Released while its thread waits on a full queue: deinit stops and joins it.
        for _ in 0..<5 {
            _ = try CropBatchLoader(
                source: try CropBatchSource(corpus: corpus, configuration: configuration()),
                prefetchCount: 1)
        }
        #expect(throws: CropBatchError.self) {
            _ = try CropBatchLoader(
                source: try CropBatchSource(corpus: corpus, configuration: configuration()),
                prefetchCount: 0)
        }
    }

    @Test("label start frames follow fairseq: round(start · labelRate / rate), halves to even")
    func labelStartFrames() throws {
        let files = try threeFileCorpus().files
        let (native, resampled) = (files[0], files[2])  // a.wav at 16 kHz, c.wav at 22.05 kHz
        func label(_ file: AudioCorpus.File, _ start: Int, _ rate: Double) -> Int {
            CropOrigin(file: file, fileIndex: 0, startFrame: start).labelStartFrame(labelRate: rate)
        }
        // At 16 kHz one 50 Hz label frame is 320 samples: 480 is 1.5 → 2, 800 is 2.5 → 2 (even),
        // 801 is just past 2.5 → 3.
        #expect(label(native, 480, 50) == 2)
        #expect(label(native, 800, 50) == 2)
        #expect(label(native, 801, 50) == 3)
        #expect(label(native, 16_000, 100) == 100)
        // The start is at the file's own rate: 22 050 frames of c.wav are one second.
        #expect(label(resampled, 22_050, 50) == 50)
        #expect(label(resampled, 2_205, 100) == 10)
        #expect(CropOrigin(file: resampled, fileIndex: 2, startFrame: 11_025).startSeconds == 0.5)
    }
}
