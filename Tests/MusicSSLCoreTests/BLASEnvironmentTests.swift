import MusicSSLTestSupport
import Testing

@Suite("OpenBLAS environment")
struct BLASEnvironmentTests {
    let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    @Test("AVX-512 CPUs on AVX2 kernels get the SkylakeX kernels")
    func upgrade() {
        #expect(BLASEnvironment.recommendedSettings(cpuFlags: avx512, coreName: "Haswell", environment: [:])
            == ["OPENBLAS_CORETYPE": "SkylakeX"])
        #expect(BLASEnvironment.recommendedSettings(cpuFlags: avx512, coreName: "Zen", environment: [:]).count == 1)
    }

    @Test("nothing changes without AVX-512, on AVX-512 kernels, or when the user chose a core")
    func keep() {
        #expect(BLASEnvironment.recommendedSettings(cpuFlags: ["avx2", "fma"], coreName: "Haswell", environment: [:]).isEmpty)
        #expect(BLASEnvironment.recommendedSettings(cpuFlags: avx512, coreName: "SkylakeX", environment: [:]).isEmpty)
        #expect(BLASEnvironment.recommendedSettings(cpuFlags: avx512, coreName: "Cooperlake", environment: [:]).isEmpty)
        #expect(BLASEnvironment.recommendedSettings(
            cpuFlags: avx512, coreName: "Haswell", environment: ["OPENBLAS_CORETYPE": "Haswell"]).isEmpty)
    }
}
