import CBLAS
import Foundation

/// Choices OpenBLAS makes once, when the library loads, from environment variables.
///
/// Debian's OpenBLAS 0.3.21 picks its kernels from the CPU model it knows. On CPUs newer than
/// the library (AMD Zen 5, for one) it falls back to the AVX2 "Haswell" kernels even when the
/// CPU has AVX-512, and GEMM runs about 1.6× slower than it could (measured in
/// `Documentation/Benchmarks.md`). Executables call ``relaunchWithRecommendedSettings()`` first
/// thing to restart themselves once with `OPENBLAS_CORETYPE=SkylakeX` on such machines.
public enum BLASEnvironment {
    /// Set in the relaunched process so it never relaunches again; set it yourself to opt out.
    public static let relaunchMarker = "MUSICSSL_BLAS_RELAUNCHED"

    /// The kernel family OpenBLAS chose, e.g. `Haswell` or `SkylakeX`.
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// AVX-512 extensions OpenBLAS's SkylakeX kernels need.
    static let requiredFlags: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    /// Environment variables to add, given the CPU's flags, the chosen core and the environment.
    ///
    /// Empty when OpenBLAS already uses AVX-512 kernels, the CPU lacks AVX-512, or the user set
    /// `OPENBLAS_CORETYPE` (their choice wins).
    public static func recommendedSettings(
        cpuFlags: Set<String>, coreName: String, environment: [String: String]
    ) -> [String: String] {
        guard environment["OPENBLAS_CORETYPE"] == nil, requiredFlags.isSubset(of: cpuFlags) else { return [:] }
        let avx2Cores: Set<String> = ["haswell", "zen", "excavator", "sandybridge", "prescott"]
        guard avx2Cores.contains(coreName.lowercased()) else { return [:] }
        return ["OPENBLAS_CORETYPE": "SkylakeX"]
    }

    /// CPU feature flags from `/proc/cpuinfo` (empty where that file does not exist).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return [] }
        return Set(line.split(separator: ":").dropFirst().joined().split(separator: " ").map(String.init))
    }

    /// Restarts the current executable with the recommended OpenBLAS settings, if any apply and
    /// it has not been restarted already. Returns only when no restart happens (or `exec` fails,
    /// in which case the process goes on with the library as loaded).
    public static func relaunchWithRecommendedSettings() {
        let environment = ProcessInfo.processInfo.environment
        guard environment[relaunchMarker] == nil else { return }
        let settings = recommendedSettings(cpuFlags: cpuFlags(), coreName: coreName, environment: environment)
        guard !settings.isEmpty else { return }
        for (key, value) in settings { setenv(key, value, 1) }
        setenv(relaunchMarker, "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
