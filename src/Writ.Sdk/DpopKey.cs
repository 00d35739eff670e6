using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Writ.Sdk;

/// <summary>
/// A P-256 key a task token is bound to (RFC 9449). It never leaves the process; every request gets a
/// fresh proof over its method and URL, with <c>ath</c> when a token goes with it.
/// </summary>
public sealed class DpopKey : IDisposable
{
    private readonly ECDsa key;
    private readonly TimeProvider time;
    private int references = 1;

    internal DpopKey(ECDsa key, TimeProvider time)
    {
        this.key = key;
        this.time = time;
        Thumbprint = Jws.Thumbprint(key);
    }

    /// <summary>The key's RFC 7638 thumbprint: the <c>cnf.jkt</c> of the tokens bound to it.</summary>
    public string Thumbprint { get; }

    /// <summary>Creates a new random P-256 key.</summary>
    public static DpopKey Create(TimeProvider? time = null) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), time ?? TimeProvider.System);

    /// <summary>
    /// A new proof for one request: <paramref name="method"/> and <paramref name="uri"/> (query and fragment
    /// are left out, as RFC 9449 §4.2 says), and the hash of <paramref name="accessToken"/> when given.
    /// </summary>
    public string CreateProof(string method, Uri uri, string? accessToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(uri);
        var htu = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        var iat = time.GetUtcNow().ToUnixTimeSeconds();
        return Jws.SignEs256(
            key,
            header =>
            {
                header.WriteString("typ", "dpop+jwt");
                header.WriteString("alg", "ES256");
                Jws.WritePublicJwk(header, key);
            },
            payload =>
            {
                payload.WriteString("jti", Jws.NewId());
                payload.WriteString("htm", method);
                payload.WriteString("htu", htu);
                payload.WriteNumber("iat", iat);
                if (accessToken is not null)
                {
                    payload.WriteString("ath", Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))));
                }
            });
    }

    /// <summary>Destroys the private key once every task that shares it (a bound delegation chain) let go of it.</summary>
    public void Dispose()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            key.Dispose();
        }
    }

    /// <summary>One more holder of the key: a delegated task stays bound to its parent's key.</summary>
    internal DpopKey Share()
    {
        Interlocked.Increment(ref references);
        return this;
    }
}
