using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Writ.Bench.Crypto;

/// <summary>Single-core cost of the two ES256 operations behind each identity token.</summary>
[MemoryDiagnoser]
public class Es256Benchmarks
{
    private ECDsa _key = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = _key.SignData(Es256Ceiling.SigningInput, HashAlgorithmName.SHA256);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public byte[] Sign() => _key.SignData(Es256Ceiling.SigningInput, HashAlgorithmName.SHA256);

    [Benchmark]
    public bool Verify() => _key.VerifyData(Es256Ceiling.SigningInput, _signature, HashAlgorithmName.SHA256);

    [Benchmark(Baseline = true)]
    public bool VerifyPlusSign()
    {
        var ok = _key.VerifyData(Es256Ceiling.SigningInput, _signature, HashAlgorithmName.SHA256);
        _key.SignData(Es256Ceiling.SigningInput, HashAlgorithmName.SHA256);
        return ok;
    }
}
