import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// The real `msl pretrain` under faults: SIGKILL at random moments and inside checkpoint
/// writes, a checkpoint write that runs out of space, a damaged newest checkpoint, and audio
/// with NaN samples. Every case ends (after a resume where there is one) with the parameters
/// of an uninterrupted run, bit for bit.
///
/// Serialized: the kill campaign times its kills from a straight run's pace, which tests
/// running beside it on the same cores would distort.
@Suite("msl pretrain under faults", .serialized)
struct TrainingFaultTests {
    /// The corpus, configuration and process helpers of the `msl pretrain` tests.
    let base: PretrainCommandTests

    init() throws {
        base = try PretrainCommandTests()
    }

    var directory: TemporaryDirectory { base.directory }

    func binary() throws -> URL {
        try MPILaunch.requireMSLBinary()
    }

    func arguments(config: URL, corpus: URL, run: URL) -> [String] {
        ["pretrain", "--config", config.path, "--corpus", corpus.path, "--out", run.path, "--resume"]
    }

    /// Every tensor of the checkpoint of `step` in `run`.
    func tensors(of run: URL, step: Int) throws -> [String: [Float]] {
        try CheckpointStore(directory: run.appendingPathComponent("checkpoints")).load(step: step).allTensors()
            .mapValues(\.scalars)
    }

