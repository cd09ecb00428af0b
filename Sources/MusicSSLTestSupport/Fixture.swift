import Foundation
import MusicSSLCore

/// Loads the PyTorch reference fixtures that tests compare against.
///
/// Each area's generator (`Tests/FixtureGenerators/<area>.py`) writes
/// `Tests/<Target>Tests/Fixtures/<area>.safetensors`; test targets copy their `Fixtures` folder
/// into their bundle, so a test reads it with `try Fixture.load("<area>", in: Bundle.module)`.
public enum Fixture {
    /// Every tensor of `Fixtures/<name>.safetensors` in `bundle`, keyed by name.
    ///
    /// - Throws: ``FixtureError`` when the file is not in the bundle, ``SafeTensorsError`` when
    ///   it cannot be read.
    public static func load(_ name: String, in bundle: Bundle) throws -> [String: Tensor] {
        guard
            let url = bundle.url(
                forResource: name, withExtension: "safetensors", subdirectory: "Fixtures")
        else {
            throw FixtureError(name: name, bundlePath: bundle.bundlePath)
        }
        return try SafeTensorsFile(contentsOf: url).allTensors()
    }
}

/// A fixture file that is not in the test bundle.
public struct FixtureError: Error, CustomStringConvertible {
    /// The fixture's name, without folder or extension.
    public let name: String
    /// The bundle that was searched.
    public let bundlePath: String

    public var description: String {
        "[Fixture] Fixtures/\(name).safetensors is not in \(bundlePath); run its generator in "
            + "Tests/FixtureGenerators and check the test target copies its Fixtures folder"
    }
}
