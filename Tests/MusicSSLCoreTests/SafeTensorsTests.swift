import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Safetensors reading and writing")
struct SafeTensorsTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// The committed fixture written by the reference implementation (see its generator).
    private func fixture(_ name: String) throws -> URL {
        try #require(
            Bundle.module.url(
                forResource: name, withExtension: "safetensors", subdirectory: "Fixtures"))
    }

    /// True when the two arrays hold the same bit patterns, any NaN matching any NaN.
    private func sameBits(_ actual: [Float], _ expected: [Float]) -> Bool {
        actual.count == expected.count
            && zip(actual, expected).allSatisfy {
                $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN)
            }
    }

    @Test("F32, F16 and BF16 written by the reference read back exactly")
    func readsReferenceFloats() throws {
        let file = try SafeTensorsFile(contentsOf: try fixture("safetensors_interop"))
        let arange = try file.tensor(named: "f32_arange")
        #expect(arange.shape == [2, 3, 4])
        #expect(arange.scalars == (0..<24).map { Float($0) * 0.5 - 3 })
        let f32Special: [Float] = [
            .greatestFiniteMagnitude, 0x1p-149, -0.0, .infinity, -.infinity,
            .nan, Float(1.0 / 3.0),
        ]
        #expect(sameBits(try file.tensor(named: "f32_special").scalars, f32Special))

        let f16 = try file.tensor(named: "f16_arange")
        #expect(f16.shape == [3, 4])
        #expect(f16.scalars == (0..<12).map { (Float($0) - 6) / 4 })
        // Largest finite, largest negative, smallest subnormal, largest subnormal, smallest
        // normal, -0, ±inf, NaN, 1/3 rounded to half precision.
        let f16Special: [Float] = [
            65504, -65504, 0x1p-24, 0x1p-14 - 0x1p-24, 0x1p-14, -0.0,
            .infinity, -.infinity, .nan, 0.333251953125,
        ]
        #expect(sameBits(try file.tensor(named: "f16_special").scalars, f16Special))

        let bf16 = try file.tensor(named: "bf16_arange")
        #expect(bf16.shape == [2, 3])
        #expect(bf16.scalars == [-2, -0.75, 0.5, 1.75, 3, 4.25])
        // Largest finite, smallest and largest subnormal, smallest normal, -0, ±inf, NaN,
        // 1/3 rounded to bfloat16, -1.5.
        let bf16Special: [Float] = [
            0x1.FEp127, 0x1p-133, 0x1.FCp-127, 0x1p-126, -0.0, .infinity,
            -.infinity, .nan, 0.333984375, -1.5,
        ]
        #expect(sameBits(try file.tensor(named: "bf16_special").scalars, bf16Special))
    }

    @Test("the reference file's F64, scalar, empty and integer tensors and metadata")
    func readsReferenceEdgeCases() throws {
        let file = try SafeTensorsFile(contentsOf: try fixture("safetensors_interop"))
        #expect(file.metadata == ["source": "safetensors_interop.py"])
        #expect(file.tensorNames == file.tensorNames.sorted())
        #expect(file.tensorNames.count == 10)
        // F64 rounds to nearest: 1e300 overflows to infinity, 1e-50 underflows to zero.
        #expect(try file.tensor(named: "f64_values").scalars == [Float(0.1), -2.5, .infinity, 0])
        let scalar = try file.tensor(named: "f32_scalar")
        #expect(scalar.shape == [] && scalar.scalars == [42])
        let empty = try file.tensor(named: "f32_empty")
        #expect(empty.shape == [0, 3] && empty.count == 0)

        let positions = try #require(file.info(for: "i64_positions"))
        #expect(
            positions.dtype == .i64 && positions.shape == [5] && positions.dataOffsets == 0..<40)
        let error = #expect(throws: SafeTensorsError.self) {
            try file.tensor(named: "i64_positions")
        }
        #expect(error?.fault == .unsupportedDType(.i64) && error?.tensorName == "i64_positions")
        #expect(error?.description.contains("safetensors_interop.safetensors") == true)
        #expect(throws: SafeTensorsError.self) { try file.allTensors() }
        let missing = #expect(throws: SafeTensorsError.self) { try file.tensor(named: "absent") }
        #expect(missing?.fault == .missingTensor)
        #expect(file.info(for: "absent") == nil)
    }

    @Test("every F16 bit pattern converts as Swift's Float16 does")
    func exhaustiveHalfConversion() throws {
        #if !(os(macOS) && arch(x86_64))
            let patterns = (0...UInt16.max).map { $0 }
            let url = directory.file("all-halves.safetensors")
            let header =
                #"{"all": {"dtype": "F16", "shape": [65536], "data_offsets": [0, 131072]}}"#
            try rawSafeTensors(header: header, data: littleEndianBytes(patterns)).write(to: url)
            let converted = try SafeTensorsFile(contentsOf: url).tensor(named: "all").scalars
            // Same bits, or NaN for NaN with the same sign.
            let wrong = patterns.filter { pattern in
                let expected = Float(Float16(bitPattern: pattern))
                let actual = converted[Int(pattern)]
                return actual.bitPattern != expected.bitPattern
                    && !(actual.isNaN && expected.isNaN && actual.sign == expected.sign)
            }
            let shown = wrong.prefix(4).map { "0x" + String($0, radix: 16) }
            #expect(wrong.count == 0, "patterns converted wrongly include \(shown)")
        #endif
    }

    @Test("written tensors read back with identical values, shapes and metadata")
    func roundTrip() throws {
        var generator = SplitMix64(seed: 7)
        let tensors: [(name: String, tensor: Tensor)] = [
            ("encoder.layers.0.weight", Tensor.randomNormal([3, 1, 5], using: &generator)),
            ("bias", Tensor([0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude])),
            ("scalar", Tensor(scalar: -3.25)),
            ("empty", Tensor.zeros([2, 0])),
            ("ünïcode/名前", Tensor.arange(7)),
        ]
        let metadata = ["step": "1200", "config": #"{"layers": 12}"#, "": "empty key"]
        let url = directory.file("model.safetensors")
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: url)

        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata == metadata)
        #expect(file.tensorNames == tensors.map(\.name).sorted())
        for (name, tensor) in tensors {
            let read = try file.tensor(named: name)
            #expect(read.shape == tensor.shape, "\(name)")
            #expect(sameBits(read.scalars, tensor.scalars), "\(name)")
            #expect(file.info(for: name)?.dtype == .f32)
        }
        #expect(try directory.contents() == ["model.safetensors"])
    }

    @Test("F16 writing stores each value rounded as Swift's Float16 and reads back as that value")
    func halfPrecisionRoundTrip() throws {
        var generator = SplitMix64(seed: 9)
        let values = Tensor.randomNormal([4, 33], standardDeviation: 30, using: &generator)
        let special = Tensor([0, -0.0, 1e-8, 70_000, -.infinity, 65_504, 0.1])
        let url = directory.file("half.safetensors")
        try SafeTensorsWriter.write(
            [("values", values), ("special", special)], metadata: ["k": "v"], to: url, precision: .float16)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.metadata == ["k": "v"])
        for (name, tensor) in [("values", values), ("special", special)] {
            let info = try #require(file.info(for: name))
            #expect(info.dtype == .f16 && info.shape == tensor.shape)
            let expected = tensor.scalars.map { Float(Float16($0)) }
            #expect(sameBits(try file.tensor(named: name).scalars, expected), "\(name)")
        }
        // Two bytes a value after the 8-byte length and the padded header.
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
        #expect(bytes.count == 8 + headerLength + 2 * (values.count + special.count))
    }

    @Test("the writer reproduces the reference serializer's file byte for byte")
    func matchesReferenceBytes() throws {
        let referenceURL = try fixture("safetensors_writer_reference")
        let reference = try SafeTensorsFile(contentsOf: referenceURL)
        let url = directory.file("rewritten.safetensors")
        try SafeTensorsWriter.write(
            try reference.allTensors(), metadata: reference.metadata, to: url)
        let written = try Data(contentsOf: url)
        #expect(written == (try Data(contentsOf: referenceURL)))
        // The header is padded to 8 bytes, so every F32 tensor starts 4-byte aligned.
        let headerLength = written.prefix(8).enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
        #expect(headerLength % 8 == 0)
    }

    @Test("the fixture loader reads a bundled file and names a missing one")
    func fixtureLoader() throws {
        let tensors = try Fixture.load("safetensors_writer_reference", in: Bundle.module)
        #expect(tensors.count == 6)
        #expect(tensors["z.weight"]?.scalars == [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
        let error = #expect(throws: FixtureError.self) {
            try Fixture.load("no_such_fixture", in: Bundle.module)
        }
        #expect(error?.description.contains("Fixtures/no_such_fixture.safetensors") == true)
    }

    @Test("the difference expectClose checks grows beyond tolerance and is infinite on a shape mismatch")
    func expectCloseCanFail() throws {
        let a = Tensor([1, 2, 3])
        expectClose(a, Tensor([1, 2, 3.001]), tolerance: 1e-2, "within tolerance")
        #expect(abs(a.maximumDifference(to: Tensor([1, 2, 3.1])) - 0.1) < 1e-6)
        #expect(a.maximumDifference(to: Tensor.zeros([3, 1])) == .infinity)
        #expect(a.maximumDifference(to: Tensor([1, .nan, 3])) == .infinity)
    }

    @Test("invalid names are refused before anything is written")
    func invalidNames() throws {
        let url = directory.file("refused.safetensors")
        let cases: [[(name: String, tensor: Tensor)]] = [
            [("", Tensor([1]))],
            [("w", Tensor([1])), ("w", Tensor([2]))],
            [("__metadata__", Tensor([1]))],
        ]
        for tensors in cases {
            let error = #expect(throws: SafeTensorsError.self) {
                try SafeTensorsWriter.write(tensors, to: url)
            }
            guard case .invalidName = error?.fault else {
                Issue.record("names \(tensors.map(\.name)) gave \(String(describing: error))")
                continue
            }
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test("a failed write leaves the destination as it was and no temporary file")
    func failedWriteIsAtomic() throws {
        // Renaming a file over a non-empty directory fails after all data is written.
        let blocked = directory.file("blocked.safetensors")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: blocked.appendingPathComponent("inside"))
        let error = #expect(throws: SafeTensorsError.self) {
            try SafeTensorsWriter.write(["w": Tensor.ones([4])], to: blocked)
        }
        #expect(error?.description.contains("rename") == true)
        #expect(try directory.contents() == ["blocked.safetensors"])

        let absent = directory.file("no-such-folder/model.safetensors")
        #expect(throws: SafeTensorsError.self) {
            try SafeTensorsWriter.write(["w": Tensor.ones([4])], to: absent)
        }
    }

    @Test("writing over an existing file replaces it completely")
    func overwriteReplaces() throws {
        let url = directory.file("model.safetensors")
        try SafeTensorsWriter.write(["a": Tensor.ones([1000]), "b": Tensor.ones([3])], to: url)
        try SafeTensorsWriter.write(["c": Tensor([5])], metadata: ["k": "v"], to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.tensorNames == ["c"] && file.metadata == ["k": "v"])
        #expect(try file.tensor(named: "c").scalars == [5])
        #expect(try directory.contents() == ["model.safetensors"])
    }
}
