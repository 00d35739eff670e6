using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Writ.Bench.Crypto;

/// <summary>
/// The machine's ES256 ceiling for one identity-token issuance: verify one assertion, sign one token.
/// Raw ECDSA P-256 over SHA-256 on JWT-sized inputs, with no JSON or HTTP work, on every core.
/// </summary>
internal static class Es256Ceiling
{
    // A signing input of the size a real JWT-SVID header.payload has (about 400 bytes).
    internal static readonly byte[] SigningInput = Encoding.ASCII.GetBytes(new string('a', 400));

    /// <summary>Runs verify+sign pairs on <paramref name="threads"/> threads for a fixed time; returns pairs per second.</summary>
    public static double Measure(int threads, TimeSpan duration)
    {
        using var assertionKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var assertionSignature = assertionKey.SignData(SigningInput, HashAlgorithmName.SHA256);
        var publicParameters = assertionKey.ExportParameters(includePrivateParameters: false);

        long total = 0;
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            // Each thread has its own keys, as each Kestrel thread would use shared but thread-safe keys.
            using var verifier = ECDsa.Create(publicParameters);
            using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            long pairs = 0;
            while (clock.Elapsed < duration)
            {
                if (!verifier.VerifyData(SigningInput, assertionSignature, HashAlgorithmName.SHA256))
                {
                    throw new InvalidOperationException("ceiling self-check failed: signature did not verify");
                }
                signer.SignData(SigningInput, HashAlgorithmName.SHA256);
                pairs++;
            }
            Interlocked.Add(ref total, pairs);
        })).ToList();
        workers.ForEach(w => w.Start());
        start.SignalAndWait();
        var wall = Stopwatch.StartNew();
        workers.ForEach(w => w.Join());
        return total / wall.Elapsed.TotalSeconds;
    }
}
