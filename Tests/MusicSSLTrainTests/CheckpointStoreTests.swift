import Foundation
import MusicSSLTestSupport
import MusicSSLTrain
import Testing

/// A trainer state as the lead's trainer might store it.
struct ExampleTrainerState: Codable, Equatable {
    var step: Int
    var seed: UInt64
    var batchIndex: Int
    var configuration: [String: String]
}

/// Small named tensors standing in for model parameters and optimizer moments; `seed` varies
/// their values.
func exampleTensors(seed: UInt64) -> [String: Tensor] {
    var generator = SplitMix64(seed: seed)
    return [
        "model.encoder.weight": Tensor.randomNormal([4, 6], using: &generator),
        "model.encoder.bias": Tensor.randomNormal([6], using: &generator),
        "optimizer.encoder.weight.exp_avg": Tensor.randomNormal([4, 6], using: &generator),
        "optimizer.step_count": Tensor([Float(seed)]),
    ]
}

@Suite("Checkpoint store")
struct CheckpointStoreTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    @Test("a saved checkpoint loads back bit for bit with its trainer state")
    func roundTrip() throws {
        let store = try CheckpointStore(directory: directory.url, keepCount: 2)
        let tensors = exampleTensors(seed: 1)
        let state = ExampleTrainerState(
            step: 120, seed: 7, batchIndex: 480, configuration: ["mask_prob": "0.8"])
        let report = try store.save(step: 120, tensors: tensors, trainerState: state)
        #expect(report.url.lastPathComponent == "checkpoint-000000120.safetensors")
        #expect(try directory.contents() == ["checkpoint-000000120.safetensors"])

        let search = try store.latest()
        let checkpoint = try #require(search.checkpoint)
        #expect(search.rejected.isEmpty && search.warnings.isEmpty)
        #expect(checkpoint.step == 120)
        #expect(try checkpoint.decodeTrainerState(as: ExampleTrainerState.self) == state)
        let loaded = try checkpoint.allTensors()
        #expect(Set(loaded.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            #expect(loaded[name]?.shape == tensor.shape)
            #expect(loaded[name]?.scalars == tensor.scalars, "\(name)")
        }
        let model = try checkpoint.tensors(withPrefix: "model.")
        #expect(Set(model.keys) == ["encoder.weight", "encoder.bias"])
        #expect(try store.load(step: 120).trainerState == checkpoint.trainerState)
    }

    @Test("the file is a plain safetensors file with the step and state in its metadata")
    func fileFormat() throws {
        let store = try CheckpointStore(directory: directory.url)
        try store.save(step: 5, tensors: exampleTensors(seed: 2), metadata: #"{"step":5}"#)
        let file = try SafeTensorsFile(contentsOf: store.url(forStep: 5))
        #expect(file.metadata["format"] == "musicssl-training-checkpoint")
        #expect(file.metadata["format_version"] == "1")
        #expect(file.metadata["step"] == "5")
        #expect(file.metadata["trainer_state"] == #"{"step":5}"#)
        #expect(file.metadata["data_byte_count"] == String((24 + 6 + 24 + 1) * 4))
        #expect(file.metadata["content_xxh64"]?.count == 16)
        #expect(file.tensorNames.count == 4)
    }

    @Test("only the newest K checkpoints are kept, deleted after the new one is in place")
    func keepsLastK() throws {
        let store = try CheckpointStore(directory: directory.url, keepCount: 2)
        for step in [10, 20, 30, 40] {
            let report = try store.save(
                step: step, tensors: exampleTensors(seed: UInt64(step)), metadata: "{}")
            #expect(report.warnings.isEmpty)
            if step >= 30 {
                #expect(
                    report.removedFiles.map(\.lastPathComponent)
                        == [CheckpointStore.fileName(forStep: step - 20)])
            }
        }
        #expect(try store.steps() == [30, 40])
        #expect(try store.latest().checkpoint?.step == 40)
    }

    @Test("saving after resuming from an earlier step deletes the abandoned later checkpoints")
    func savingDropsLaterSteps() throws {
        let store = try CheckpointStore(directory: directory.url, keepCount: 3)
        for step in [100, 200, 300] {
            try store.save(step: step, tensors: exampleTensors(seed: 1), metadata: "{}")
        }
        // The run resumed from step 100 (say 200 and 300 were damaged) and reaches 150.
        let report = try store.save(step: 150, tensors: exampleTensors(seed: 2), metadata: "{}")
        #expect(
            Set(report.removedFiles.map(\.lastPathComponent))
                == [CheckpointStore.fileName(forStep: 200), CheckpointStore.fileName(forStep: 300)])
        #expect(try store.steps() == [100, 150])
    }

    @Test("a damaged newest checkpoint is reported by name and the previous one is used")
    func corruptNewestFallsBack() throws {
        let store = try CheckpointStore(directory: directory.url, keepCount: 3)
        try store.save(step: 1, tensors: exampleTensors(seed: 1), metadata: #"{"a":1}"#)
        try store.save(step: 2, tensors: exampleTensors(seed: 2), metadata: #"{"a":2}"#)
        let url = store.url(forStep: 2)
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count - 3] ^= 0x40  // inside the last tensor's data
        try Data(bytes).write(to: url)

        let search = try store.latest()
        #expect(search.checkpoint?.step == 1)
        let rejected = try #require(search.rejected.first)
        #expect(rejected.path == url.path)
        guard case .checksumMismatch = rejected.fault else {
            Issue.record("expected a checksum mismatch, got \(rejected)")
            return
        }
        #expect(search.warnings.count == 1)
        #expect(search.warnings[0].contains("checkpoint-000000002.safetensors"))
        #expect(search.warnings[0].contains("using step 1 instead"))
        #expect(throws: CheckpointError.self) { try store.load(step: 2) }
    }

    @Test("errors name the file: missing step, foreign file, bad arguments")
    func errors() throws {
        let store = try CheckpointStore(directory: directory.url)
        #expect(
            throws: CheckpointError(
                path: store.url(forStep: 9).path, .noSuchCheckpoint(step: 9))
        ) { try store.load(step: 9) }
        // A safetensors file that is not a training checkpoint.
        try SafeTensorsWriter.write(["w": Tensor([1, 2])], to: store.url(forStep: 3))
        #expect(
            throws: CheckpointError(
                path: store.url(forStep: 3).path, .missingMetadata(key: "format"))
        ) { try store.load(step: 3) }
        #expect(throws: CheckpointError.self) {
            try store.save(step: -1, tensors: [:], metadata: "{}")
        }
        #expect(throws: CheckpointError.self) {
            try store.save(step: 1, tensors: [:], metadata: "{not json")
        }
        #expect(throws: CheckpointError.self) {
            try store.save(step: 1, tensors: ["__metadata__": Tensor([1])], metadata: "{}")
        }
        #expect(throws: CheckpointError.self) {
            _ = try CheckpointStore(directory: directory.url, keepCount: 0)
        }
        let description = CheckpointError(
            path: "/run/checkpoint-000000002.safetensors",
            .truncated(expectedByteCount: 400, actualByteCount: 12)
        ).description
        #expect(description.hasPrefix("[checkpoint] /run/checkpoint-000000002.safetensors: "))
        #expect(description.contains("cut short"))
    }

    @Test("file names pad the step to nine digits and parse back")
    func fileNames() {
        #expect(CheckpointStore.fileName(forStep: 1200) == "checkpoint-000001200.safetensors")
        #expect(CheckpointStore.step(fromFileName: "checkpoint-000001200.safetensors") == 1200)
        #expect(
            CheckpointStore.step(fromFileName: "checkpoint-1234567890.safetensors")
                == 1_234_567_890)
        #expect(CheckpointStore.step(fromFileName: "checkpoint-12a.safetensors") == nil)
        #expect(
            CheckpointStore.step(fromFileName: ".checkpoint-000000001.safetensors.x.partial")
                == nil)
    }
}
