import Foundation
import MusicSSLTestSupport
import Testing

/// Reading arrays numpy wrote (Tests/FixtureGenerators/numpy_interop.py) and writing arrays
/// numpy reads, byte for byte as `numpy.save` writes them.
@Suite("NumPy .npy files")
struct NumPyTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// `count` values k * 0.5 - 1, the generator's float pattern.
    private func floatPattern(_ count: Int) -> [Float] {
        (0..<count).map { Float($0) * 0.5 - 1 }
    }

    /// `count` values k * 3 - 5, the generator's integer pattern.
    private func integerPattern(_ count: Int) -> [Int] {
        (0..<count).map { $0 * 3 - 5 }
    }

    @Test("float arrays in versions 1.0, 2.0 and 3.0 and both byte orders read as numpy wrote them")
    func floatFixtures() throws {
        let cases: [(name: String, dtype: String, shape: [Int])] = [
            ("f4_v1", "<f4", [2, 3]), ("f8_v2", "<f8", [3, 2]),
            ("f4_big_endian", ">f4", [2, 3]), ("f2_v3", "<f2", [4]),
        ]
        for (name, dtype, shape) in cases {
            let array = try Fixture.loadNumPyArray("numpy/\(name)", in: Bundle.module)
            #expect(array.dtype.descr == dtype, "\(name)")
            #expect(array.shape == shape, "\(name)")
            #expect(!array.isFortranOrder)
            let tensor = array.tensor()
            #expect(tensor.shape == shape, "\(name)")
            #expect(tensor.scalars == floatPattern(tensor.count), "\(name)")
        }
    }

    @Test("integer and boolean arrays read as integers and as floats")
    func integerFixtures() throws {
        let i4 = try Fixture.loadNumPyArray("numpy/i4_v1", in: Bundle.module)
        #expect(i4.dtype == .int32)
        #expect(try i4.int64Values() == integerPattern(5))
        #expect(i4.tensor().scalars == integerPattern(5).map(Float.init))

        let i8 = try Fixture.loadNumPyArray("numpy/i8_v2", in: Bundle.module)
        #expect(i8.dtype == .int64)
        #expect(i8.shape == [2, 2])
        let large = [1 << 40, -((1 << 40) + 1), (1 << 40) + 2, -((1 << 40) + 3)]
        #expect(try i8.int64Values() == large)
        #expect(i8.tensor().scalars == large.map(Float.init))

        let bigEndian = try Fixture.loadNumPyArray("numpy/i8_big_endian", in: Bundle.module)
        #expect(bigEndian.dtype.descr == ">i8")
        #expect(try bigEndian.int64Values() == integerPattern(4))

        let bytes = try Fixture.loadNumPyArray("numpy/u1", in: Bundle.module)
        #expect(bytes.dtype.descr == "|u1")
        #expect(try bytes.int64Values() == [0, 1, 254, 255])

        let booleans = try Fixture.loadNumPyArray("numpy/b1", in: Bundle.module)
        #expect(booleans.dtype.descr == "|b1")
        #expect(try booleans.int64Values() == [1, 0, 1])
        #expect(booleans.tensor().scalars == [1, 0, 1])
    }

    @Test("a scalar, a zero-size array and a Fortran-order array keep their shapes")
    func shapeFixtures() throws {
        let scalar = try Fixture.loadNumPy("numpy/scalar", in: Bundle.module)
        #expect(scalar.shape == [])
        #expect(scalar.scalars == [2.5])

        let empty = try Fixture.loadNumPy("numpy/empty", in: Bundle.module)
        #expect(empty.shape == [0, 3])
        #expect(empty.scalars.isEmpty)

        // Stored column-major; np.load presents it row-major as arange(24).reshape(2, 3, 4).
        let fortran = try Fixture.loadNumPyArray("numpy/fortran", in: Bundle.module)
        #expect(fortran.isFortranOrder)
        #expect(fortran.shape == [2, 3, 4])
        #expect(fortran.tensor().scalars == (0..<24).map(Float.init))
    }

    @Test("integers are refused for a float array")
    func floatsAreNotIntegers() throws {
        let array = try Fixture.loadNumPyArray("numpy/f4_v1", in: Bundle.module)
        let error = #expect(throws: NumPyError.self) { try array.int64Values() }
        #expect(error?.fault == .notIntegers(.float32))
        #expect(error?.description.contains("f4_v1.npy") == true)
    }

    @Test("the writer reproduces numpy.save byte for byte")
    func writerMatchesNumPy() throws {
        let f4 = directory.file("f4.npy")
        try NumPyWriter.write(try Tensor(shape: [2, 3], scalars: floatPattern(6)), to: f4)
        let i8 = directory.file("i8.npy")
        try NumPyWriter.write(int64: integerPattern(5), shape: [5], to: i8)
        let scalar = directory.file("scalar.npy")
        try NumPyWriter.write(Tensor(scalar: 2.5), to: scalar)
        for (written, reference) in [
            (f4, "writer_f4"), (i8, "writer_i8"), (scalar, "writer_scalar"),
        ] {
            let referenceURL = try #require(
                Bundle.module.url(
                    forResource: reference, withExtension: "npy", subdirectory: "Fixtures/numpy"))
            #expect(try Data(contentsOf: written) == Data(contentsOf: referenceURL), "\(reference)")
        }
    }

    @Test("written tensors and integer arrays read back unchanged")
    func roundTrip() throws {
        var generator = SplitMix64(seed: 7)
        for shape in [[7, 5], [], [0, 4], [3, 1, 2], [300]] {
            let tensor = Tensor.randomNormal(shape, using: &generator)
            let url = directory.file("tensor.npy")
            try NumPyWriter.write(tensor, to: url)
            let array = try NumPyArray(contentsOf: url)
            #expect(array.dtype == .float32)
            #expect(array.shape == shape)
            #expect(array.tensor().scalars == tensor.scalars, "\(shape)")
        }
        let values = [Int.min, -1, 0, 1, Int.max, 1 << 53 + 1]
        let url = directory.file("labels.npy")
        try NumPyWriter.write(int64: values, shape: [2, 3], to: url)
        let array = try NumPyArray(contentsOf: url)
        #expect(array.dtype == .int64)
        #expect(array.shape == [2, 3])
        #expect(try array.int64Values() == values)
        // Atomic writes leave only the finished files.
        #expect(try directory.contents() == ["labels.npy", "tensor.npy"])
    }

    @Test("the data starts 64-byte aligned, and a huge header moves to format 2.0")
    func headerAlignment() throws {
        let url = directory.file("empty.npy")
        // Zero-size shapes vary the header length without writing data.
        for shape in [[0], [5, 0], [123_456_789, 0], [0] + Array(repeating: 1, count: 40)] {
            try NumPyWriter.write(int64: [], shape: shape, to: url)
            let bytes = try Data(contentsOf: url)
            #expect(bytes.count % 64 == 0, "\(shape)")
            #expect(bytes[6] == 1)
            #expect(bytes.last == UInt8(ascii: "\n"))
            #expect(try NumPyArray(contentsOf: url).shape == shape)
        }
        // Past 65,535 bytes the header length needs 4 bytes. numpy's reader (and ours) refuses
        // such a header by default, but the file is well formed.
        try NumPyWriter.write(int64: [], shape: [0] + Array(repeating: 1, count: 22_000), to: url)
        let bytes = try Data(contentsOf: url)
        #expect(bytes[6] == 2)
        #expect(bytes.count % 64 == 0)
        let length = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        #expect(length == bytes.count - 12)
    }

    @Test("the writer refuses a shape that does not hold the values and a missing folder")
    func writerFaults() throws {
        let url = directory.file("labels.npy")
        let mismatch = #expect(throws: NumPyError.self) {
            try NumPyWriter.write(int64: [1, 2, 3], shape: [2, 2], to: url)
        }
        #expect(mismatch?.fault == .shapeMismatch(shape: [2, 2], valueCount: 3))
        #expect(throws: NumPyError.self) {
            try NumPyWriter.write(int64: [], shape: [-1, 0], to: url)
        }
        let missing = directory.file("no/such/folder/x.npy")
        let error = #expect(throws: NumPyError.self) {
            try NumPyWriter.write(Tensor([1, 2]), to: missing)
        }
        guard case .fileSystem = error?.fault else {
            Issue.record("expected a file system fault, got \(String(describing: error))")
            return
        }
        #expect(try directory.contents().isEmpty)
    }

    @Test("the fixture loader finds files in subfolders and names a missing one")
    func fixtureLoader() throws {
        #expect(try Fixture.loadNumPy("numpy/scalar", in: Bundle.module).scalars == [2.5])
        let error = #expect(throws: FixtureError.self) {
            try Fixture.loadNumPy("numpy/no_such_array", in: Bundle.module)
        }
        #expect(error?.description.contains("Fixtures/numpy/no_such_array.npy") == true)
    }
}
