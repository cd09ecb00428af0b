import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Random crops")
struct RandomCropSamplerTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// The corpus of the files written so far, without an index.
    private func corpus() throws -> AudioCorpus {
        try AudioCorpus(scanning: directory.url, index: .disabled)
    }

    @Test("a fixed seed gives the same crops; another seed gives others")
    func cropsAreReproducible() throws {
        try writeNoise("a.wav", in: directory, seconds: 2, sampleRate: 16_000, seed: 1)
        try writeNoise("b.wav", in: directory, seconds: 3, sampleRate: 16_000, seed: 2)
        let sampler = try RandomCropSampler(
            corpus: try corpus(), cropSeconds: 0.5, sampleRate: 16_000)
        func draw(seed: UInt64) throws -> [(String, Int, [Float])] {
            var generator = SplitMix64(seed: seed)
            return try (0..<6).map { _ in
                let crop = try sampler.next(using: &generator)
                return (crop.file.path, crop.startFrame, crop.samples)
            }
        }
        let first = try draw(seed: 42)
        let second = try draw(seed: 42)
        let other = try draw(seed: 43)
        #expect(first.map(\.0) == second.map(\.0))
        #expect(first.map(\.1) == second.map(\.1))
        #expect(first.map(\.2) == second.map(\.2))
        #expect(first.map(\.1) != other.map(\.1))
    }

    @Test("a crop at the native rate is exactly that stretch of the file")
    func nativeRateCropsComeFromTheFile() throws {
        let url = try writeNoise("a.wav", in: directory, seconds: 1.5, sampleRate: 16_000)
        let whole = try AudioDecoder.read(url).samples
        let sampler = try RandomCropSampler(
            corpus: try corpus(), cropSeconds: 0.25, sampleRate: 16_000)
        var generator = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let crop = try sampler.next(using: &generator)
            #expect(crop.samples.count == 4_000)
            #expect(crop.sourceFrameCount == 4_000)
            #expect(crop.startFrame >= 0 && crop.startFrame + 4_000 <= whole.count)
            #expect(crop.samples == Array(whole[crop.startFrame..<(crop.startFrame + 4_000)]))
        }
    }

    @Test(
        "crops of compressed files match the whole file decoded",
        arguments: [AudioFileFormat.flac, .oggVorbis, .oggOpus, .mp3])
    func compressedCropsComeFromTheFile(format: AudioFileFormat) throws {
        let url = directory.file("tone.\(format.fileExtension)")
        let tone = (0..<48_000).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 16_000)) }
        try AudioEncoder.write(tone, sampleRate: 16_000, format: format, to: url)
        let whole = try AudioDecoder.read(url).samples
        let sampler = try RandomCropSampler(
            corpus: try corpus(), cropSeconds: 0.5, sampleRate: 16_000)
        var generator = SplitMix64(seed: 8)
        var worst: Float = 0
        for _ in 0..<5 {
            let crop = try sampler.next(using: &generator)
            let end = crop.startFrame + crop.samples.count
            #expect(crop.samples.count == 8_000)
            #expect(end <= whole.count)
            let reference = whole[crop.startFrame..<min(end, whole.count)]
            worst = max(worst, zip(crop.samples, reference).map { abs($0 - $1) }.max() ?? 0)
        }
        print("[crop] \(format): max difference to the whole decode \(worst)")
        #expect(worst < 1e-4)
    }

    @Test(
        "a resampled crop matches the whole file resampled",
        arguments: [(44_100, 16_000), (16_000, 24_000), (48_000, 24_000), (22_050, 16_000)])
    func resampledCropsMatchTheWholeFile(rates: (file: Int, crop: Int)) throws {
        let url = try writeNoise("a.wav", in: directory, seconds: 1.2, sampleRate: rates.file)
        let whole = try Resampler().resample(
            try AudioDecoder.read(url).samples, from: rates.file, to: rates.crop)
        let sampler = try RandomCropSampler(
            corpus: try corpus(), cropSeconds: 0.3, sampleRate: rates.crop)
        let expectedCount = Int(0.3 * Double(rates.crop))
        // Starts on the grid where input and output samples coincide, so the crop is a slice
        // of `whole`; one at the file's start, one far from both ends, one at its end.
        let step = rates.file / gcd(rates.file, rates.crop)
        let fileFrames = sampler.corpus.files[0].frameCount
        let lastStart = fileFrames - Int(0.3 * Double(rates.file))
        for startFrame in [0, (fileFrames / 2 / step) * step, (lastStart / step) * step] {
            let crop = try sampler.crop(fileAt: 0, startFrame: startFrame)
            let offset = startFrame / step * (rates.crop / gcd(rates.file, rates.crop))
            #expect(crop.samples.count == expectedCount)
            let reference = whole[offset..<(offset + expectedCount)]
            let worst = zip(crop.samples, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-5, "start \(startFrame): max difference \(worst)")
        }
    }

    @Test("the default crop is 5 s at the requested rate")
    func defaultCropLength() throws {
        try writeNoise("long.wav", in: directory, seconds: 6, sampleRate: 44_100)
        let sampler = try RandomCropSampler(corpus: try corpus(), sampleRate: 24_000)
        var generator = SplitMix64(seed: 9)
        let crop = try sampler.next(using: &generator)
        #expect(sampler.cropSeconds == 5)
        #expect(crop.samples.count == 120_000)
        #expect(crop.sampleRate == 24_000)
        #expect(crop.startFrame + crop.sourceFrameCount <= 6 * 44_100)
    }

    @Test("a file shorter than the crop is returned whole")
    func shortFilesAreReturnedWhole() throws {
        let url = try writeNoise("short.wav", in: directory, seconds: 0.2, sampleRate: 16_000)
        try writeNoise("shorter.wav", in: directory, seconds: 0.1, sampleRate: 8_000)
        let sampler = try RandomCropSampler(corpus: try corpus(), sampleRate: 16_000)
        var generator = SplitMix64(seed: 5)
        var seen: Set<String> = []
        for _ in 0..<10 {
            let crop = try sampler.next(using: &generator)
            seen.insert(crop.file.path)
            #expect(crop.startFrame == 0)
            #expect(crop.samples.count == (crop.file.path == "short.wav" ? 3_200 : 1_600))
            if crop.file.path == "short.wav" {
                #expect(crop.samples == (try AudioDecoder.read(url).samples))
            }
        }
        #expect(seen.count == 2)
    }

    @Test("files are drawn in proportion to duration, or uniformly")
    func fileWeighting() throws {
        try writeNoise("long.wav", in: directory, seconds: 0.9, sampleRate: 8_000)
        try writeNoise("short.wav", in: directory, seconds: 0.1, sampleRate: 8_000)
        func longShare(_ weighting: RandomCropSampler.FileWeighting) throws -> Double {
            let sampler = try RandomCropSampler(
                corpus: try corpus(), cropSeconds: 0.05, sampleRate: 8_000, weighting: weighting)
            var generator = SplitMix64(seed: 11)
            let draws = 1_000
            let long = try (0..<draws).filter { _ in
                try sampler.next(using: &generator).file.path == "long.wav"
            }.count
            return Double(long) / Double(draws)
        }
        let byDuration = try longShare(.duration)
        let uniform = try longShare(.uniform)
        #expect(abs(byDuration - 0.9) < 0.04, "long file drawn \(byDuration) of the time")
        #expect(abs(uniform - 0.5) < 0.06, "long file drawn \(uniform) of the time")
    }

    @Test("normalised crops have zero mean and unit variance")
    func normalisedCrops() throws {
        var generator = SplitMix64(seed: 4)
        let samples = (0..<16_000).map { _ in 0.3 + Float.random(in: -0.2...0.2, using: &generator)
        }
        try AudioEncoder.write(
            samples, sampleRate: 16_000, format: .wavFloat, to: directory.file("dc.wav"))
        let sampler = try RandomCropSampler(
            corpus: try corpus(), cropSeconds: 0.5, sampleRate: 16_000, normalization: .fairseq)
        let crop = try sampler.next(using: &generator)
        let (mean, variance) = moments(crop.samples)
        #expect(abs(mean) < 1e-5)
        #expect(abs(variance - 1) < 1e-3)
    }

    @Test("normalisation divides by sqrt(variance + eps), as F.layer_norm")
    func normalisationEpsilon() {
        // A quiet sine: variance 5e-7, so eps 1e-5 leaves variance 5e-7 / (5e-7 + 1e-5).
        let quiet = (0..<8_000).map { Float(1e-3 * sin(2 * Double.pi * 100 * Double($0) / 8_000)) }
        let (_, fairseq) = moments(WaveformNormalization.fairseq.apply(to: quiet))
        let (_, huggingFace) = moments(WaveformNormalization.huggingFace.apply(to: quiet))
        #expect(abs(fairseq - 5e-7 / (5e-7 + 1e-5)) < 1e-4)
        #expect(abs(huggingFace - 5e-7 / (5e-7 + 1e-7)) < 1e-4)
        #expect(WaveformNormalization.fairseq.apply(to: [0.5, 0.5, 0.5]) == [0, 0, 0])
        #expect(WaveformNormalization.none.apply(to: quiet) == quiet)
        #expect(WaveformNormalization.fairseq.apply(to: []) == [])
    }

    @Test("bad arguments and an empty corpus are errors")
    func badArgumentsThrow() throws {
        try writeBytes(randomBytes(100), "bad.wav", in: directory)
        let empty = try corpus()
        #expect(throws: CorpusError(path: empty.root.path, .noUsableFiles)) {
            try RandomCropSampler(corpus: empty, sampleRate: 16_000)
        }
        try writeNoise("a.wav", in: directory, seconds: 0.5, sampleRate: 16_000)
        let corpus = try corpus()
        #expect(throws: CorpusError.self) {
            try RandomCropSampler(corpus: corpus, cropSeconds: 0, sampleRate: 16_000)
        }
        #expect(throws: CorpusError.self) {
            try RandomCropSampler(corpus: corpus, cropSeconds: .nan, sampleRate: 16_000)
        }
        #expect(throws: CorpusError.self) {
            try RandomCropSampler(corpus: corpus, sampleRate: 0)
        }
        let sampler = try RandomCropSampler(corpus: corpus, sampleRate: 16_000)
        #expect(
            throws: CorpusError(
                path: corpus.root.path, .fileIndexOutOfRange(index: 1, fileCount: 1))
        ) {
            try sampler.crop(fileAt: 1, startFrame: 0)
        }
        #expect(throws: CorpusError.self) { try sampler.crop(fileAt: 0, startFrame: 8_000) }
    }

    @Test("a file deleted after the scan gives an error naming it")
    func vanishedFileThrows() throws {
        let url = try writeNoise("a.wav", in: directory, seconds: 0.5, sampleRate: 16_000)
        let sampler = try RandomCropSampler(corpus: try corpus(), sampleRate: 16_000)
        try FileManager.default.removeItem(at: url)
        var generator = SplitMix64(seed: 1)
        let error = #expect(throws: AudioError.self) { try sampler.next(using: &generator) }
        #expect(error?.path == url.path)
    }
}

/// Mean and biased variance, in Double.
private func moments(_ samples: [Float]) -> (mean: Double, variance: Double) {
    let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
    let variance =
        samples.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
        / Double(samples.count)
    return (mean, variance)
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    b == 0 ? a : gcd(b, a % b)
}
