using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Writ.Core.Identity;

namespace Writ.Server.Http;

/// <summary>
/// The successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1), never cached, written in one pass
/// straight to the response: this is every issuance's answer, so no dictionary or reflection.
/// </summary>
internal sealed class TokenResponseResult(string accessToken, int expiresIn) : IResult
{
    private static readonly SearchValues<char> JwsCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
    private static readonly byte[] Head = Encoding.ASCII.GetBytes("{\"access_token\":\"");
    private static readonly byte[] Tail = Encoding.ASCII.GetBytes($"\",\"issued_token_type\":\"{TokenTypes.Jwt}\",\"token_type\":\"Bearer\",\"expires_in\":");

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.ContentType = "application/json; charset=utf-8";

        // A compact JWS is base64url and dots, which JSON never escapes: copy it as it is, with a known
        // length so the server sends one plain (not chunked) body, and no buffer of our own.
        return IsCompactJws(accessToken) ? WritePlainAsync(response, httpContext.RequestAborted) : WriteEscapedAsync(response, httpContext.RequestAborted);
    }

    private async Task WritePlainAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        Span<byte> number = stackalloc byte[11];
        expiresIn.TryFormat(number, out var digits, provider: CultureInfo.InvariantCulture);
        var length = Head.Length + accessToken.Length + Tail.Length + digits + 1;
        response.ContentLength = length;
        var body = response.BodyWriter;
        var span = body.GetSpan(length);
        Head.CopyTo(span);
        var at = Head.Length;
        at += Encoding.ASCII.GetBytes(accessToken, span[at..]);
        Tail.CopyTo(span[at..]);
        at += Tail.Length;
        number[..digits].CopyTo(span[at..]);
        span[at + digits] = (byte)'}';
        body.Advance(length);
        await body.FlushAsync(cancellationToken);
    }

    private async Task WriteEscapedAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token"u8, accessToken);
            writer.WriteString("issued_token_type"u8, TokenTypes.Jwt);
            writer.WriteString("token_type"u8, "Bearer"u8);
            writer.WriteNumber("expires_in"u8, expiresIn);
            writer.WriteEndObject();
        }

        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, cancellationToken);
    }

    private static bool IsCompactJws(string token) => token.Length > 0 && !token.AsSpan().ContainsAnyExcept(JwsCharacters);
}
