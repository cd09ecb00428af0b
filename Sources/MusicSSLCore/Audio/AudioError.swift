/// Why an audio file could not be read or written: the file and the reason.
///
/// Messages read `[audio] /data/song.flac: truncated: the header promises 441000 frames from
/// frame 0, but only 220500 decode`.
public struct AudioError: Error, CustomStringConvertible, Equatable {
    /// What was wrong with the file or the request.
    public enum Reason: Equatable, Sendable {
        /// Nothing exists at the path.
        case missing
        /// The path names a directory or another non-regular file.
        case notAFile
        /// The system refused to open or read the file (permissions, I/O error); its reason.
        case unreadable(String)
        /// libsndfile does not recognise the data as audio it can decode (random bytes, an
        /// unknown container or encoding); libsndfile's message.
        case unsupportedFormat(String)
        /// libsndfile recognised the format but the header or the data is malformed;
        /// libsndfile's message.
        case corrupt(String)
        /// The file holds no audio: zero bytes, or a valid header with zero frames.
        case empty
        /// Decoding stopped before the frame count the header promised: the file was cut short.
        /// `expectedFrames` were requested from `startFrame`; `decodedFrames` came back.
        case truncated(startFrame: Int, expectedFrames: Int, decodedFrames: Int)
        /// A decoded sample is NaN or infinite; the first such frame (counted from the file's
        /// start, after any channel averaging).
        case nonFiniteSample(frame: Int)
        /// The requested window does not lie inside the file's `fileFrameCount` frames.
        case invalidRange(startFrame: Int, frameCount: Int, fileFrameCount: Int)
        /// An argument given to the encoder is invalid (channel count, sample rate, sample
        /// count); what is wrong.
        case invalidArgument(String)
        /// The encoder or the file system failed while writing; the reason.
        case writeFailed(String)
    }

    /// The file the error is about.
    public let path: String
    /// What went wrong.
    public let reason: Reason

    /// Creates an error about the file at `path`.
    public init(path: String, _ reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// `[audio] <path>: <reason>`.
    public var description: String { "[audio] \(path): \(reason)" }
}

extension AudioError.Reason: CustomStringConvertible {
    /// The reason in words, with the numbers involved.
    public var description: String {
        switch self {
        case .missing:
            "no such file"
        case .notAFile:
            "not a regular file (a directory?)"
        case .unreadable(let reason):
            "unreadable: \(reason)"
        case .unsupportedFormat(let reason):
            "unsupported or unrecognised format: \(reason)"
        case .corrupt(let reason):
            "corrupt: \(reason)"
        case .empty:
            "empty: the file holds no audio frames"
        case .truncated(let startFrame, let expectedFrames, let decodedFrames):
            "truncated: the header promises \(expectedFrames) frames from frame \(startFrame), "
                + "but only \(decodedFrames) decode"
        case .nonFiniteSample(let frame):
            "non-finite sample (NaN or infinity) at frame \(frame)"
        case .invalidRange(let startFrame, let frameCount, let fileFrameCount):
            "invalid range: \(frameCount) frames from frame \(startFrame) do not fit in the "
                + "file's \(fileFrameCount) frames"
        case .invalidArgument(let reason):
            "invalid argument: \(reason)"
        case .writeFailed(let reason):
            "write failed: \(reason)"
        }
    }
}
