import MusicSSLCore

// Pointers to the first element for the raw loops and BLAS calls of the clustering kernels.
// An empty buffer has no first element; its body gets a one-element scratch pointer that it
// must not read (every caller checks its counts first).

extension Array {
    /// Calls `body` with the address of the first element.
    @inline(__always)
    func withBase<Result>(_ body: (UnsafePointer<Element>) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base) }
            return try withScratchPointer(of: Element.self) { try body(UnsafePointer($0)) }
        }
    }

    /// Calls `body` with the writable address of the first element.
    @inline(__always)
    mutating func withMutableBase<Result>(
        _ body: (UnsafeMutablePointer<Element>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base) }
            return try withScratchPointer(of: Element.self, body)
        }
    }
}

extension Tensor {
    /// Calls `body` with the address of the first element in row-major order.
    @inline(__always)
    func withBase<Result>(_ body: (UnsafePointer<Float>) throws -> Result) rethrows -> Result {
        try withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { return try body(base) }
            return try withScratchPointer(of: Float.self) { try body(UnsafePointer($0)) }
        }
    }
}

/// Calls `body` with an uninitialised one-element allocation, freed afterwards.
private func withScratchPointer<Element, Result>(
    of type: Element.Type, _ body: (UnsafeMutablePointer<Element>) throws -> Result
) rethrows -> Result {
    let scratch = UnsafeMutablePointer<Element>.allocate(capacity: 1)
    defer { scratch.deallocate() }
    return try body(scratch)
}
