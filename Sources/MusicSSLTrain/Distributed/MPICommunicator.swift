import CMPI
import Foundation

/// The ranks `mpirun` started, over Open MPI's `MPI_COMM_WORLD`.
///
/// ``launched()`` initialises MPI once per process, and only when `mpirun` (or another PMIx
/// launcher) started it, so the same `msl` binary runs on its own without touching MPI. MPI is
/// initialised for one calling thread (`MPI_THREAD_FUNNELED`): only the thread that made the
/// communicator may call its collectives. Errors come back as ``CommunicatorError`` with Open
/// MPI's message; a rank that dies makes `mpirun` end the others.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Ranks on this host (`OMPI_COMM_WORLD_LOCAL_SIZE`), which share its cores.
    public let localSize: Int
    private var isFinalized = false

    nonisolated(unsafe) private static var shared: MPICommunicator?
    private static let sharedLock = NSLock()

    /// The environment variables a launcher sets in every rank (Open MPI, PMIx, MPICH's PMI).
    static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"]

    /// Whether a launcher started this process (`OMPI_COMM_WORLD_SIZE`, `PMIX_RANK` or `PMI_RANK` is set).
    public static var isLaunched: Bool {
        let environment = ProcessInfo.processInfo.environment
        return launcherVariables.contains { environment[$0] != nil }
    }

    /// The job's communicator when `mpirun` started this process (MPI initialised on first
    /// call), nil otherwise.
    ///
    /// - Throws: ``CommunicatorError`` when MPI fails to initialise.
    public static func launched() throws -> MPICommunicator? {
        guard isLaunched else { return nil }
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let shared { return shared }
        let communicator = try MPICommunicator()
        shared = communicator
        return communicator
    }

    private init() throws {
        var provided: Int32 = 0
        try Self.check(MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided), "init", rank: -1)
        MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(MPI_Comm_rank(cmpi_comm_world(), &rank), "rank", rank: -1)
        try Self.check(MPI_Comm_size(cmpi_comm_world(), &size), "size", rank: Int(rank))
        self.rank = Int(rank)
        self.size = Int(size)
        let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init)
        localSize = Swift.max(1, local ?? Int(size))
    }

    /// The threads this rank should run: the cores it is bound to when `mpirun` bound it (its
    /// default for up to two ranks: one core each), else the host's cores divided among the
    /// ranks on it (`--bind-to none`).
    public var coreShare: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let allowed = Self.allowedCoreCount() ?? cores
        return allowed < cores ? Swift.max(1, allowed) : Swift.max(1, cores / localSize)
    }

    /// The CPUs this process may run on (its affinity mask, `Cpus_allowed` of
    /// `/proc/self/status`), nil where that is unknown.
    static func allowedCoreCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return nil }
        let digits = line.dropFirst("Cpus_allowed:".count).filter(\.isHexDigit)
        guard !digits.isEmpty else { return nil }
        return digits.reduce(0) { $0 + ($1.hexDigitValue ?? 0).nonzeroBitCount }
    }

    /// Largest element count one MPI call carries (its counts are 32-bit).
    static let maximumCount = 1 << 30

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
        guard let base = values.baseAddress else { return }
        var start = 0
        while start < values.count {
            let count = Swift.min(Self.maximumCount, values.count - start)
            try check(
                MPI_Allreduce(cmpi_in_place(), base + start, Int32(count), cmpi_float(), cmpi_sum(), cmpi_comm_world()),
                "allreduce")
            start += count
        }
    }

    public func allReduceSum(_ values: inout [Double]) throws {
        let count = values.count
        guard count > 0 else { return }
        try values.withUnsafeMutableBufferPointer { buffer in
            try check(
                MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, Int32(count), cmpi_double(), cmpi_sum(), cmpi_comm_world()),
                "allreduce")
        }
    }

    public func allReduceMinimum(_ value: Int) throws -> Int {
        try reduce(value, cmpi_min())
    }

    public func allReduceMaximum(_ value: Int) throws -> Int {
        try reduce(value, cmpi_max())
    }

    private func reduce(_ value: Int, _ operation: MPI_Op) throws -> Int {
        var result = Int64(value)
        try check(MPI_Allreduce(cmpi_in_place(), &result, 1, cmpi_int64(), operation, cmpi_comm_world()), "allreduce")
        return Int(result)
    }

    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws {
        guard root >= 0, root < size else {
            throw CommunicatorError(operation: "broadcast", rank: rank, message: "root \(root) outside a job of \(size)")
        }
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let count = Swift.min(Self.maximumCount, bytes.count - start)
            try check(MPI_Bcast(base + start, Int32(count), cmpi_byte(), Int32(root), cmpi_comm_world()), "broadcast")
            start += count
        }
    }

    public func barrier() throws {
        try check(MPI_Barrier(cmpi_comm_world()), "barrier")
    }

    public func abort(code: Int32) -> Never {
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)
    }

    /// Ends MPI for this process (`MPI_Finalize`): call once, when the job's work is done, on
    /// every rank. Later calls do nothing.
    public func finalize() {
        guard !isFinalized else { return }
        isFinalized = true
        MPI_Finalize()
    }

    private func check(_ code: Int32, _ operation: String) throws {
        try Self.check(code, operation, rank: rank)
    }

    private static func check(_ code: Int32, _ operation: String, rank: Int) throws {
        guard code != cmpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        throw CommunicatorError(operation: operation, rank: rank, message: String(cString: text))
    }
}
