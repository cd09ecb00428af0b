import Foundation
import MusicSSLTestSupport
import Testing

/// Every malformed file must raise a `SafeTensorsError` naming the file and the fault (and the
/// tensor, where one is at fault): never a crash, never an allocation from an unchecked size.
@Suite("Safetensors malformed files")
struct SafeTensorsFaultTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Writes `bytes` to a file, opens it, and returns the error raised (nil if none, which
    /// fails the test); checks the error names the file and, if given, `tensorName`.
    private func openingError(
        _ bytes: Data, tensorName: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> SafeTensorsError.Fault? {
        let url = directory.file("faulty.safetensors")
        try bytes.write(to: url)
        let error = #expect(throws: SafeTensorsError.self, sourceLocation: sourceLocation) {
            try SafeTensorsFile(contentsOf: url)
        }
        guard let error else { return nil }
        #expect(error.description.contains(url.path), sourceLocation: sourceLocation)
        #expect(error.tensorName == tensorName, sourceLocation: sourceLocation)
        if let tensorName {
            #expect(error.description.contains("'\(tensorName)'"), sourceLocation: sourceLocation)
        }
        return error.fault
    }

    /// A header holding one tensor `name` with the given JSON fields.
    private func header(
        _ name: String = "w", dtype: String = "\"F32\"", shape: String = "[2]",
        offsets: String = "[0, 8]"
    ) -> String {
        #"{"\#(name)": {"dtype": \#(dtype), "shape": \#(shape), "data_offsets": \#(offsets)}}"#
    }

    @Test("a file shorter than the length field is rejected")
    func fileTooShort() throws {
        #expect(try openingError(Data([1, 0, 0])) == .fileTooShort(byteCount: 3))
        #expect(try openingError(Data()) == .fileTooShort(byteCount: 0))
    }

    @Test("a header length past the end of the file is rejected")
    func headerLengthBeyondFile() throws {
        let file = rawSafeTensors(header: "{}", declaredHeaderLength: 1000)
        #expect(
            try openingError(file)
                == .headerLengthOutOfRange(declared: 1000, fileByteCount: 10))
        let huge = rawSafeTensors(header: "{}", declaredHeaderLength: .max)
        #expect(
            try openingError(huge)
                == .headerLengthOutOfRange(declared: .max, fileByteCount: 10))
    }

    @Test("a header length over the 100 MB cap is rejected even when the file is that long")
    func headerLengthOverCap() throws {
        let declared = UInt64(SafeTensorsFile.maximumHeaderByteCount + 1)
        let url = directory.file("sparse.safetensors")
        try rawSafeTensors(header: "{}", declaredHeaderLength: declared).write(to: url)
        // A sparse extension: the file is long enough, yet no disk space is used.
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: declared + 64)
        try handle.close()
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(contentsOf: url) }
        #expect(
            error?.fault
                == .headerLengthOutOfRange(declared: declared, fileByteCount: Int(declared) + 64))
    }

    @Test("a header that is not UTF-8 is rejected")
    func headerNotUTF8() throws {
        let bytes: [UInt8] = Array(#"{"w"#.utf8) + [0xFF] + Array(#"": 1}"#.utf8)
        #expect(try openingError(rawSafeTensors(headerBytes: bytes)) == .headerNotUTF8)
    }

    @Test("a header that is not a JSON object is rejected")
    func headerNotJSONObject() throws {
        for text in [#"{"w": {"#, "", "[1, 2]", "not json"] {
            let fault = try openingError(rawSafeTensors(header: text))
            guard case .headerNotJSONObject = fault else {
                Issue.record("header \(text.debugDescription) gave \(String(describing: fault))")
                continue
            }
        }
    }

    @Test("entries and fields of the wrong JSON type are rejected, naming the tensor")
    func malformedEntries() throws {
        let headers = [
            #"{"w": 5}"#,
            header(dtype: "1"),
            header(shape: "\"2\""),
            header(shape: "[1.5]"),
            header(shape: "[true]"),
            header(shape: "[18446744073709551615]"),
            #"{"w": {"shape": [2], "data_offsets": [0, 8]}}"#,
        ]
        for text in headers {
            let file = rawSafeTensors(header: text, data: [UInt8](repeating: 0, count: 8))
            let fault = try openingError(file, tensorName: "w")
            guard case .malformedEntry = fault else {
                Issue.record("header \(text) gave \(String(describing: fault))")
                continue
            }
        }
    }

    @Test("an unknown dtype is rejected")
    func unknownDType() throws {
        let file = rawSafeTensors(
            header: header(dtype: "\"F17\""), data: [UInt8](repeating: 0, count: 8))
        #expect(try openingError(file, tensorName: "w") == .unknownDType("F17"))
    }

    @Test("a negative extent is rejected")
    func negativeExtent() throws {
        let file = rawSafeTensors(
            header: header(shape: "[-1, 2]"), data: [UInt8](repeating: 0, count: 8))
        #expect(try openingError(file, tensorName: "w") == .negativeExtent(shape: [-1, 2]))
    }

    @Test("a shape whose element count or byte size overflows is rejected")
    func elementCountOverflow() throws {
        for shape in [[4_294_967_296, 4_294_967_296], [Int.max / 2, 1], [Int.max]] {
            let file = rawSafeTensors(header: header(shape: "\(shape)"), data: [])
            #expect(try openingError(file, tensorName: "w") == .elementCountOverflow(shape: shape))
        }
    }

    @Test("data_offsets that are not two ascending non-negative integers are rejected")
    func invalidDataOffsets() throws {
        let data = [UInt8](repeating: 0, count: 16)
        for offsets in [
            "[8]", "[8, 0]", "[-8, 0]", "[0, 8, 16]", #"["0", "8"]"#, "[0, 8.5]", "null",
        ] {
            let fault = try openingError(
                rawSafeTensors(header: header(offsets: offsets), data: data), tensorName: "w")
            guard case .invalidDataOffsets = fault else {
                Issue.record("offsets \(offsets) gave \(String(describing: fault))")
                continue
            }
        }
    }

    @Test("data ending past the buffer is rejected")
    func dataOutOfBounds() throws {
        let file = rawSafeTensors(
            header: header(shape: "[4]", offsets: "[0, 16]"), data: [UInt8](repeating: 0, count: 8))
        #expect(
            try openingError(file, tensorName: "w")
                == .dataOutOfBounds(end: 16, bufferByteCount: 8))
    }

    @Test("a byte range that does not match the shape and dtype is rejected")
    func byteCountMismatch() throws {
        let file = rawSafeTensors(
            header: header(shape: "[2, 3]", offsets: "[0, 12]"),
            data: [UInt8](repeating: 0, count: 24))
        #expect(
            try openingError(file, tensorName: "w")
                == .byteCountMismatch(dtype: .f32, shape: [2, 3], expected: 24, actual: 12))
        let packed = rawSafeTensors(
            header: header(dtype: "\"F4\"", shape: "[3]", offsets: "[0, 1]"), data: [0])
        let fault = try openingError(packed, tensorName: "w")
        guard case .malformedEntry = fault else {
            Issue.record("3 F4 elements (12 bits) gave \(String(describing: fault))")
            return
        }
    }

    @Test("overlapping tensors are rejected")
    func overlappingTensors() throws {
        let text = #"""
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """#
        let file = rawSafeTensors(header: text, data: [UInt8](repeating: 0, count: 12))
        #expect(try openingError(file, tensorName: "b") == .overlappingTensors(other: "a"))
    }

    @Test("a repeated tensor name is rejected, escaped spellings included")
    func duplicateNames() throws {
        let entry = #"{"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}"#
        let data = [UInt8](repeating: 0, count: 4)
        let plain = rawSafeTensors(header: #"{"a": \#(entry), "a": \#(entry)}"#, data: data)
        #expect(try openingError(plain, tensorName: "a") == .duplicateName)
        let escaped = rawSafeTensors(header: #"{"a": \#(entry), "\u0061": \#(entry)}"#, data: data)
        #expect(try openingError(escaped, tensorName: "a") == .duplicateName)
    }

    @Test("names with quotes, commas and braces are not mistaken for repeats")
    func trickyNamesAreNotRepeats() throws {
        let text = #"""
            {"a\",{\"b\": [": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "\\": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]},
             "__metadata__": {"x": "}, \"y\": ["}}
            """#
        let url = directory.file("tricky.safetensors")
        try rawSafeTensors(header: text, data: [UInt8](repeating: 0, count: 8)).write(to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(file.tensorNames == [#"\"#, #"a",{"b": ["#])
        #expect(file.metadata == ["x": #"}, "y": ["#])
    }

    @Test("metadata that is not a string-to-string object is rejected")
    func invalidMetadata() throws {
        for metadata in [#"{"step": 12}"#, #""text""#, #"{"nested": {"a": "b"}}"#] {
            let fault = try openingError(rawSafeTensors(header: #"{"__metadata__": \#(metadata)}"#))
            guard case .invalidMetadata = fault else {
                Issue.record("metadata \(metadata) gave \(String(describing: fault))")
                continue
            }
        }
    }

    @Test("a missing file or a directory is reported with its path")
    func unreadableFiles() throws {
        for url in [directory.file("absent.safetensors"), directory.url] {
            let error = #expect(throws: SafeTensorsError.self) {
                try SafeTensorsFile(contentsOf: url)
            }
            #expect(error?.description.contains(url.path) == true)
            guard case .fileSystem = error?.fault else {
                Issue.record("\(url.path) gave \(String(describing: error))")
                continue
            }
        }
    }

    @Test("a header padded with spaces, gaps between tensors and trailing bytes are accepted")
    func lenientLayout() throws {
        let text = #"""
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]},
             "b": {"dtype": "F32", "shape": [], "data_offsets": [12, 16]}}
            """# + String(repeating: " ", count: 6)
        let data = littleEndianBytes([0, Float(1.5).bitPattern, 0, Float(-2).bitPattern, 7])
        let url = directory.file("gaps.safetensors")
        try rawSafeTensors(header: text, data: data).write(to: url)
        let file = try SafeTensorsFile(contentsOf: url)
        #expect(try file.tensor(named: "a").scalars == [1.5])
        #expect(try file.tensor(named: "b").shape == [])
        #expect(try file.tensor(named: "b").scalars == [-2])
    }
}
