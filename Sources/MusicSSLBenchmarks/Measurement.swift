import Foundation

/// Wall-clock seconds `body` takes, on the monotonic clock.
func secondsTaken(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

/// Lets the other side's worker threads go idle before the next timed run.
///
/// OpenBLAS and OpenMP threads spin for a while after a parallel region; without the pause the
/// process measured next would share its cores with them.
func settle() {
    Thread.sleep(forTimeInterval: 0.3)
}

/// Median and minimum of a set of timings.
struct Summary {
    let median: Double
    let best: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        median = sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        best = sorted.first ?? .nan
    }
}

/// Resident memory of this process, read from `/proc/self/status` (Linux).
enum ResidentMemory {
    /// Resets the peak ("high-water mark") to the current resident size; false where the
    /// kernel offers no such reset.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else {
            return false
        }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Peak resident size in MiB since start or the last ``resetPeak()``, if known.
    static var peakMebibytes: Double? { statusMebibytes("VmHWM") }

    /// Current resident size in MiB, if known.
    static var currentMebibytes: Double? { statusMebibytes("VmRSS") }

    private static func statusMebibytes(_ field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return nil }
        return kibibytes / 1024
    }
}

/// One line describing the processor, from `/proc/cpuinfo` where it exists.
func processorDescription() -> String {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
        let name = line.split(separator: ":", maxSplits: 1).last
    else { return "\(cores) cores" }
    return "\(name.trimmingCharacters(in: .whitespaces)), \(cores) cores"
}

/// The processor's feature flags from `/proc/cpuinfo` (empty where that file does not exist).
func processorFlags() -> Set<String> {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
        let flags = line.split(separator: ":", maxSplits: 1).last
    else { return [] }
    return Set(flags.split(separator: " ").map(String.init))
}
