import Foundation
import MusicSSLTestSupport
import Testing

/// Every malformed `.npy` file must raise a `NumPyError` naming the file and the fault: never a
/// crash, never an allocation from an unchecked size, never an evaluated header.
@Suite("NumPy malformed files")
struct NumPyFaultTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A `.npy` file: magic, `version`, the header length (`declaredLength` or the true one),
    /// `header` and `data`.
    private func rawNumPy(
        _ header: String, version: (UInt8, UInt8) = (1, 0), declaredLength: UInt32? = nil,
        data: [UInt8] = []
    ) -> Data {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version.0, version.1]
        let length = declaredLength ?? UInt32(header.utf8.count)
        let lengthFieldByteCount = version.0 == 1 ? 2 : 4
        for byte in 0..<lengthFieldByteCount {
            bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt32(byte))))
        }
        return Data(bytes + Array(header.utf8) + data)
    }

    /// A header dict with the given values, written as numpy writes it.
    private func header(
        descr: String = "'<f4'", fortranOrder: String = "False", shape: String = "(2,)"
    ) -> String {
        "{'descr': \(descr), 'fortran_order': \(fortranOrder), 'shape': \(shape), }\n"
    }

    /// Writes `bytes` to a file, opens it, and returns the fault raised (nil if none, which
    /// fails the test); checks the message names the file.
    private func openingFault(
        _ bytes: Data, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> NumPyError.Fault? {
        let url = directory.file("faulty.npy")
        try bytes.write(to: url)
        let error = #expect(throws: NumPyError.self, sourceLocation: sourceLocation) {
            try NumPyArray(contentsOf: url)
        }
        #expect(error?.description.contains(url.path) == true, sourceLocation: sourceLocation)
        return error?.fault
    }

    /// The syntax fault's message for `header`, or nil if it raised another fault.
    private func syntaxMessage(
        _ header: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String? {
        let fault = try openingFault(rawNumPy(header), sourceLocation: sourceLocation)
        guard case .headerSyntax(let message) = fault else {
            Issue.record(
                "expected a syntax fault, got \(String(describing: fault))",
                sourceLocation: sourceLocation)
            return nil
        }
        return message
    }

    @Test("a missing file, an empty file and one too short for the preamble are rejected")
    func shortFiles() throws {
        let missing = directory.file("missing.npy")
        let error = #expect(throws: NumPyError.self) { try NumPyArray(contentsOf: missing) }
        guard case .fileSystem(let reason) = error?.fault else {
            Issue.record("expected a file system fault, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("missing.npy"))
        #expect(try openingFault(Data()) == .fileTooShort(byteCount: 0))
        #expect(try openingFault(Data([0x93, 0x4E, 0x55])) == .fileTooShort(byteCount: 3))
        // Version 2.0 needs a 4-byte length field after the 8-byte magic and version.
        let truncated = Data([0x93] + Array("NUMPY".utf8) + [2, 0, 0, 0])
        #expect(try openingFault(truncated) == .fileTooShort(byteCount: 10))
    }

    @Test("a file without the magic string or with an unknown version is rejected")
    func magicAndVersion() throws {
        #expect(try openingFault(Data("RIFF....WAVEfmt ".utf8)) == .badMagic)
        var wrongCase = rawNumPy(header())
        wrongCase[1] = UInt8(ascii: "n")
        #expect(try openingFault(wrongCase) == .badMagic)
        #expect(
            try openingFault(rawNumPy(header(), version: (4, 0)))
                == .unsupportedVersion(major: 4, minor: 0))
        #expect(
            try openingFault(rawNumPy(header(), version: (1, 1)))
                == .unsupportedVersion(major: 1, minor: 1))
    }

    @Test("a header length past the end of the file or over the cap is rejected")
    func headerLength() throws {
        let beyond = rawNumPy(header(), declaredLength: 5000)
        #expect(
            try openingFault(beyond)
                == .headerLengthOutOfRange(declared: 5000, fileByteCount: beyond.count))
        let huge = rawNumPy(header(), version: (2, 0), declaredLength: .max)
        #expect(
            try openingFault(huge)
                == .headerLengthOutOfRange(declared: .max, fileByteCount: huge.count))
        // Long enough to hold the declared header, but over numpy's own 10,000-byte limit.
        let declared = UInt32(NumPyArray.maximumHeaderByteCount + 1)
        let padded = header() + String(repeating: " ", count: Int(declared))
        let overCap = rawNumPy(padded, version: (2, 0), declaredLength: declared)
        #expect(
            try openingFault(overCap)
                == .headerLengthOutOfRange(declared: declared, fileByteCount: overCap.count))
    }

    @Test("a version 3.0 header that is not UTF-8 is rejected; 1.0 reads it as Latin-1")
    func headerEncoding() throws {
        var bytes = Array(rawNumPy(header(), version: (3, 0), data: Array(repeating: 0, count: 8)))
        let quote = try #require(bytes.firstIndex(of: UInt8(ascii: "<")))
        bytes.insert(0xFF, at: quote)
        bytes[8] += 1
        #expect(try openingFault(Data(bytes)) == .headerNotUTF8)
        // In Latin-1 the byte is 'ÿ', which makes an unknown dtype rather than a crash.
        var latin1 = Array(rawNumPy(header(), data: Array(repeating: 0, count: 8)))
        latin1.insert(0xFF, at: quote - 2)
        latin1[8] += 1
        #expect(try openingFault(Data(latin1)) == .unsupportedDType("'ÿ<f4'"))
    }

    @Test("a header that is not a dict literal of numpy's form is a syntax error, never evaluated")
    func headerSyntax() throws {
        let cases = [
            "", "[1, 2]", "{'descr': '<f4'", "{'descr' '<f4'}", "{descr: '<f4'}",
            "{'descr': '<f4}", "{'descr': <f4}", "{'descr': '<f4',, }",
            "{'descr': __import__('os').system('true')}", "{'descr': 1.5}",
            "{'descr': '<f4'} trailing", "{'descr': '\\x41'}", "{'shape': (2, 3)) }",
            "{'shape': (99999999999999999999,)}", "{'shape': {'a': 1}}", "{1: 2}",
            "{'shape': " + String(repeating: "(", count: 1_000) + "}",
        ]
        for text in cases {
            let message = try syntaxMessage(text)
            #expect(message?.contains("at character") == true, "\(text)")
        }
        #expect(
            try syntaxMessage("{'shape': (99999999999999999999,)}")?.contains("64 bits") == true)
        #expect(
            try syntaxMessage("{'shape': " + String(repeating: "(", count: 100))?
                .contains("nesting") == true)
    }

    @Test("missing, extra and repeated keys are rejected")
    func keys() throws {
        #expect(
            try openingFault(rawNumPy("{'descr': '<f4', 'shape': (2,), }"))
                == .missingKey("fortran_order"))
        #expect(
            try openingFault(rawNumPy("{'descr': '<f4', 'fortran_order': False, }"))
                == .missingKey("shape"))
        let extra = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}"
        #expect(try openingFault(rawNumPy(extra)) == .unexpectedKey("x"))
        let repeated = "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': ()}"
        #expect(try openingFault(rawNumPy(repeated)) == .unexpectedKey("descr"))
    }

    @Test("unsupported dtypes are named")
    func dtypes() throws {
        for descr in ["'<c8'", "'<U3'", "'|O'", "'<f3'", "'<f16'", "'f4'", "'|f4'", "'<M8[s]'"] {
            #expect(
                try openingFault(rawNumPy(header(descr: descr))) == .unsupportedDType(descr))
        }
        let structured = "[('a', '<f4'), ('b', '<i4')]"
        #expect(
            try openingFault(rawNumPy(header(descr: structured)))
                == .unsupportedDType(structured))
    }

    @Test("fortran_order and shape of the wrong type are rejected")
    func valueTypes() throws {
        #expect(
            try openingFault(rawNumPy(header(fortranOrder: "0")))
                == .invalidValue(key: "fortran_order", found: "0"))
        for shape in ["[2, 3]", "(2)", "('2',)", "(True,)", "None", "((2,),)"] {
            let fault = try openingFault(rawNumPy(header(shape: shape)))
            guard case .invalidValue(key: "shape", _) = fault else {
                Issue.record(
                    "shape \(shape): expected an invalid value, got \(String(describing: fault))")
                continue
            }
        }
    }

    @Test("negative and overflowing shapes are rejected before anything is allocated")
    func shapes() throws {
        #expect(
            try openingFault(rawNumPy(header(shape: "(-1, 3)")))
                == .negativeExtent(shape: [-1, 3]))
        #expect(
            try openingFault(rawNumPy(header(shape: "(4611686018427387904, 4)")))
                == .elementCountOverflow(shape: [1 << 62, 4]))
        // The element count fits, its byte size does not.
        #expect(
            try openingFault(rawNumPy(header(shape: "(2305843009213693952,)")))
                == .elementCountOverflow(shape: [1 << 61]))
    }

    @Test("data shorter or longer than the shape needs is rejected")
    func dataLength() throws {
        let short = rawNumPy(header(shape: "(3, 4)"), data: Array(repeating: 0, count: 40))
        #expect(
            try openingFault(short)
                == .byteCountMismatch(dtype: .float32, shape: [3, 4], expected: 48, actual: 40))
        let long = rawNumPy(
            header(descr: "'<i8'", shape: "()"), data: Array(repeating: 0, count: 9))
        #expect(
            try openingFault(long)
                == .byteCountMismatch(dtype: .int64, shape: [], expected: 8, actual: 9))
        let description = NumPyError(
            path: "/x.npy",
            .byteCountMismatch(dtype: .float32, shape: [3, 4], expected: 48, actual: 40)
        ).description
        #expect(description == "[npy] /x.npy: data holds 40 bytes, but <f4 (3, 4) needs 48")
    }

    @Test("what numpy also accepts reads: double quotes, Python 2 longs, no padding, any key order")
    func lenientForms() throws {
        let url = directory.file("lenient.npy")
        let headers = [
            "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2,)}",
            "{'shape': (2L,), 'fortran_order': False, 'descr': '<i4'}",
            " {'descr':'<i4','fortran_order':False,'shape':(2,)}\t\r\n",
        ]
        for text in headers {
            try rawNumPy(text, data: [7, 0, 0, 0, 0xF9, 0xFF, 0xFF, 0xFF]).write(to: url)
            #expect(try NumPyArray(contentsOf: url).int64Values() == [7, -7], "\(text)")
        }
    }

    @Test("an unsigned 64-bit value above Int.max is refused as an integer")
    func unsignedOverflow() throws {
        let url = directory.file("u8.npy")
        let data: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0xFF, count: 8)
        try rawNumPy(header(descr: "'<u8'"), data: data).write(to: url)
        let array = try NumPyArray(contentsOf: url)
        let error = #expect(throws: NumPyError.self) { try array.int64Values() }
        #expect(error?.fault == .integerOutOfRange(index: 1))
        #expect(array.tensor().scalars == [1, Float(UInt64.max)])
    }
}
