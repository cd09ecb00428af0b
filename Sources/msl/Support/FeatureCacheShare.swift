import Foundation
import MusicSSLCore
import MusicSSLProbe
import MusicSSLTrain

extension ProbeSession {
    /// Builds this rank's share of the feature caches that ``run(rows:tasks:preamble:)`` would
    /// build: for every encoder row (a checkpoint or its random initialisation) and task, the
    /// items ``Communicator/share(of:)`` gives this rank, into the same files a single process
    /// writes (``ProbePipeline/cacheBuilder(for:)``, one atomic file per item).
    ///
    /// What `msl benchmark` does on every rank under `mpirun` before a barrier; rank 0 then
    /// runs the session alone and finds every item cached (its own build retries, and reports,
    /// the items that failed on any rank). Items of tasks sharing a cache folder and settings
    /// are shared out once. The MFCC baseline has no cache and is left to rank 0. Rank 0 shows
    /// the progress of its own share; the other ranks are silent.
    func buildFeatureCacheShare(rows: [Row], tasks: [Task], communicator: any Communicator) throws {
        for row in rows {
            let model: EncoderModel
            switch row {
            case .checkpoint(let checkpoint):
                model = try EncoderCheckpoint.importEncoder(
                    from: URL(fileURLWithPath: checkpoint.path)
                ).model
            case .randomInitialization(let path, let seed, _):
                model = try Self.randomlyInitialized(architectureOf: path, seed: seed)
            case .mfccStatistics:
                continue
            }
            let fingerprint = String(try EncoderFingerprint.of(model).prefix(16))
            // Item ids already shared out, per cache folder and settings.
            var claimed: [String: Set<String>] = [:]
            for entry in tasks {
                let builder = try pipeline(
                    model: model, fingerprint: fingerprint, name: row.name, task: entry
                )
                .cacheBuilder(for: entry.task)
                let key = builder.cache.directory.path + " \(builder.cache.header)"
                let items = entry.task.items.filter {
                    claimed[key, default: []].insert($0.id).inserted
                }
                let share = communicator.share(of: items)
                let progress =
                    communicator.isRoot
                    ? ProgressBar(
                        label:
                            "features \(entry.task.name) (\(row.name), \(communicator.rankDescription))",
                        total: share.count)
                    : nil
                try builder.build(share.map(FeatureCacheBuilder.Item.init)) { event in
                    progress?.advance(isFailure: event.failure != nil)
                }
                progress?.finish()
            }
        }
    }
}
