using System.Buffers;
using System.Text.Json;
using Writ.Core.Identity;

namespace Writ.Server.Http;

/// <summary>
/// The successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1), never cached, written in one pass
/// straight to the response: this is every issuance's answer, so no dictionary or reflection.
/// </summary>
internal sealed class TokenResponseResult(string accessToken, int expiresIn) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.ContentType = "application/json; charset=utf-8";
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

        // A known length lets the server send one plain (not chunked) body.
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted);
    }
}
