import Foundation
import MusicSSLTestSupport
import Testing

/// Reading `torch.save` checkpoints written by the fixture generator
/// (Tests/FixtureGenerators/torch_checkpoints.py) with the restricted unpickler.
@Suite("PyTorch checkpoints")
struct TorchCheckpointTests {
    private func fixture(_ name: String) throws -> URL {
        let url = Bundle.module.url(
            forResource: "Fixtures/torch/\(name)", withExtension: "pt")
        return try #require(url, "missing fixture torch/\(name).pt")
    }

    @Test(
        "state dict tensors match torch's values exactly",
        arguments: ["state_dict", "state_dict_protocol4"])
    func stateDictMatchesTorch(name: String) throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture(name))
        let tensors = try checkpoint.stateDict()
        let expected = try Fixture.load("torch/expected", in: .module)
        #expect(
            Set(tensors.keys)
                == Set(expected.keys).union(["steps", "count"]))
        for (key, reference) in expected {
            let tensor = try #require(tensors[key])
            #expect(tensor.shape == reference.shape, "\(key)")
            // Every conversion (f16, bf16 exact; f64 rounded as torch's .float()) is exact.
            #expect(tensor.scalars == reference.scalars, "\(key)")
        }
    }

    @Test("a Module.state_dict() with _metadata and weight-norm parametrizations reads exactly")
    func moduleStateDict() throws {
        let tensors = try TorchCheckpoint(contentsOf: try fixture("module")).stateDict()
        let expected = try Fixture.load("torch/module", in: .module)
        #expect(Set(tensors.keys) == Set(expected.keys))
        #expect(tensors["2.parametrizations.weight.original1"]?.shape == [4, 2, 3])
        for (key, reference) in expected {
            #expect(tensors[key]?.shape == reference.shape, "\(key)")
            #expect(tensors[key]?.scalars == reference.scalars, "\(key)")
        }
    }

    @Test("views share one storage and keep their strides")
    func sharedStorage() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("state_dict"))
        let references = Dictionary(
            uniqueKeysWithValues: try checkpoint.tensorReferences().map { ($0.name, $0.reference) })
        let full = try #require(references["shared.full"])
        let transposed = try #require(references["shared.transposed"])
        let slice = try #require(references["shared.slice"])
        #expect(transposed.storage == full.storage && slice.storage == full.storage)
        #expect(full.isContiguous && !transposed.isContiguous && !slice.isContiguous)
        #expect(transposed.shape == [6, 4] && transposed.strides == [1, 6])
        #expect(slice.storageOffset == 8 && slice.shape == [2, 3] && slice.strides == [6, 1])
        let gathered = try checkpoint.tensor(transposed).scalars
        let source = try checkpoint.tensor(full).scalars
        #expect(gathered[1 * 4 + 2] == source[2 * 6 + 1])
    }

    @Test("int64 tensors read as integers beyond Float32's precision")
    func integers() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("state_dict"))
        let references = try checkpoint.tensorReferences()
        let steps = try #require(references.first { $0.name == "steps" }?.reference)
        #expect(steps.storage.dtype == .int64)
        #expect(try checkpoint.integers(steps) == (0..<4).map { (1 << 40) + $0 })
        let count = try #require(references.first { $0.name == "count" }?.reference)
        #expect(count.shape == [])
        #expect(try checkpoint.integers(count) == [7])
        let weight = try #require(references.first { $0.name == "linear.weight" }?.reference)
        #expect(throws: TorchCheckpointError.self) { try checkpoint.integers(weight) }
    }

    @Test("state dict keys keep the saved order")
    func order() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("state_dict"))
        let names = try checkpoint.tensorReferences().map(\.name)
        #expect(names.prefix(3) == ["linear.weight", "shared.full", "shared.transposed"])
        #expect(names.last == "param")
    }

    @Test("fairseq-like checkpoint: model state dict, cfg, args and optimizer history")
    func fairseqLike() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("fairseq_like"))
        let model = try checkpoint.stateDict(at: ["model"])
        #expect(model["encoder.layers.0.fc1.weight"]?.shape == [4, 2])
        #expect(model["encoder.layers.0.fc1.bias"]?.shape == [4])
        let root = checkpoint.root
        #expect(root["cfg"]?["model"]?["encoder_layers"] == .int(2))
        #expect(root["cfg"]?["model"]?["dropout"] == .float(0.1))
        #expect(root["cfg"]?["model"]?["conv"] == .list([.list([.int(512), .int(10), .int(5)])]))
        #expect(root["cfg"]?["task"]?["labels"] == .list([.string("km")]))
        guard case .object(let args) = root["args"] else {
            Issue.record("args is not an object: \(String(describing: root["args"]))")
            return
        }
        #expect(args.className == "argparse.Namespace")
        #expect(root["args"]?.configuration["arch"] == .string("hubert"))
        guard case .list(let history) = root["optimizer_history"] else {
            Issue.record("optimizer_history is not a list")
            return
        }
        #expect(history.first?["num_updates"] == .int(400_000))
        #expect(history.first?["lr_scheduler_state"]?["best"] == PickleValue.none)
        #expect(root["extra_state"]?["flags"] == .tuple([.bool(true), .bool(false)]))
        #expect(throws: TorchCheckpointError.self) { try checkpoint.stateDict(at: ["cfg"]) }
        #expect(throws: TorchCheckpointError.self) { try checkpoint.stateDict(at: ["nope"]) }
    }

    @Test("omegaconf DictConfig cfg is kept as data and reads as plain dicts")
    func dictConfig() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("fairseq_dictconfig"))
        guard case .object(let cfg) = checkpoint.root["cfg"] else {
            Issue.record("cfg is not an object")
            return
        }
        #expect(cfg.className == "omegaconf.dictconfig.DictConfig")
        let plain = PickleValue.object(cfg).configuration
        #expect(plain["model"]?["_name"] == .string("hubert"))
        #expect(plain["model"]?["encoder_layers"] == .int(2))
        #expect(plain["model"]?["conv"] == .list([.list([.int(512), .int(10), .int(5)])]))
        #expect(plain["task"]?["sample_rate"] == .int(16000))
        #expect(try checkpoint.stateDict(at: ["model"]).count == 2)
    }

    @Test("a structured fairseq cfg (dataclasses, choice enums) and numpy extras read as data")
    func structuredConfig() throws {
        let checkpoint = try TorchCheckpoint(contentsOf: try fixture("fairseq_structured"))
        guard case .object(let cfg) = checkpoint.root["cfg"] else {
            Issue.record("cfg is not an object")
            return
        }
        #expect(cfg.className == "omegaconf.dictconfig.DictConfig")
        let plain = checkpoint.root["cfg"]?.configuration
        #expect(plain?["distributed_training"]?["ddp_backend"] == .string("no_c10d"))
        #expect(plain?["distributed_training"]?["world_size"] == PickleValue.none)
        #expect(plain?["lr"] == .list([.float(0.0005)]))
        #expect(plain?["label_rate"] == .float(50))
        guard case .object(let loss) = checkpoint.root["extra_state"]?["loss"] else {
            Issue.record("numpy scalar is not kept as an object")
            return
        }
        #expect(loss.className.hasSuffix("multiarray.scalar"))
        // numpy.float64(2.5) is (dtype, its 8 little-endian bytes), bytes written by _codecs.
        #expect(loss.arguments.last == .bytes(withUnsafeBytes(of: 2.5, Array.init)))
        #expect(try checkpoint.stateDict(at: ["model"]).count == 2)
    }

    @Test("a zip64 archive is read")
    func zip64() throws {
        let directory = try TemporaryDirectory()
        let pickle = Pickle.stateDict(
            "w", Pickle.tensor(key: "0", elementCount: 3, offset: 0, shape: [3], strides: [1]))
        let archive = TorchTestArchive(
            pickle: pickle, storages: ["0": float32Bytes([1, 2, 3])], usesZip64: true)
        let url = directory.file("zip64.pt")
        try Data(archive.bytes).write(to: url)
        let tensors = try TorchCheckpoint(contentsOf: url).stateDict()
        #expect(tensors["w"]?.scalars == [1, 2, 3])
    }

    @Test("the legacy (pre-1.6) format is refused with a clear error")
    func legacy() throws {
        let error = #expect(throws: TorchCheckpointError.self) {
            try TorchCheckpoint(contentsOf: try fixture("state_dict_legacy"))
        }
        #expect(error?.fault == .legacyFormat)
        #expect(error?.description.contains("legacy") == true)
    }
}
