import MusicSSLTestSupport
import MusicSSLTrain
import Testing

@Suite("Training progress line")
struct TrainingProgressLineTests {
    @Test("the line shows step, bar, percent, loss, metrics, learning rate, speed and ETA")
    func fullLine() {
        let line = TrainingProgressLine(
            step: 1200, totalSteps: 4000, loss: 6.21432,
            metrics: [.init(label: "acc", value: 0.132), .init(label: "tvar", value: 0.0123456)],
            learningRate: 5e-4, samplesPerSecond: 312.44, remainingSeconds: 3 * 3600 + 12 * 60 + 5)
        #expect(
            line.render()
                == "step 1200/4000  [======>             ]   30.0%  loss 6.214  acc 0.132  "
                + "tvar 0.01235  lr 5.00e-04  312.4 samples/s  ETA 3:12:05")
    }

    @Test(
        "optional parts are left out; the step is padded to the total's width; done fills the bar")
    func minimalLine() {
        let start = TrainingProgressLine(step: 7, totalSteps: 100, loss: .nan)
        #expect(start.render() == "step   7/100  [=>                  ]    7.0%  loss nan")
        let done = TrainingProgressLine(step: 100, totalSteps: 100, loss: 0.5)
        #expect(done.render() == "step 100/100  [====================]  100.0%  loss 0.5")
    }

    @Test("clock times: minutes, hours, days")
    func clockTimes() {
        #expect(TrainingProgressLine.clockTime(0) == "0:00")
        #expect(TrainingProgressLine.clockTime(59.6) == "1:00")
        #expect(TrainingProgressLine.clockTime(3725) == "1:02:05")
        #expect(TrainingProgressLine.clockTime(2 * 86_400 + 3600) == "2d 1:00:00")
        #expect(TrainingProgressLine.clockTime(.infinity) == "0:00")
    }

    @Test("the meter averages over its window and estimates the time left")
    func throughputMeter() {
        var meter = ThroughputMeter(windowSize: 4)
        #expect(meter.samplesPerSecond == nil && meter.remainingSeconds(untilStep: 10) == nil)
        meter.start(atStep: 100, time: 0)
        // Four slow steps (2 s, 8 samples), then four fast ones (1 s, 8 samples).
        var time = 0.0
        for step in 101...104 {
            time += 2
            meter.record(step: step, sampleCount: 8, time: time)
        }
        #expect(meter.samplesPerSecond == 4)
        #expect(meter.secondsPerStep == 2)
        for step in 105...108 {
            time += 1
            meter.record(step: step, sampleCount: 8, time: time)
        }
        // The window holds only the fast steps now.
        #expect(meter.samplesPerSecond == 8)
        #expect(meter.secondsPerStep == 1)
        #expect(meter.remainingSeconds(untilStep: 118) == 10)
        #expect(meter.remainingSeconds(untilStep: 50) == 0)
    }
}
