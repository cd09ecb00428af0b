import ArgumentParser
import Foundation
import MusicSSLCore
import MusicSSLTrain

/// The processes one `msl` command runs as: the ranks `mpirun` started (over Open MPI), or this
/// process alone, so that `msl pretrain …` and `mpirun -np 4 msl pretrain …` are one command.
///
/// Under `mpirun`, each rank takes its share of the host's cores for OpenBLAS and MusicSSL's
/// own kernels (the cores it is bound to, or the cores over the ranks on the host when unbound), and an error on any rank ends the whole
/// job at once with that rank's message (`MPI_Abort`) instead of leaving the others waiting in
/// a collective.
struct DistributedJob {
    /// The job's ranks.
    let communicator: any Communicator
    /// The thread counts of MusicSSL's kernels and of OpenBLAS before ``join()`` divided the
    /// host's cores between its ranks: what this process would use alone.
    let soleThreadCounts = (kernels: Parallelism.threadCount, blas: BLAS.threadCount)

    /// Joins the job `mpirun` started, or makes a job of this process alone.
    static func join() throws -> DistributedJob {
        guard let mpi = try MPICommunicator.launched() else {
            return DistributedJob(communicator: SingleProcessCommunicator())
        }
        let job = DistributedJob(communicator: mpi)
        let share = mpi.coreShare
        Parallelism.threadCount = share
        BLAS.threadCount = share
        return job
    }

    /// Gives this process the thread counts it had before ``join()`` shared the cores out: for
    /// work rank 0 goes on with alone once the other ranks are done (`msl benchmark`'s probes).
    /// The threads still run on the cores `mpirun` bound the rank to (`--bind-to none` frees
    /// them).
    func useWholeHost() {
        Parallelism.threadCount = soleThreadCounts.kernels
        BLAS.threadCount = soleThreadCounts.blas
    }

    /// The job's rank count as the launcher's environment gives it (`OMPI_COMM_WORLD_SIZE`,
    /// `PMI_SIZE`), without initialising MPI; nil when no launcher started this process.
    static var launchedRankCount: Int? {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"].lazy.compactMap { environment[$0].flatMap(Int.init) }.first
    }

    /// Whether this process prints the command's output (rank 0).
    var isRoot: Bool { communicator.isRoot }

    /// Runs `body` on every rank, then ends MPI; an error in a job of several ranks is written
    /// to standard error with the rank that met it and ends every rank with status 1.
    ///
    /// - Parameter synchronizingAtEnd: Whether the ranks wait for each other (a barrier) after
    ///   `body`. Pass false when ranks leave `body` at different times on purpose (in
    ///   `msl benchmark` rank 0 probes alone after the others are done): they then wait in
    ///   `MPI_Finalize`, which polls lazily (about an eighth of a core, measured with Open MPI
    ///   4.1) instead of spinning on a whole core in a barrier.
    func run<Result>(synchronizingAtEnd: Bool = true, _ body: () throws -> Result) throws -> Result {
        do {
            let result = try body()
            if synchronizingAtEnd && communicator.size > 1 { try communicator.barrier() }
            (communicator as? MPICommunicator)?.finalize()
            return result
        } catch {
            guard communicator.size > 1 else { throw error }
            ProgressBar.writeToStandardError(
                "Error on \(communicator.rankDescription): \(MSL.message(for: error))\n"
                    + "msl: stopping every rank of the job\n")
            communicator.abort(code: 1)
        }
    }
}
