#:sdk Microsoft.NET.Sdk.Web
#:property ServerGarbageCollection=false
#:property PublishAot=false

// A reference point for bench/load/identity-issuance.sh: the least an HTTP issuance can cost on this stack.
// Kestrel and ASP.NET Core's form reader take the same request writ gets, the assertion's ES256 signature is
// verified against the agent's public key, and a 400-byte signing input (the ceiling's, about a JWT-SVID's
// size) is signed and returned in a small JSON body. Nothing else: no claim checks, no agent read, no replay
// cache, no audit record, no tracing or metrics. The gap between the ceiling and this is the HTTP stack's;
// the gap between this and writ is Writ's.
// Workstation GC (ServerGarbageCollection=false above), as writ runs: the Web SDK's default is server GC,
// which costs this stack more CPU per request on two cores and would make the floor look worse than it is.
// Usage: dotnet run -c Release issuance-floor.cs -- <listen-url> <agent-public-jwk-file>
using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(args[0]);
builder.Logging.ClearProviders();
var app = builder.Build();

using var jwk = JsonDocument.Parse(File.ReadAllText(args[1]));
using var agentKey = ECDsa.Create(new ECParameters
{
    Curve = ECCurve.NamedCurves.nistP256,
    Q = new ECPoint
    {
        X = Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("x").GetString()),
        Y = Base64Url.DecodeFromChars(jwk.RootElement.GetProperty("y").GetString()),
    },
});
using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
var signingInput = Encoding.ASCII.GetBytes(new string('a', 400));
var head = Encoding.ASCII.GetBytes("{\"access_token\":\"" + Encoding.ASCII.GetString(signingInput) + ".");
var tail = Encoding.ASCII.GetBytes("\",\"token_type\":\"Bearer\",\"expires_in\":300}");

app.MapGet("/healthz", () => "ok");
app.MapPost("/oauth2/token", async (HttpContext context) =>
{
    var form = await context.Request.ReadFormAsync(context.RequestAborted);
    var assertion = form["assertion"].ToString();
    var dot = assertion.LastIndexOf('.');
    if (dot < 0 || !Verify(agentKey, assertion, dot))
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    var signature = signingKey.SignData(signingInput, HashAlgorithmName.SHA256);
    var encoded = Base64Url.EncodeToUtf8(signature);
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = head.Length + encoded.Length + tail.Length;
    var body = context.Response.BodyWriter;
    body.Write(head);
    body.Write(encoded);
    body.Write(tail);
    await body.FlushAsync(context.RequestAborted);
});
await app.RunAsync();

static bool Verify(ECDsa key, string assertion, int dot)
{
    var input = ArrayPool<byte>.Shared.Rent(dot);
    try
    {
        var length = Encoding.ASCII.GetBytes(assertion.AsSpan(0, dot), input);
        Span<byte> signature = stackalloc byte[64];
        return Base64Url.TryDecodeFromChars(assertion.AsSpan(dot + 1), signature, out var written)
            && written == 64
            && key.VerifyData(input.AsSpan(0, length), signature, HashAlgorithmName.SHA256);
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(input);
    }
}
