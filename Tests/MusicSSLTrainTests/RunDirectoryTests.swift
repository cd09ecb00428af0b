import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Run directory")
struct RunDirectoryTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test("opening lays out the folder, stores the configuration and names the files")
    func layout() throws {
        let run = try RunDirectory(url: directory.file("tiny"))
        #expect(try run.storedConfiguration() == nil)
        try run.writeConfiguration("model: tiny\nseed: 1\n")
        #expect(try run.storedConfiguration() == "model: tiny\nseed: 1\n")
        let store = try run.checkpointStore(keepCount: 2)
        #expect(store.directory.path == run.checkpointsURL.path)
        #expect(run.metricsURL.lastPathComponent == "metrics.jsonl")
        #expect(run.lossCurveURL.lastPathComponent == "loss_curve.svg")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: run.url.path).sorted()
                == ["checkpoints", "config.yaml", "run.lock"])
        #expect(try String(contentsOf: run.lockURL, encoding: .utf8) == "\(getpid())\n")
    }

    @Test("a second opening fails naming the holder's process id until the first is released")
    func lockInProcess() throws {
        let url = directory.file("run")
        let first = try RunDirectory(url: url)
        #expect(
            throws: RunDirectoryError(
                path: url.path,
                .locked(
                    processID: Int(getpid()), lockFile: url.appendingPathComponent("run.lock").path)
            )
        ) { _ = try RunDirectory(url: url) }
        first.release()
        _ = try RunDirectory(url: url)
    }

    @Test("a lock held by another process blocks the directory; killing that process frees it")
    func lockAcrossProcesses() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") else { return }
        let url = directory.file("run")
        try RunDirectory(url: url).release()  // creates the folder and lock file
        let lock = url.appendingPathComponent("run.lock").path
        // A shell that writes its pid, then becomes flock (same pid) holding the lock while
        // `cat` waits on a pipe; -o keeps the lock out of cat, so only flock's process holds it.
        let holder = try spawnWithInputPipe(
            "/bin/sh", ["-c", "echo $$ > '\(lock)'; exec /usr/bin/flock -o '\(lock)' cat"])
        // Closing the pipe lets cat end once flock is gone.
        defer { close(holder.input) }

        // Wait until flock holds the lock, probing with a bare flock: a RunDirectory probe
        // would write its own pid into the file while it briefly held the lock.
        let isHeld = eventually {
            let probe = open(lock, O_RDONLY | O_CLOEXEC)
            defer { close(probe) }
            return probe >= 0 && flock(probe, LOCK_EX | LOCK_NB) != 0
        }
        try #require(isHeld, "the flock process never took the lock")
        var observed: RunDirectoryError?
        do {
            try RunDirectory(url: url).release()
        } catch let error as RunDirectoryError {
            observed = error
        }
        let error = try #require(observed)
        #expect(error.fault == .locked(processID: Int(holder.pid), lockFile: lock))
        #expect(error.description.contains("process \(holder.pid)"))

        kill(holder.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(holder.pid, &status, 0) < 0 && errno == EINTR {}
        // The kernel drops the lock with the process: the directory opens again.
        let reopened = eventually {
            guard let run = try? RunDirectory(url: url) else { return false }
            run.release()
            return true
        }
        #expect(reopened)
    }
}

/// Starts `path` with `arguments` and its standard input on a new pipe; returns its process id
/// and the pipe's write end. (posix_spawn and waitpid rather than Foundation's Process, whose
/// exit monitoring needs a run loop that a test does not spin.)
private func spawnWithInputPipe(
    _ path: String, _ arguments: [String]
) throws -> (pid: pid_t, input: Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw POSIXError(.EIO) }
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
    posix_spawn_file_actions_addclose(&actions, ends[0])
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(ends[0])
    guard result == 0 else {
        close(ends[1])
        throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO)
    }
    return (pid, ends[1])
}
