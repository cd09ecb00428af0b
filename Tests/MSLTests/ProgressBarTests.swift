import Testing

@testable import msl

@Suite("Progress bar")
struct ProgressBarTests {
    /// A clock the test moves by hand and the output it collects.
    final class Recorder {
        var now = 0.0
        var output: [String] = []
    }

    private func progressBar(
        total: Int, style: ProgressBar.Style, _ recorder: Recorder
    )
        -> ProgressBar
    {
        ProgressBar(
            label: "features", total: total, style: style,
            write: { recorder.output.append($0) }, clock: { recorder.now })
    }

    @Test("a report shows the bar, the count, the percentage, the time and the failures")
    func render() {
        let line = ProgressBar.render(
            label: "features", completed: 45, total: 100, failures: 2, elapsedSeconds: 12,
            style: .bar)
        #expect(
            line == "features  [=============>                ]   45/100   45 %  "
                + "0:12 elapsed, ~0:15 left, 2 failed")
        let done = ProgressBar.render(
            label: "features", completed: 3, total: 3, failures: 0, elapsedSeconds: 3725,
            style: .bar)
        #expect(done == "features  [==============================]  3/3  100 %  1:02:05 elapsed")
        let plain = ProgressBar.render(
            label: "features", completed: 0, total: 7, failures: 0, elapsedSeconds: 0.4,
            style: .lines)
        #expect(plain == "features  0/7    0 %  0:00 elapsed")
    }

    @Test("on a terminal the bar is redrawn in place at most ten times a second")
    func terminalRedraws() {
        let recorder = Recorder()
        let bar = progressBar(total: 4, style: .bar, recorder)
        bar.advance()
        recorder.now = 0.05
        bar.advance()  // too soon: not drawn
        recorder.now = 0.2
        bar.advance(isFailure: true)
        recorder.now = 0.21
        bar.advance()  // the last item is always drawn
        bar.finish()
        bar.finish()
        #expect(recorder.output.count == 4)
        #expect(recorder.output.prefix(3).allSatisfy { $0.hasPrefix("\r\u{1B}[K") })
        #expect(recorder.output[0].contains("1/4"))
        #expect(recorder.output[1].contains("3/4") && recorder.output[1].contains("1 failed"))
        #expect(recorder.output[2].contains("4/4"))
        #expect(recorder.output[3] == "\n")  // the full bar is not drawn twice
    }

    @Test("in a log a line is written every tenth and after 30 quiet seconds")
    func logLines() {
        let recorder = Recorder()
        let bar = progressBar(total: 100, style: .lines, recorder)
        for _ in 0..<100 { bar.advance() }
        #expect(recorder.output.count == 10)
        #expect(recorder.output.allSatisfy { $0.hasSuffix("\n") && !$0.contains("[") })

        let slow = Recorder()
        let slowBar = progressBar(total: 1000, style: .lines, slow)
        slowBar.advance()  // the first item alone is not a tenth
        slow.now = 31
        slowBar.advance()
        slowBar.finish()  // stopped early: a last line says where
        #expect(slow.output.count == 2)
        #expect(slow.output[0].contains("2/1000"))
        #expect(slow.output[1].contains("2/1000"))
    }

    @Test("durations read as m:ss or h:mm:ss")
    func clockTime() {
        #expect(ProgressBar.clockTime(0) == "0:00")
        #expect(ProgressBar.clockTime(59.6) == "1:00")
        #expect(ProgressBar.clockTime(3599) == "59:59")
        #expect(ProgressBar.clockTime(36_000) == "10:00:00")
        #expect(ProgressBar.clockTime(.infinity) == "0:00")
    }
}
