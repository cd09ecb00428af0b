import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// `mpirun -np 2 msl pretrain`: two ranks of batch B end where one process of batch 2B ends, a
/// rank killed with SIGKILL stops the job and a resume under mpirun continues it exactly, and
/// an error on one rank ends every rank with its message.
extension PretrainCommandTests {
    /// The msl binary built next to the test bundle.
    func mslBinary() throws -> URL {
        try MPILaunch.requireMSLBinary()
    }

    /// Starts `msl arguments` as `ranks` MPI ranks, output to `log`; an issue is recorded
    /// (a failure) without mpirun.
    func startMPI(ranks: Int, _ arguments: [String], log: URL) throws -> Process {
        _ = try #require(MPILaunch.mpirunOrIssue())
        return try MPILaunch.start(ranks: ranks, binary: try mslBinary(), arguments: arguments, log: log)
    }

    /// The model's and the targets' tensors of `run`'s checkpoint of update `step`.
    func trainedTensors(_ run: URL, step: Int) throws -> [String: Tensor] {
        let checkpoint = try CheckpointStore(directory: run.appendingPathComponent("checkpoints")).load(step: step)
        return try checkpoint.allTensors().filter { $0.key.hasPrefix("model.") || $0.key.hasPrefix("targets.") }
    }

    @Test(
        "2 ranks × batch 2 end with the parameters of 1 process × batch 4 (1e-5 of each tensor's scale)",
        arguments: ["musichubert", "music2vec"])
    func dataParallelEquivalence(objective: String) throws {
        let corpus = try writeCorpus()
        let config = try writeConfiguration(objective: objective, steps: 4)
        var common = ["pretrain", "--config", config.path, "--corpus", corpus.path]
        if objective == "musichubert" { common += ["--labels", try writeLabels(of: corpus).path] }
        let one = directory.file("one"), two = directory.file("two")
        let single = try start(
            try mslBinary(), common + ["--out", one.path, "--set", "data.batch_size=4"], log: directory.file("one.log"))
        single.waitUntilExit()
        #expect(single.terminationStatus == 0, "see \(directory.file("one.log").path)")
        let parallel = try startMPI(ranks: 2, common + ["--out", two.path], log: directory.file("two.log"))
        parallel.waitUntilExit()
        #expect(parallel.terminationStatus == 0, "see \(directory.file("two.log").path)")

        let expected = try trainedTensors(one, step: 4), actual = try trainedTensors(two, step: 4)
        #expect(expected.keys.sorted() == actual.keys.sorted())
        // Relative to each tensor's largest magnitude, floored at 0.01: the key projections'
        // biases have an exact gradient of zero, so they hold rounding noise (~1e-8) that Adam
        // moves; every other tensor agrees to about 1e-6 relative.
        var worst = (name: "", ratio: Float(0))
        for (name, tensor) in expected {
            guard let other = actual[name] else { continue }
            let scale = Swift.max(tensor.scalars.map(abs).max() ?? 0, 0.01)
            let ratio = tensor.maximumDifference(to: other) / scale
            if ratio > worst.ratio { worst = (name, ratio) }
        }
        #expect(worst.ratio <= 1e-5, "\(worst.name) differs by \(worst.ratio) of its scale")
        let losses = { (run: URL) in try MetricsLog.read(from: run.appendingPathComponent("metrics.jsonl")).records.map(\.loss) }
        let (oneLosses, twoLosses) = (try losses(one), try losses(two))
        #expect(oneLosses.count == 4 && twoLosses.count == 4)
        for (a, b) in zip(oneLosses, twoLosses) { #expect(abs(a - b) <= 1e-5 * max(abs(a), 1)) }
    }

    @Test("A rank killed with SIGKILL stops the job with mpirun's message; resumed under mpirun it ends exactly")
    func killedRankAndResume() throws {
        let corpus = try writeCorpus()
        let config = try writeConfiguration(objective: "music2vec", steps: 8)
        func arguments(_ run: URL) -> [String] {
            ["pretrain", "--config", config.path, "--corpus", corpus.path, "--out", run.path, "--resume"]
        }
        let straight = directory.file("straight")
        let uninterrupted = try startMPI(ranks: 2, arguments(straight), log: directory.file("straight.log"))
        uninterrupted.waitUntilExit()
        #expect(uninterrupted.terminationStatus == 0, "see \(directory.file("straight.log").path)")

        // Kill rank 1 once the run has written its second checkpoint.
        let killed = directory.file("killed"), log = directory.file("killed.log")
        let job = try startMPI(ranks: 2, arguments(killed), log: log)
        let checkpoints = killed.appendingPathComponent("checkpoints")
        let deadline = Date().addingTimeInterval(120)
        while job.isRunning, Date() < deadline,
              ((try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? [])
                .filter({ $0.hasSuffix(".safetensors") }).count < 2 {
            usleep(20_000)
        }
        let ranks = childProcesses(of: job.processIdentifier)
        try #require(job.isRunning && ranks.count == 2, "the job ended before a rank could be killed (see \(log.path))")
        kill(ranks.max()!, SIGKILL)
        let status = waitForExit(job, seconds: 60)
        if status == nil { job.terminate() }
        #expect(status != nil && status != 0, "the job must stop, not hang, when a rank dies")
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("exited on signal 9"), "mpirun names the dead rank: \(output.suffix(600))")
        let search = try CheckpointStore(directory: checkpoints).latest()
        #expect(search.checkpoint != nil, "the last checkpoint stays valid")

        let resumed = try startMPI(ranks: 2, arguments(killed), log: directory.file("resumed.log"))
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0, "see \(directory.file("resumed.log").path)")
        let expected = try CheckpointStore(directory: straight.appendingPathComponent("checkpoints")).load(step: 8)
        let actual = try CheckpointStore(directory: checkpoints).load(step: 8)
        let (a, b) = (try expected.allTensors(), try actual.allTensors())
        #expect(a.keys.sorted() == b.keys.sorted())
        let differing = a.keys.sorted().filter { a[$0]?.scalars != b[$0]?.scalars }
        #expect(differing.isEmpty, "\(differing.count) tensors differ after the resume: \(differing.prefix(5))")
    }

