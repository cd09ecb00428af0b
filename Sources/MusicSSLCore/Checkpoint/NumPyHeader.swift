/// The validated header of a `.npy` file: element type, memory order and shape.
///
/// numpy writes it as a Python dict literal with exactly three keys, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, and checks it the same way
/// (`numpy.lib.format._read_array_header`): the keys must be exactly these, `shape` a tuple of
/// integers, `fortran_order` a bool.
struct NumPyHeader: Equatable {
    /// The element type.
    let dtype: NumPyDType
    /// Whether the data is stored column-major (first axis fastest).
    let isFortranOrder: Bool
    /// Extent of each axis, outermost first; empty for a scalar.
    let shape: [Int]
    /// The number of elements, the product of `shape`.
    let elementCount: Int
    /// The number of data bytes the header describes.
    let byteCount: Int

    /// Parses and validates the header text.
    ///
    /// - Throws: ``NumPyError`` naming `path` when the text is not a dict literal of the form
    ///   numpy writes, its dtype is not supported, or its shape is negative or too large.
    init(parsing text: String, path: String) throws {
        var parser = PythonDictParser(text)
        let entries: [(key: String, value: PythonLiteral)]
        do {
            entries = try parser.parseDictionary()
        } catch let error as PythonDictParser.SyntaxError {
            throw NumPyError(path: path, .headerSyntax(error.message))
        }
        var values: [String: PythonLiteral] = [:]
        for (key, value) in entries {
            guard Self.keys.contains(key), values.updateValue(value, forKey: key) == nil else {
                throw NumPyError(path: path, .unexpectedKey(key))
            }
        }
        for key in Self.keys where values[key] == nil {
            throw NumPyError(path: path, .missingKey(key))
        }

        guard case .string(let descr) = values["descr"] else {
            // A list here is a structured dtype, which has no Float32 meaning.
            throw NumPyError(path: path, .unsupportedDType(values["descr"]?.repr ?? ""))
        }
        guard let dtype = NumPyDType(descr: descr) else {
            throw NumPyError(path: path, .unsupportedDType("'\(descr)'"))
        }
        guard case .boolean(let isFortranOrder) = values["fortran_order"] else {
            throw NumPyError(
                path: path,
                .invalidValue(key: "fortran_order", found: values["fortran_order"]?.repr ?? ""))
        }
        guard case .tuple(let items) = values["shape"] else {
            throw NumPyError(
                path: path, .invalidValue(key: "shape", found: values["shape"]?.repr ?? ""))
        }
        var shape: [Int] = []
        for item in items {
            guard case .integer(let extent) = item else {
                throw NumPyError(
                    path: path, .invalidValue(key: "shape", found: values["shape"]?.repr ?? ""))
            }
            shape.append(extent)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw NumPyError(path: path, .negativeExtent(shape: shape))
        }
        var elementCount = 1
        for extent in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw NumPyError(path: path, .elementCountOverflow(shape: shape))
            }
            elementCount = product
        }
        let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteCount)
        guard !overflow else { throw NumPyError(path: path, .elementCountOverflow(shape: shape)) }

        self.dtype = dtype
        self.isFortranOrder = isFortranOrder
        self.shape = shape
        self.elementCount = elementCount
        self.byteCount = byteCount
    }

    /// The keys numpy writes, in its (sorted) order.
    static let keys = ["descr", "fortran_order", "shape"]

    /// The header text numpy 2 writes for a C-order array, before padding: the dict literal plus
    /// the spare spaces it leaves so the first extent can grow in place.
    ///
    /// As `numpy.lib.format._write_array_header`: keys sorted, each followed by `, `, then
    /// `GROWTH_AXIS_MAX_DIGITS` (21) minus the digits of the first extent in spaces.
    static func literal(dtype: NumPyDType, shape: [Int]) -> String {
        let dict =
            "{'descr': '\(dtype.descr)', 'fortran_order': False, "
            + "'shape': \(shapeLiteral(shape)), }"
        let growthSpace = shape.first.map { 21 - String($0).count } ?? 0
        return dict + String(repeating: " ", count: Swift.max(0, growthSpace))
    }

    /// A shape as Python writes a tuple: `()`, `(3,)`, `(3, 4)`.
    static func shapeLiteral(_ shape: [Int]) -> String {
        shape.count == 1
            ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    }
}
