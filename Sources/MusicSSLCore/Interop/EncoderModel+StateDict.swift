extension EncoderModel {
    /// Copies a checkpoint's tensors into this model's parameters.
    ///
    /// Names are translated by ``StateDictNames`` (wrapper prefixes, both weight-norm spellings,
    /// fairseq names). In strict mode nothing is changed unless every parameter is provided
    /// exactly once with its shape and no tensor is unexpected; otherwise the matching tensors
    /// are loaded and the rest reported.
    ///
    /// - Parameters:
    ///   - stateDict: Tensors by source name.
    ///   - naming: How the source names tensors; `nil` detects it from the names.
    ///   - strict: Throw on any missing, unexpected, mis-shaped or repeated tensor.
    ///   - source: Named in errors (usually the file's path).
    /// - Returns: What was loaded, ignored and wrong, by name.
    /// - Throws: ``EncoderCheckpointError/stateDictMismatch(source:report:)`` in strict mode.
    @discardableResult
    public func load(
        stateDict: [String: Tensor], naming: StateDictNaming? = nil, strict: Bool = true,
        source: String = "state dict"
    ) throws -> LoadReport {
        let naming = naming ?? StateDictNames.detectNaming(stateDict.keys)
        var report = LoadReport(naming: naming)
        let parameters = namedParameters()
        let shapes = Dictionary(
            uniqueKeysWithValues: parameters.map { ($0.name, $0.parameter.value.shape) })
        var assignments: [String: Tensor] = [:]
        for sourceName in stateDict.keys.sorted() {
            guard let tensor = stateDict[sourceName] else { continue }
            switch StateDictNames.translate(sourceName, from: naming) {
            case .ignored:
                report.ignored.append(sourceName)
            case .parameter(let name) where shapes[name] != nil:
                if assignments[name] != nil {
                    report.duplicates.append(sourceName)
                } else if tensor.shape != shapes[name] {
                    report.shapeMismatches.append(
                        .init(name: sourceName, expected: shapes[name] ?? [], found: tensor.shape))
                } else {
                    assignments[name] = tensor
                }
            case .parameter, nil:
                report.unexpected.append(sourceName)
            }
        }
        let mismatchedTargets = Set(
            report.shapeMismatches.compactMap {
                if case .parameter(let name) = StateDictNames.translate($0.name, from: naming) {
                    name
                } else {
                    nil
                }
            })
        report.missing = parameters.map(\.name).filter {
            assignments[$0] == nil && !mismatchedTargets.contains($0)
        }
        if strict && !report.isComplete {
            throw EncoderCheckpointError.stateDictMismatch(source: source, report: report)
        }
        for (name, parameter) in parameters {
            guard let tensor = assignments[name] else { continue }
            parameter.value = tensor
            report.loaded.append(name)
        }
        return report
    }
}