    @Test("An error on one rank ends every rank with that rank's message")
    func errorOnOneRank() throws {
        let corpus = try writeCorpus()
        let config = try writeConfiguration(objective: "music2vec", steps: 2)
        let run = directory.file("run")
        let arguments = ["pretrain", "--config", config.path, "--corpus", corpus.path, "--out", run.path]
        #expect(try runToCompletion(try mslBinary(), arguments, log: directory.file("first.log")) == 0)
        // Rank 0 refuses to start afresh over a finished run; rank 1 waits for it in a broadcast.
        let log = directory.file("second.log")
        let job = try startMPI(ranks: 2, arguments, log: log)
        let status = waitForExit(job, seconds: 60)
        if status == nil { job.terminate() }
        #expect(status != nil && status != 0)
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("Error on rank 0 of 2"), "\(output.suffix(600))")
        #expect(output.contains("already holds a run"), "\(output.suffix(600))")
    }

    @Test("A resume with another rank count says that the global batch changes")
    func resumeWithOtherRankCount() throws {
        let corpus = try writeCorpus()
        let config = try writeConfiguration(objective: "music2vec", steps: 2)
        let run = directory.file("run")
        let arguments = ["pretrain", "--config", config.path, "--corpus", corpus.path, "--out", run.path, "--resume"]
        let job = try startMPI(ranks: 2, arguments, log: directory.file("two.log"))
        job.waitUntilExit()
        #expect(job.terminationStatus == 0, "see \(directory.file("two.log").path)")
        let log = directory.file("one.log")
        #expect(try runToCompletion(try mslBinary(), arguments, log: log) == 0)
        let output = try String(contentsOf: log, encoding: .utf8)
        #expect(output.contains("written by a job of 2 rank(s), this one has 1"), "\(output)")
    }

    /// The process ids whose parent is `parent` (the ranks mpirun started).
    private func childProcesses(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }
}
