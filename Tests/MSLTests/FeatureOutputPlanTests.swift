import Foundation
import MusicSSLTestSupport
import Testing

@testable import msl

@Suite("Feature output planning")
struct FeatureOutputPlanTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    private func plan(
        _ inputs: [String], _ output: String, overwriting: Bool = false
    ) throws
        -> FeatureOutputPlan
    {
        try FeatureOutputPlan(inputs: inputs, output: output, allowsOverwriting: overwriting)
    }

    @Test("one input and a .npy name writes that file")
    func singleFile() throws {
        let out = directory.file("song.npy").path
        let plan = try plan(["/music/a.flac"], out)
        #expect(plan.directory == nil)
        #expect(plan.jobs.map(\.output.path) == [out])
    }

    @Test("many inputs, or a name without .npy, go into a directory named by basename")
    func directoryOutput() throws {
        let out = directory.file("features").path
        let plan = try plan(["/music/a.flac", "/other/b.song.mp3", "c"], out)
        #expect(plan.directory?.path == out)
        #expect(
            plan.jobs.map(\.output.lastPathComponent) == ["a.npy", "b.song.npy", "c.npy"])
        #expect(plan.jobs.map(\.input.lastPathComponent) == ["a.flac", "b.song.mp3", "c"])
        let single = try self.plan(["/music/a.flac"], out + "/")
        #expect(single.jobs.map(\.output.path) == [out + "/a.npy"])
        // An existing directory is a directory even when its name ends in .npy.
        let odd = directory.file("odd.npy")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: false)
        #expect(
            try self.plan(["/music/a.flac"], odd.path).jobs[0].output.path
                == odd.path + "/a.npy")
    }

    @Test("ambiguous or destructive plans are refused before any work")
    func refusals() throws {
        let out = directory.file("features").path
        #expect(throws: FeatureOutputError.noInputs) { try plan([], out) }
        #expect(throws: FeatureOutputError.fileForManyInputs(out + ".npy", inputCount: 2)) {
            try plan(["a.wav", "b.wav"], out + ".npy")
        }
        #expect(
            throws: FeatureOutputError.collidingOutputs(
                out + "/a.npy", inputs: ["/x/a.wav", "/y/a.mp3"])
        ) {
            try plan(["/x/a.wav", "/y/a.mp3"], out)
        }
        let file = directory.file("taken")
        try Data().write(to: file)
        #expect(throws: FeatureOutputError.notADirectory(file.path)) {
            try plan(["a.wav", "b.wav"], file.path)
        }
        let existing = directory.file("a.npy")
        try Data().write(to: existing)
        #expect(throws: FeatureOutputError.outputsExist([existing.path])) {
            try plan(["/x/a.wav"], existing.path)
        }
        #expect(try plan(["/x/a.wav"], existing.path, overwriting: true).jobs.count == 1)
        #expect(
            FeatureOutputError.outputsExist(["1", "2", "3", "4", "5"]).description
                == "1, 2, 3 and 2 more already exist; pass --overwrite to replace")
    }
}
