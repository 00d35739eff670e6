using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Writ.Core.Connections;

namespace Writ.Bench.Leases;

/// <summary>
/// The crypto of a brokered secret: sealing a connection secret (new data key, two AES-256-GCM
/// encryptions) and opening it, which every brokered use pays once.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class ConnectionSecretBenchmarks
{
    private ConnectionSecrets _secrets = null!;
    private SealedSecret _sealed = null!;
    private byte[] _secret = null!;

    [GlobalSetup]
    public void Setup()
    {
        _secrets = new ConnectionSecrets(new KekRing([new ConfiguredKek("bench", RandomNumberGenerator.GetBytes(32))]));
        _secret = RandomNumberGenerator.GetBytes(40);
        _sealed = _secrets.Seal("con_bench", _secret);
    }

    [Benchmark(Description = "seal a 40-byte secret")]
    public SealedSecret Seal() => _secrets.Seal("con_bench", _secret);

    [Benchmark(Baseline = true, Description = "open a 40-byte secret")]
    public int Open() => _secrets.TryOpen("con_bench", _sealed)!.Length;
}
