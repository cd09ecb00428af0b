import CCrypto
import Foundation

/// The deterministic artist-hash splits of jukemir and MARBLE (probe-spec §2.3): an artist's
/// SHA-1, read as a big integer, modulo the length of a ratio table picks the split, so every
/// track by one artist lands in the same split.
///
/// GiantSteps key (`tasks/GS/preprocess.py`, from `p-lambda/jukemir jukemir/datasets`) uses 100
/// `train` then 16 `valid` entries on `artist.lower()`; Emomusic (`tasks/EMO/preprocess.py`)
/// uses 8 `train` then 2 `valid` on the artist normalised by ``emomusicArtistKey(_:)``.
enum ArtistHashSplit {
    /// GiantSteps: `["train"] * 100 + ["valid"] * 16`.
    static let giantSteps = (trainCount: 100, validCount: 16)
    /// Emomusic: `["train"] * 8 + ["valid"] * 2`.
    static let emomusic = (trainCount: 8, validCount: 2)

    /// The split of `key`: `int(sha1(key.encode("utf-8")).hexdigest(), 16) % (train + valid)`
    /// is below `trainCount` for train.
    static func split(of key: String, trainCount: Int, validCount: Int) -> DataSplit {
        let digest = sha1(Array(key.utf8))
        return remainder(of: digest, modulo: trainCount + validCount) < trainCount
            ? .train : .valid
    }

    /// SHA-1 of `bytes` through OpenSSL's libcrypto.
    static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA1(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }

    /// The big-endian integer `digest` modulo `modulus`, by Horner's rule on bytes.
    static func remainder(of digest: [UInt8], modulo modulus: Int) -> Int {
        digest.reduce(0) { ($0 * 256 + Int($1)) % modulus }
    }

    /// Emomusic's artist key: lower-cased, only ASCII letters and ASCII whitespace kept, then
    /// split on whitespace and joined with single spaces (MARBLE `tasks/EMO/preprocess.py`:
    /// `c.isalpha() or c.isspace()` for `ord(c) < 128`, then `" ".join(artist.split())`).
    static func emomusicArtistKey(_ artist: String) -> String {
        let kept = artist.lowercased().unicodeScalars.filter { scalar in
            ("a"..."z").contains(scalar) || isPythonASCIISpace(scalar)
        }
        return String(String.UnicodeScalarView(kept)).unicodeScalars
            .split(whereSeparator: isPythonASCIISpace)
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    /// Python's `str.isspace()` below 128: tab, line feed, vertical tab, form feed, carriage
    /// return, the four information separators 0x1C–0x1F, and space.
    static func isPythonASCIISpace(_ scalar: Unicode.Scalar) -> Bool {
        (0x09...0x0D).contains(scalar.value) || (0x1C...0x20).contains(scalar.value)
    }
}
