import Foundation
import MusicSSLCore
import MusicSSLTrain

/// A 64-bit XXH64 fingerprint of an encoder — its configuration (JSON) and every parameter's
/// name, shape and float32 bytes in name order — written as 16 hex digits. Two models give the
/// same fingerprint exactly when they compute the same function with the same weights, whatever
/// file they were loaded from (an HF directory and its MusicSSL conversion agree).
public enum EncoderFingerprint {
    /// The fingerprint of `model`.
    public static func of(_ model: EncoderModel) throws -> String {
        var hasher = XXHash64()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        hasher.update(Array(try encoder.encode(model.configuration)))
        for (name, parameter) in model.namedParameters().sorted(by: { $0.name < $1.name }) {
            hasher.update(Array(name.utf8) + [0])
            hasher.update(
                parameter.shape.flatMap { withUnsafeBytes(of: Int64($0).littleEndian, Array.init) })
            parameter.value.withUnsafeBufferPointer { hasher.update(UnsafeRawBufferPointer($0)) }
        }
        return String(format: "%016llx", hasher.finalize())
    }
}
