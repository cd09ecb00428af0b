import Foundation
import MusicSSLCore

/// Loads the reference fixtures that tests compare against.
///
/// Each area's generator (`Tests/FixtureGenerators/<area>.py`) writes
/// `Tests/<Target>Tests/Fixtures/<area>.safetensors` or `.npy` files under
/// `Tests/<Target>Tests/Fixtures/`; test targets copy their `Fixtures` folder into their bundle,
/// so a test reads them with `try Fixture.load("<area>", in: Bundle.module)` or
/// `try Fixture.loadNumPy("kaldi/mfcc39", in: Bundle.module)`.
public enum Fixture {
    /// Every tensor of `Fixtures/<name>.safetensors` in `bundle`, keyed by name.
    ///
    /// - Throws: ``FixtureError`` when the file is not in the bundle, ``SafeTensorsError`` when
    ///   it cannot be read.
    public static func load(_ name: String, in bundle: Bundle) throws -> [String: Tensor] {
        try SafeTensorsFile(contentsOf: url(name, fileExtension: "safetensors", in: bundle))
            .allTensors()
    }

    /// The array of `Fixtures/<name>.npy` in `bundle` as a Float32 tensor of its shape.
    ///
    /// - Parameter name: The path below `Fixtures` without extension; it may name subfolders,
    ///   e.g. `"kaldi/mfcc39"` for `Fixtures/kaldi/mfcc39.npy`.
    /// - Throws: ``FixtureError`` when the file is not in the bundle, ``NumPyError`` when it
    ///   cannot be read.
    public static func loadNumPy(_ name: String, in bundle: Bundle) throws -> Tensor {
        try loadNumPyArray(name, in: bundle).tensor()
    }

    /// The array of `Fixtures/<name>.npy` in `bundle`, opened but not converted; use it for
    /// integer arrays (``NumPyArray/int64Values()``) or to check the stored dtype.
    ///
    /// - Throws: ``FixtureError`` when the file is not in the bundle, ``NumPyError`` when it
    ///   cannot be read.
    public static func loadNumPyArray(_ name: String, in bundle: Bundle) throws -> NumPyArray {
        try NumPyArray(contentsOf: url(name, fileExtension: "npy", in: bundle))
    }

    /// The location of `Fixtures/<name>.<fileExtension>` in `bundle`; `name` may contain `/`.
    private static func url(
        _ name: String, fileExtension: String, in bundle: Bundle
    ) throws
        -> URL
    {
        // Bundle lookups take the folder separately from the file name.
        var components = name.split(separator: "/", omittingEmptySubsequences: true)
            .map(String.init)
        let resource = components.popLast() ?? name
        let subdirectory = (["Fixtures"] + components).joined(separator: "/")
        guard
            let url = bundle.url(
                forResource: resource, withExtension: fileExtension, subdirectory: subdirectory)
        else {
            throw FixtureError(
                name: name, fileExtension: fileExtension, bundlePath: bundle.bundlePath)
        }
        return url
    }
}

/// A fixture file that is not in the test bundle.
public struct FixtureError: Error, CustomStringConvertible {
    /// The fixture's name below `Fixtures`, without extension.
    public let name: String
    /// The file's extension, `safetensors` or `npy`.
    public let fileExtension: String
    /// The bundle that was searched.
    public let bundlePath: String

    public var description: String {
        "[Fixture] Fixtures/\(name).\(fileExtension) is not in \(bundlePath); run its generator "
            + "in Tests/FixtureGenerators and check the test target copies its Fixtures folder"
    }
}
