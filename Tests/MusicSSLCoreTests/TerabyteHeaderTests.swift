import Foundation
import MusicSSLTestSupport
import Testing

/// Tiny files whose headers claim terabytes: a safetensors tensor of 10^6 × 10^6 floats (4 TB)
/// with offsets past the file's end, a `.npy` of the same shape, and a PyTorch zip whose storage
/// claims 10^12 floats. Each is refused from its header, with a typed error naming the file,
/// in well under a second (so nothing of that size is allocated or read), also through
/// ``EncoderCheckpoint/importEncoder(from:strict:)``, the loader of `msl extract --checkpoint`
/// and `msl convert`.
@Suite("Headers that claim terabytes")
struct TerabyteHeaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    static let side = 1_000_000
    static let terabytes = 4 * side * side  // 4 × 10^12 bytes of float32

    /// Runs `body`, expecting `E` naming `url` within a second; returns the error.
    func refusal<E: Error & CustomStringConvertible>(
        _ type: E.Type, naming url: URL, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) -> E? {
        let started = Date()
        let error = #expect(throws: E.self, sourceLocation: sourceLocation) { try body() }
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 1, "took \(seconds) s", sourceLocation: sourceLocation)
        #expect(error?.description.contains(url.path) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    @Test("a safetensors tensor of 10^6 × 10^6 floats with offsets past the file is refused from the header")
    func safetensors() throws {
        let url = directory.file("huge.safetensors")
        let header = #"{"w": {"dtype": "F32", "shape": [\#(Self.side), \#(Self.side)], "data_offsets": [0, \#(Self.terabytes)]}}"#
        try rawSafeTensors(header: header, data: [UInt8](repeating: 0, count: 16)).write(to: url)
        let error = refusal(SafeTensorsError.self, naming: url) { _ = try SafeTensorsFile(contentsOf: url) }
        #expect(error?.fault == .dataOutOfBounds(end: Self.terabytes, bufferByteCount: 16))
        // The encoder loader behind msl extract --checkpoint and msl convert stops there too.
        let started = Date()
        do {
            _ = try EncoderCheckpoint.importEncoder(from: url)
            Issue.record("a 4 TB tensor header was accepted")
        } catch {
            #expect("\(error)".contains(url.path) && "\(error)".contains("\(Self.terabytes)"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test("a .npy header of shape (10^6, 10^6) over 16 bytes of data is refused from the header")
    func numPy() throws {
        let url = directory.file("huge.npy")
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(Self.side), \(Self.side)), }\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        try Data(bytes + Array(header.utf8) + [UInt8](repeating: 0, count: 16)).write(to: url)
        let error = refusal(NumPyError.self, naming: url) { _ = try NumPyArray(contentsOf: url) }
        #expect(error?.description.contains("\(Self.terabytes)") == true, "\(String(describing: error))")
    }

    @Test("a PyTorch zip whose storage claims 10^12 floats is refused before anything is allocated")
    func torchStorage() throws {
        let url = directory.file("huge.pt")
        let tensor = Pickle.tensor(
            key: "0", elementCount: Int64(Self.side * Self.side), offset: 0, shape: [Self.side, Self.side],
            strides: [Self.side, 1])
        let archive = TorchTestArchive(
            pickle: Pickle.stateDict("w", tensor), storages: ["0": float32Bytes([1, 2, 3])])
        try Data(archive.bytes).write(to: url)
        let error = refusal(TorchCheckpointError.self, naming: url) { _ = try TorchCheckpoint(contentsOf: url) }
        #expect(
            error?.fault == .storageTooSmall(key: "0", needed: Self.terabytes, available: 12),
            "\(String(describing: error))")
        let started = Date()
        #expect(throws: TorchCheckpointError.self) { _ = try EncoderCheckpoint.importEncoder(from: url) }
        #expect(Date().timeIntervalSince(started) < 1)
    }
}
