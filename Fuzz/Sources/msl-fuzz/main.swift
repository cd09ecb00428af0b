// libFuzzer's entry points only: with `--sanitize=fuzzer` libFuzzer supplies `main`, so this
// file must hold declarations and nothing else. The target is chosen by MSL_FUZZ_TARGET.

import Foundation

/// Called once before fuzzing: resolves MSL_FUZZ_TARGET, or prints the targets and exits 2.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?
) -> CInt {
    AudioSeeds.writeIfAsked()
    _ = FuzzTarget.selected
    return 0
}

/// One input: handed to the selected target; thrown errors are expected and ignored.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    FuzzTarget.selected.run(bytes)
    return 0
}