    /// The names of the temporary files of interrupted checkpoint writes in `run`.
    func temporaryFiles(in run: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(
            atPath: run.appendingPathComponent("checkpoints").path)) ?? []
        return names.filter { $0.hasSuffix(AtomicFile.temporarySuffix) }.sorted()
    }

    func differing(_ a: [String: [Float]], _ b: [String: [Float]]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
    }

    // MARK: Kill campaign

    /// 20 SIGKILLs, each followed by a `--resume`: the even trials wait for a checkpoint
    /// write's temporary file (`.checkpoint-….partial`) to appear and kill at once, so they land
    /// inside the write (between its open and its rename); the odd ones kill after a random
    /// delay of 0.3–1.3 × (the time to the first update + one update) of a straight run, so they
    /// land in start-up (corpus scan, checkpoint verification, restore), an update or a write. A
    /// kill is counted as inside a write when the temporary file is still there after the
    /// process died; each resume must remove it (none is left at the end). The campaign
    /// prints its count; on the development machine (debug build, 2 busy cores) 10 or 11 of the
    /// 20 kills landed inside a write (every targeted one, and at times a random one), and the
    /// test took 15–20 s.
    @Test("Music2vec killed with SIGKILL 20 times, half of them inside checkpoint writes, resumes bit-identical")
    func killCampaign() throws {
        let binary = try binary()
        let corpus = try base.writeCorpus()
        let steps = 20
        let config = try base.writeConfiguration(objective: "music2vec", steps: steps)

        let straight = directory.file("straight")
        let started = Date()
        #expect(
            try base.runToCompletion(
                binary, arguments(config: config, corpus: corpus, run: straight), log: directory.file("straight.log"))
                == 0)
        let records = try MetricsLog.read(from: straight.appendingPathComponent("metrics.jsonl")).records
        let first = try #require(records.first?.time), last = try #require(records.last?.time)
        let update = (last - first) / Double(steps - 1)
        // From the launch to the first update's log record: start-up and one update.
        let firstUpdate = first - started.timeIntervalSince1970

        let interrupted = directory.file("interrupted")
        let checkpoints = interrupted.appendingPathComponent("checkpoints")
        var generator = SplitMix64(seed: 11)
        var kills = 0, insideWrite = 0, targetedInsideWrite = 0
        var leftTemporaryFiles: Set<String> = []
        while true {
            let log = directory.file("interrupted-\(kills).log")
            let child = try base.start(binary, arguments(config: config, corpus: corpus, run: interrupted), log: log)
            guard kills < 20 else {
                child.waitUntilExit()
                #expect(child.terminationStatus == 0, "see \(log.path)")
                break
            }
            let targeted = kills % 2 == 0
            if targeted {
                // Kill as soon as a temporary checkpoint file this run writes appears (polled
                // every millisecond), or after ample time if none is ever seen.
                let before = Set(temporaryFiles(in: interrupted))
                let deadline = Date().addingTimeInterval(10 * (firstUpdate + update) + 5)
                while child.isRunning && Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? []
                    if names.contains(where: { $0.hasSuffix(AtomicFile.temporarySuffix) && !before.contains($0) }) {
                        break
                    }
                    usleep(1_000)
                }
            } else {
                let delay = (firstUpdate + update) * Double.random(in: 0.3..<1.3, using: &generator)
                _ = base.waitForExit(child, seconds: delay)
            }
            guard child.isRunning else {
                child.waitUntilExit()
                Issue.record("run \(kills) ended by itself (status \(child.terminationStatus)) before its kill; see \(log.path)")
                break
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            kills += 1
            let left = Set(temporaryFiles(in: interrupted))
            if !left.subtracting(leftTemporaryFiles).isEmpty {
                insideWrite += 1
                if targeted { targetedInsideWrite += 1 }
            }
            leftTemporaryFiles.formUnion(left)
        }
        let summary =
            "\(kills) kills, \(insideWrite) inside a checkpoint write (\(targetedInsideWrite) of the 10 "
            + "write-targeted ones), \(leftTemporaryFiles.count) temporary files left by them; "
            + "straight run: \(String(format: "%.2f", firstUpdate)) s to the first update, then \(String(format: "%.3f", update)) s per update"
        print("kill campaign: \(summary)")
        #expect(kills == 20, "\(summary)")
        #expect(insideWrite >= 3, "too few kills landed inside a checkpoint write: \(summary)")
        // The resumed runs removed every temporary file the kills left.
        #expect(temporaryFiles(in: interrupted).isEmpty, "\(summary)")

        let expected = try tensors(of: straight, step: steps), resumed = try tensors(of: interrupted, step: steps)
        #expect(expected.keys.contains { $0.hasPrefix("targets.") })  // the EMA teacher
        let differ = differing(expected, resumed)
        #expect(differ.isEmpty, "\(differ.count) tensors differ after \(summary): \(differ.prefix(5))")
        let loggedSteps = try MetricsLog.read(from: interrupted.appendingPathComponent("metrics.jsonl")).records
            .map(\.step)
        #expect(loggedSteps == Array(1...steps), "\(summary)")
    }

    // MARK: Full disk

    /// A run stopped after update 2 (its checkpoint of update 3 deleted) resumes under
    /// `ulimit -f` below a checkpoint's size, with SIGXFSZ ignored so that `write` fails with
    /// EFBIG as on a full disk. The resume trains update 3, fails to save it, and exits with the
    /// checkpoint's name and the system's reason; checkpoint 2 is intact and the temporary file
    /// is gone. A resume without the limit then ends as the uninterrupted run did.
    @Test("a checkpoint write that runs out of space exits naming the file and the cause, keeps the previous checkpoint and leaves no temporary file")
    func fullDisk() throws {
        let binary = try binary()
        let corpus = try base.writeCorpus()
        let config = try base.writeConfiguration(objective: "music2vec", steps: 3)
        let run = directory.file("run")
        let arguments = arguments(config: config, corpus: corpus, run: run)
        #expect(try base.runToCompletion(binary, arguments, log: directory.file("first.log")) == 0)
        let store = try CheckpointStore(directory: run.appendingPathComponent("checkpoints"))
        #expect(try store.steps() == [2, 3])
        let expected = try tensors(of: run, step: 3)
        let third = store.url(forStep: 3)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: third.path)[.size] as? Int)
        try FileManager.default.removeItem(at: third)
        try FileManager.default.removeItem(at: run.appendingPathComponent("encoder.safetensors"))

        // ulimit -f counts 512-byte blocks in dash, 1 KiB ones in bash: either way the limit is
        // under a checkpoint's size and far over metrics.jsonl's.
        let blocks = size / 4096
        try #require(blocks * 512 > 100_000, "a checkpoint of \(size) bytes is too small to separate from the log")
        let log = directory.file("full.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let limited = Process()
        limited.executableURL = URL(fileURLWithPath: "/bin/sh")
        limited.arguments = ["-c", "trap '' XFSZ; ulimit -f \(blocks); exec \"$0\" \"$@\"", binary.path] + arguments
        limited.standardOutput = output
        limited.standardError = output
        try limited.run()
        limited.waitUntilExit()
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(limited.terminationReason == .exit && limited.terminationStatus != 0, "\(text)")
        // One line: the checkpoint, the failed call on its temporary file, the system's reason.
        let errorLine = text.split(separator: "\n").first { $0.hasPrefix("Error:") }.map(String.init) ?? ""
        #expect(errorLine.contains(third.path) && errorLine.contains("File too large"), "\(text)")
        #expect(!text.contains("Fatal error") && !text.contains("Backtrace") && !text.contains("Crash"), "\(text)")
        #expect(try store.steps() == [2])
        #expect(try store.load(step: 2).step == 2)
        #expect(temporaryFiles(in: run).isEmpty)

        #expect(try base.runToCompletion(binary, arguments, log: directory.file("after.log")) == 0)
        let differ = differing(expected, try tensors(of: run, step: 3))
        #expect(differ.isEmpty, "\(differ.count) tensors differ: \(differ.prefix(5))")
    }

    // MARK: Damaged newest checkpoint

    enum Damage: String, CaseIterable, Sendable {
        case truncated, flippedByte
    }

    /// A finished run of 3 updates whose newest checkpoint is then cut to half its length or
    /// has one data byte flipped: `--resume` passes over it with a warning naming it, resumes
    /// from update 2, trains update 3 again and writes the same checkpoint as before.
    @Test("a truncated or corrupt newest checkpoint: --resume falls back to the previous one, says so and ends as before",
          arguments: Damage.allCases)
    func damagedNewest(damage: Damage) throws {
        let binary = try binary()
        let corpus = try base.writeCorpus()
        let config = try base.writeConfiguration(objective: "music2vec", steps: 3)
        let run = directory.file("run")
        let arguments = arguments(config: config, corpus: corpus, run: run)
        #expect(try base.runToCompletion(binary, arguments, log: directory.file("first.log")) == 0)
        let expected = try tensors(of: run, step: 3)
        let newest = try CheckpointStore(directory: run.appendingPathComponent("checkpoints")).url(forStep: 3)
        var bytes = try Data(contentsOf: newest)
        switch damage {
        case .truncated: bytes = bytes.prefix(bytes.count / 2)
        case .flippedByte: bytes[bytes.count - 100] ^= 0x10
        }
        try bytes.write(to: newest)

        let log = directory.file("resume.log")
        #expect(try base.runToCompletion(binary, arguments, log: log) == 0)
        let text = try String(contentsOf: log, encoding: .utf8)
        let warning = "warning: skipped a damaged checkpoint (using step 2 instead): [checkpoint] \(newest.path): "
        // The reader's reason: the data buffer ends before a tensor does, or the checksum differs.
        let reason = damage == .truncated ? "past the" : "the file is corrupt"
        let line = text.split(separator: "\n").first { $0.hasPrefix(warning) }
        #expect(line?.contains(reason) == true, "\(text)")
        // Shown when the resume finds it, before the training it resumes (the last progress line).
        let warned = text.range(of: warning), trained = text.range(of: "step 3/3")
        #expect(warned != nil && trained != nil && warned!.lowerBound < trained!.lowerBound, "\(text)")
        #expect(text.contains("resumed at update 2; trained 3 updates"), "\(text)")
        let differ = differing(expected, try tensors(of: run, step: 3))
        #expect(differ.isEmpty, "\(differ.count) tensors differ: \(differ.prefix(5))")
        let steps = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records.map(\.step)
        #expect(steps == [1, 2, 3])
    }

    // MARK: NaN in the audio

    /// A 32-bit float WAV (written by hand: the encoder refuses non-finite samples) whose every
    /// 50th sample is NaN.
    func writeNaNWave(to url: URL, seconds: Int, rate: Int = 16_000) throws {
        let frames = seconds * rate
        var data = Data()
        func le32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func le16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); le32(UInt32(36 + 4 * frames))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); le32(16)
        le16(3); le16(1); le32(UInt32(rate)); le32(UInt32(4 * rate)); le16(4); le16(32)
        data.append(contentsOf: Array("data".utf8)); le32(UInt32(4 * frames))
        for n in 0..<frames {
            let value: Float = n % 50 == 7 ? .nan : Float(0.3 * sin(2 * Double.pi * 220 * Double(n) / Double(rate)))
            le32(value.bitPattern)
        }
        try data.write(to: url)
    }

    /// Decoding rejects a window holding NaN (``NonFiniteSampleHandling/reject``, the
    /// default), so the crop loader skips that file with a warning naming it and the frame, and
    /// the NaN never reaches a batch: the run trains on the other files with finite losses. A
    /// corpus of nothing but such files stops with an error instead of training on nothing.
    @Test("a corpus file with NaN samples is skipped with a warning naming it; training stays finite")
    func nanSamples() throws {
        let binary = try binary()
        let corpus = try base.writeCorpus()
        // Long, so that crops (drawn in proportion to duration) land in it.
        let poisoned = corpus.appendingPathComponent("poisoned.wav")
        try writeNaNWave(to: poisoned, seconds: 20)
        let config = try base.writeConfiguration(objective: "music2vec", steps: 2)
        let run = directory.file("run")
        let log = directory.file("nan.log")
        #expect(try base.runToCompletion(binary, arguments(config: config, corpus: corpus, run: run), log: log) == 0)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(
            text.contains("skipped \(poisoned.path), which no longer decodes")
                && text.contains("non-finite sample (NaN or infinity) at frame"), "\(text)")
        let records = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records
        #expect(records.map(\.step) == [1, 2] && records.allSatisfy { $0.loss.isFinite })

        let onlyNaN = directory.file("only-nan")
        try FileManager.default.createDirectory(at: onlyNaN, withIntermediateDirectories: true)
        try writeNaNWave(to: onlyNaN.appendingPathComponent("a.wav"), seconds: 2)
        let failedLog = directory.file("only-nan.log")
        let status = try base.runToCompletion(
            binary, arguments(config: config, corpus: onlyNaN, run: directory.file("run-nan")), log: failedLog)
        let failedText = try String(contentsOf: failedLog, encoding: .utf8)
        #expect(status != 0 && failedText.contains("every file failed to decode"), "\(failedText)")
        #expect(!failedText.contains("Fatal error"), "\(failedText)")
    }

    // MARK: The NaN guard

    /// Audio cannot carry a NaN into a batch (above), and Music2vec's normalisation tames even
    /// samples of 3·10^38, so the guard is met here the way a run meets it: a learning rate of
    /// 10^30 sends the parameters to infinity after update 1, and update 2's loss is NaN. The
    /// run stops naming update 2, keeps update 1's checkpoint and writes nothing more.
    @Test("a loss that turns NaN stops msl pretrain naming the update and keeping the last good checkpoint")
    func nonFiniteLoss() throws {
        let binary = try binary()
        let corpus = try base.writeCorpus()
        let config = try base.writeConfiguration(objective: "music2vec", steps: 3)
        let run = directory.file("run")
        let log = directory.file("nan-loss.log")
        let status = try base.runToCompletion(
            binary,
            arguments(config: config, corpus: corpus, run: run)
                + ["--set", "optimization.learning_rate=1e30", "--set", "optimization.warmup_steps=0"],
            log: log)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(status == 1, "\(text)")
        #expect(
            text.contains(
                "Error: the loss became NaN or infinite at update 2; the last good checkpoint (update 1) is kept"),
            "\(text)")
        #expect(!text.contains("Fatal error"), "\(text)")
        let store = try CheckpointStore(directory: run.appendingPathComponent("checkpoints"))
        #expect(try store.steps() == [1])
        // It verifies whole (its parameters are update 1's, already huge: hence the advice).
        #expect(try store.load(step: 1).step == 1)
        #expect(temporaryFiles(in: run).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("encoder.safetensors").path))
        let steps = try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records.map(\.step)
        #expect(steps == [1])
    }
}
