import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// A write killed at any byte leaves one of two states: the temporary file holds a prefix of the
/// new checkpoint and the final name is untouched, or (after the rename) the final name holds the
/// complete file. Both, and the state only a power loss on a reordering file system could reach
/// (a prefix under the final name), are laid out here byte by byte, as a killed writer leaves
/// them, rather than by killing a process at a random moment, so every byte is covered.
@Suite("Checkpoint interruption")
struct CheckpointInterruptionTests {
    let directory: TemporaryDirectory
    let store: CheckpointStore
    /// The complete bytes of the checkpoint of step 200, the one being "written".
    let newBytes: [UInt8]

    init() throws {
        directory = try TemporaryDirectory()
        store = try CheckpointStore(directory: directory.file("run"), keepCount: 2)
        try store.save(step: 100, tensors: exampleTensors(seed: 1), metadata: #"{"step":100}"#)
        let scratch = try CheckpointStore(directory: directory.file("scratch"))
        let written = try scratch.save(
            step: 200, tensors: exampleTensors(seed: 2), metadata: #"{"step":200}"#)
        newBytes = [UInt8](try Data(contentsOf: written.url))
    }

    @Test("a kill before the rename, at any byte, leaves the previous checkpoint and no litter")
    func killBeforeRename() throws {
        let temporary = store.directory.appendingPathComponent(
            ".checkpoint-000000200.safetensors.\(UUID().uuidString).partial")
        for length in 0...newBytes.count {
            try Data(newBytes[0..<length]).write(to: temporary)
            let search = try store.latest()
            #expect(search.checkpoint?.step == 100, "prefix of \(length) bytes")
            #expect(search.rejected.isEmpty)
            #expect(
                search.removedTemporaryFiles.map(\.lastPathComponent)
                    == [temporary.lastPathComponent])
            #expect(!FileManager.default.fileExists(atPath: temporary.path))
        }
    }

    @Test("a prefix of any length under the final name is rejected by name; the whole file is used")
    func truncatedFinalFile() throws {
        let url = store.url(forStep: 200)
        for length in 0...newBytes.count {
            try Data(newBytes[0..<length]).write(to: url)
            let search = try store.latest()
            if length == newBytes.count {
                #expect(search.checkpoint?.step == 200)
                #expect(search.rejected.isEmpty)
            } else {
                #expect(search.checkpoint?.step == 100, "prefix of \(length) bytes")
                #expect(search.rejected.map(\.path) == [url.path], "prefix of \(length) bytes")
            }
        }
    }

    @Test("any single damaged byte of the new file is caught")
    func everyByteFlipIsCaught() throws {
        let url = store.url(forStep: 200)
        for position in newBytes.indices {
            var damaged = newBytes
            damaged[position] ^= 0x01
            try Data(damaged).write(to: url)
            let search = try store.latest()
            #expect(search.checkpoint?.step == 100, "byte \(position) flipped")
            #expect(search.rejected.count == 1, "byte \(position) flipped")
        }
    }

    @Test(
        "a kill after the rename but before old checkpoints are deleted is tidied by the next save")
    func killBeforePruning() throws {
        // Step 200 complete, but the older ones not yet deleted: three files with keep count 2.
        let older = try CheckpointStore(directory: directory.file("older"))
        let fifty = try older.save(step: 50, tensors: exampleTensors(seed: 3), metadata: "{}")
        try FileManager.default.copyItem(at: fifty.url, to: store.url(forStep: 50))
        try Data(newBytes).write(to: store.url(forStep: 200))
        #expect(try store.steps() == [50, 100, 200])
        #expect(try store.latest().checkpoint?.step == 200)
        try store.save(step: 300, tensors: exampleTensors(seed: 4), metadata: "{}")
        #expect(try store.steps() == [200, 300])
    }
}
