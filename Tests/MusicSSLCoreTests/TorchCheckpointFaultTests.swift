import Foundation
import MusicSSLTestSupport
import Testing

/// Malicious and malformed checkpoints must raise a `TorchCheckpointError` naming the file and
/// the fault: never a crash, never code run, never an allocation from an unchecked size.
@Suite("PyTorch checkpoint faults")
struct TorchCheckpointFaultTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Opens `bytes` as a checkpoint and returns the fault raised (nil, failing, if none).
    private func fault(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TorchCheckpointError.Fault? {
        let url = directory.file("faulty.pt")
        try Data(bytes).write(to: url)
        let error = #expect(throws: TorchCheckpointError.self, sourceLocation: sourceLocation) {
            try TorchCheckpoint(contentsOf: url)
        }
        #expect(error?.description.contains(url.path) == true, sourceLocation: sourceLocation)
        return error?.fault
    }

    /// A valid one-tensor checkpoint: `w` = [1, 2, 3].
    private var valid: TorchTestArchive {
        TorchTestArchive(
            pickle: Pickle.stateDict(
                "w", Pickle.tensor(key: "0", elementCount: 3, offset: 0, shape: [3], strides: [1])),
            storages: ["0": float32Bytes([1, 2, 3])])
    }

    private func pickleFault(_ pickle: [UInt8]) throws -> TorchCheckpointError.Fault? {
        try fault(TorchTestArchive(pickle: pickle, storages: ["0": float32Bytes([1, 2, 3])]).bytes)
    }

    // MARK: Malicious globals

    /// `callable(command)` by GLOBAL + REDUCE; the command would create `marker`.
    @Test(
        "a pickle naming a dangerous global is refused by name and nothing runs",
        arguments: [
            ("os", "system"), ("posix", "system"), ("builtins", "eval"),
            ("subprocess", "Popen"), ("builtins", "exec"), ("torch", "load"),
        ])
    func refusedGlobal(module: String, name: String) throws {
        let marker = directory.file("pwned")
        let payload =
            Pickle.proto2 + Pickle.global(module, name) + Pickle.mark
            + Pickle.unicode("touch \(marker.path)") + Pickle.tuple + Pickle.reduce + Pickle.stop
        let fault = try pickleFault(payload)
        #expect(fault == .refusedGlobal(module: module, name: name))
        #expect(fault?.description.contains("'\(module).\(name)'") == true)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test("STACK_GLOBAL names are checked against the allow-list too")
    func refusedStackGlobal() throws {
        let payload =
            Pickle.proto2 + [0x8C, 2] + Array("os".utf8) + [0x8C, 6] + Array("system".utf8)
            + Pickle.stackGlobal + Pickle.mark + Pickle.unicode("true") + Pickle.tuple
            + Pickle.reduce + Pickle.stop
        #expect(try pickleFault(payload) == .refusedGlobal(module: "os", name: "system"))
    }

    @Test("a refused global inside a state dict stops the load before any tensor is read")
    func refusedInsideStateDict() throws {
        let tensor = Pickle.tensor(key: "0", elementCount: 3, offset: 0, shape: [3], strides: [1])
        let payload =
            Pickle.proto2 + Pickle.emptyDict + Pickle.unicode("w") + tensor + Pickle.setItem
            + Pickle.unicode("x") + Pickle.global("builtins", "getattr") + Pickle.setItem
            + Pickle.stop
        #expect(try pickleFault(payload) == .refusedGlobal(module: "builtins", name: "getattr"))
    }

    @Test("allow-listed constants cannot be called")
    func constantNotCallable() throws {
        let payload =
            Pickle.proto2 + Pickle.global("builtins", "dict") + Pickle.emptyTuple + Pickle.reduce
            + Pickle.stop
        guard case .malformedPickle = try pickleFault(payload) else {
            Issue.record("calling builtins.dict was not refused")
            return
        }
    }

    // MARK: Container

    @Test("the valid hand-built archive opens (the faults below differ from it in one place)")
    func validBaseline() throws {
        let url = directory.file("valid.pt")
        try Data(valid.bytes).write(to: url)
        #expect(try TorchCheckpoint(contentsOf: url).stateDict()["w"]?.scalars == [1, 2, 3])
    }

    @Test("a truncated archive is refused", arguments: [0, 10, 100, 200])
    func truncated(keeping count: Int) throws {
        let bytes = Array(valid.bytes.prefix(count))
        guard case .malformedArchive = try fault(bytes) else {
            Issue.record("truncation to \(count) bytes not reported as a malformed archive")
            return
        }
    }

    @Test("central directory offsets past the file are refused")
    func badDirectoryOffset() throws {
        var bytes = valid.bytes
        // The end record's directory offset is its bytes 16..<20, 22 bytes from the end.
        let field = bytes.count - 22 + 16
        bytes.replaceSubrange(field..<(field + 4), with: le32(0x7FFF_0000))
        guard case .malformedArchive = try fault(bytes) else {
            Issue.record("bad central directory offset accepted")
            return
        }
    }

    @Test("an entry whose local header offset is wrong is refused")
    func badLocalOffset() throws {
        var bytes = valid.bytes
        let directory = Int(bytes.count - 22 + 16)
        let start = Int(bytes[directory]) | Int(bytes[directory + 1]) << 8
        bytes.replaceSubrange((start + 42)..<(start + 46), with: le32(3))
        guard case .malformedArchive = try fault(bytes) else {
            Issue.record("bad local header offset accepted")
            return
        }
    }

    @Test("a compressed entry is refused")
    func compressed() throws {
        var archive = valid
        archive.entries[0].method = 8
        #expect(try fault(archive.bytes) == .compressedEntry(name: "archive/data.pkl", method: 8))
    }

    @Test("an archive without data.pkl is refused")
    func missingPickle() throws {
        var archive = valid
        archive.entries.removeFirst()
        #expect(try fault(archive.bytes) == .missingEntry("<folder>/data.pkl"))
    }

    @Test("a storage named by the pickle but absent from the archive is refused")
    func missingStorage() throws {
        let archive = TorchTestArchive(pickle: valid.entries[0].data)
        #expect(try fault(archive.bytes) == .missingEntry("archive/data/0"))
    }

    @Test("a storage entry shorter than its declared element count is refused")
    func storageTooSmall() throws {
        let archive = TorchTestArchive(
            pickle: valid.entries[0].data, storages: ["0": float32Bytes([1, 2])])
        #expect(
            try fault(archive.bytes) == .storageTooSmall(key: "0", needed: 12, available: 8))
    }

    @Test(
        "a view reaching past its storage is refused",
        arguments: [
            (offset: 1, shape: [3], strides: [1]),
            (offset: 0, shape: [2, 2], strides: [2, 1]),
            (offset: 0, shape: [2], strides: [3]),
            (offset: 0, shape: [1 << 40, 1 << 40], strides: [1 << 40, 1]),
            (offset: -1, shape: [1], strides: [1]),
            (offset: 0, shape: [2], strides: [1, 1]),
        ])
    func viewOutOfStorage(offset: Int, shape: [Int], strides: [Int]) throws {
        let tensor = Pickle.tensor(
            key: "0", elementCount: 3, offset: offset, shape: shape, strides: strides)
        guard case .invalidTensor = try pickleFault(Pickle.stateDict("w", tensor)) else {
            Issue.record("view \(shape) / \(strides) at \(offset) accepted")
            return
        }
    }

    @Test("an absurd storage element count is refused before anything is allocated")
    func absurdStorage() throws {
        let tensor = Pickle.tensor(
            key: "0", elementCount: 1 << 62, offset: 0, shape: [3], strides: [1])
        guard case .invalidTensor = try pickleFault(Pickle.stateDict("w", tensor)) else {
            Issue.record("storage of 2^62 floats accepted")
            return
        }
    }

    // MARK: Pickle stream

    /// Pickles each malformed in one way, with a name for the failure message.
    static let malformedPickles: [(String, [UInt8])] = {
        let long4 = Pickle.proto2 + [0x8B] + le32(9) + [UInt8](repeating: 1, count: 9)
        let setItemOnList =
            Pickle.proto2 + [0x5D] + Pickle.unicode("k") + Pickle.unicode("v") + Pickle.setItem
        let reduceString =
            Pickle.proto2 + Pickle.unicode("f") + Pickle.emptyTuple + Pickle.reduce
        let deepTuples =
            Pickle.proto2 + Pickle.emptyTuple + [UInt8](repeating: 0x85, count: 2000)
        var cases: [(String, [UInt8])] = []
        cases.append(("stack underflow", Pickle.proto2 + Pickle.stop))
        cases.append(
            ("underflow past a mark", Pickle.proto2 + Pickle.emptyDict + Pickle.mark + [0x86]))
        cases.append(("memo index never stored", Pickle.proto2 + [0x68, 5] + Pickle.stop))
        cases.append(("long memo index never stored", Pickle.proto2 + [0x6A] + le32(1 << 30)))
        cases.append(("no STOP", Pickle.proto2 + Pickle.emptyDict))
        cases.append(("absurd BINUNICODE8 length", Pickle.proto2 + [0x8D] + le64(1 << 62)))
        cases.append(("BINUNICODE past the end", Pickle.proto2 + [0x58] + le32(1000) + [0x41]))
        cases.append(("negative BINSTRING length", Pickle.proto2 + [0x54] + le32(0xFFFF_FFF0)))
        cases.append(("LONG4 wider than 64 bits", long4))
        cases.append(("invalid UTF-8", Pickle.proto2 + [0x8C, 1, 0xFF] + Pickle.stop))
        cases.append(("protocol 9", [0x80, 9] + Pickle.stop))
        cases.append(("SETITEM on a list", setItemOnList))
        cases.append(("REDUCE on a string", reduceString))
        cases.append(("POP_MARK with no mark", Pickle.proto2 + [0x31]))
        cases.append(("GLOBAL without newline", Pickle.proto2 + [0x63] + Array("os".utf8)))
        cases.append(("deeply nested tuples", deepTuples))
        return cases
    }()

    @Test("malformed pickle streams are refused", arguments: malformedPickles)
    func malformedPickle(_ name: String, pickle: [UInt8]) throws {
        guard case .malformedPickle = try pickleFault(pickle) else {
            Issue.record("\(name) not reported as a malformed pickle")
            return
        }
    }

    @Test(
        "opcodes outside the supported set are refused with their offset",
        arguments: [UInt8(0x49), 0x50, 0x53, 0x69, 0x6F, 0xFF])
    func unknownOpcode(_ opcode: UInt8) throws {
        #expect(try pickleFault(Pickle.proto2 + [opcode]) == .unknownOpcode(opcode, offset: 2))
    }

    @Test("a small pickle whose memo references would expand exponentially is refused")
    func referenceBomb() throws {
        // t0 = (); t(k+1) = (tk, tk), memoised each time: 60 levels would be 2^60 nodes.
        var pickle = Pickle.proto2 + Pickle.emptyTuple + [0x71, 0]
        for level in 0..<60 {
            pickle += [0x68, UInt8(level), 0x68, UInt8(level), 0x86, 0x71, UInt8(level + 1)]
        }
        guard case .malformedPickle = try pickleFault(pickle + Pickle.stop) else {
            Issue.record("reference bomb accepted")
            return
        }
    }

    @Test("a list that contains itself reads with the cycle marked")
    func cycle() throws {
        // l = []; l.append(l)
        let pickle = Pickle.proto2 + [0x5D, 0x71, 0, 0x68, 0, 0x61] + Pickle.stop
        let url = directory.file("cycle.pt")
        try Data(TorchTestArchive(pickle: pickle).bytes).write(to: url)
        #expect(try TorchCheckpoint(contentsOf: url).root == .list([.enclosingReference]))
    }

    @Test("a missing file is reported with its path")
    func missingFile() throws {
        let url = directory.file("absent.pt")
        let error = #expect(throws: TorchCheckpointError.self) {
            try TorchCheckpoint(contentsOf: url)
        }
        #expect(error?.description.contains(url.path) == true)
    }
}
