import Foundation
import MusicSSLTrain

/// Progress through a batch of items, reported on standard error: a bar redrawn in place when
/// standard error is a terminal, otherwise a line at every tenth of the batch and at least
/// every 30 seconds, so logs stay short.
///
/// ```swift
/// let progress = ProgressBar(label: "features", total: urls.count)
/// for url in urls { ...; progress.advance(isFailure: false) }
/// progress.finish()
/// ```
final class ProgressBar {
    /// How progress is shown.
    enum Style: Equatable {
        /// One line redrawn in place (carriage return), for a terminal.
        case bar
        /// Separate lines at intervals, for a log file or pipe.
        case lines
    }

    /// Characters of the bar itself, between the brackets.
    static let barWidth = 30
    /// Shortest time between two redraws of the bar, so thousands of tiny items stay cheap.
    static let redrawInterval = 0.1
    /// Longest time between two lines in ``Style/lines``.
    static let lineInterval = 30.0

    private let label: String
    private let total: Int
    private let style: Style
    private let write: (String) -> Void
    private let clock: () -> Double
    private let start: Double
    private var completed = 0
    private var failures = 0
    private var lastReport: Double
    /// The count the bar last showed, so ``finish()`` does not draw the same line again.
    private var drawnCompleted = -1
    private var lastReportedTenth = 0
    private var isFinished = false

    /// Creates a reporter for `total` items.
    ///
    /// - Parameters:
    ///   - label: Names the batch at the start of every report, e.g. `features`.
    ///   - total: The number of items.
    ///   - style: ``Style/bar`` when standard error is a terminal, else ``Style/lines``.
    ///   - write: Receives each piece of output; standard error by default.
    ///   - clock: Seconds on a monotonic clock; the system's uptime by default.
    init(
        label: String, total: Int, style: Style = ProgressBar.standardErrorStyle(),
        write: @escaping (String) -> Void = ProgressBar.writeToStandardError,
        clock: @escaping () -> Double = ProgressBar.uptimeSeconds
    ) {
        self.label = label
        self.total = max(0, total)
        self.style = style
        self.write = write
        self.clock = clock
        start = clock()
        // The bar appears with the first item; log lines wait for the first tenth.
        lastReport = style == .bar ? -Double.infinity : start
    }

    /// Counts one more item done; `isFailure` counts it among the failures shown.
    func advance(isFailure: Bool = false) {
        completed = min(total, completed + 1)
        if isFailure { failures += 1 }
        let now = clock()
        switch style {
        case .bar:
            guard completed == total || now - lastReport >= Self.redrawInterval else { return }
            write("\r\u{1B}[K" + line(at: now))
            drawnCompleted = completed
        case .lines:
            let tenth = total == 0 ? 10 : completed * 10 / total
            guard tenth > lastReportedTenth || now - lastReport >= Self.lineInterval else { return }
            lastReportedTenth = tenth
            write(line(at: now) + "\n")
        }
        lastReport = now
    }

    /// Ends the report: the bar's line is closed with a newline; a batch that stopped early gets
    /// a last line with where it stopped. Later calls do nothing.
    func finish() {
        guard !isFinished else { return }
        isFinished = true
        switch style {
        case .bar:
            write((drawnCompleted == completed ? "" : "\r\u{1B}[K" + line(at: clock())) + "\n")
        case .lines:
            if completed < total { write(line(at: clock()) + "\n") }
        }
    }

    private func line(at now: Double) -> String {
        Self.render(
            label: label, completed: completed, total: total, failures: failures,
            elapsedSeconds: now - start, style: style)
    }

    /// One report: `features [=========>     ]  45/100  45 %  0:12 elapsed, ~0:15 left, 2 failed`
    /// (the bracketed bar only in ``Style/bar``).
    static func render(
        label: String, completed: Int, total: Int, failures: Int, elapsedSeconds: Double,
        style: Style
    ) -> String {
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        var parts = [label]
        if style == .bar {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            let head = filled < barWidth ? ">" : ""
            let rest = String(repeating: " ", count: max(0, barWidth - filled - head.count))
            parts.append("[" + String(repeating: "=", count: filled) + head + rest + "]")
        }
        let width = String(total).count
        let count =
            String(repeating: " ", count: width - String(completed).count)
            + "\(completed)/\(total)"
        parts.append(count)
        parts.append(String(format: "%3d %%", Int((fraction * 100).rounded(.down))))
        var timing = "\(clockTime(elapsedSeconds)) elapsed"
        if completed > 0, completed < total {
            let remaining = elapsedSeconds / Double(completed) * Double(total - completed)
            timing += ", ~\(clockTime(remaining)) left"
        }
        if failures > 0 { timing += ", \(failures) failed" }
        parts.append(timing)
        return parts.joined(separator: "  ")
    }

    /// `m:ss`, or `h:mm:ss` from an hour on (the training progress line's clock).
    static func clockTime(_ seconds: Double) -> String { TrainingProgressLine.clockTime(seconds) }

    /// ``Style/bar`` when standard error is a terminal, else ``Style/lines``.
    static func standardErrorStyle() -> Style {
        isatty(STDERR_FILENO) == 1 ? .bar : .lines
    }

    /// Writes `text` to standard error unbuffered.
    static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Seconds since boot on the monotonic clock.
    static func uptimeSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }
}
