using System.Buffers;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>
/// The token response of a task request (RFC 8693 §2.2.1): the task token, its type, <c>DPoP</c> or
/// <c>Bearer</c>, its lifetime, the granted <c>authorization_details</c> (RFC 9396 §7) and the task id.
/// </summary>
internal sealed class TaskTokenResponseResult(IssuedTaskToken issued) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.ContentType = "application/json; charset=utf-8";
        var body = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", issued.Token);
            writer.WriteString("issued_token_type", TokenTypes.TaskToken);
            writer.WriteString("token_type", issued.DpopBound ? "DPoP" : "Bearer");
            writer.WriteNumber("expires_in", issued.ExpiresIn);
            writer.WriteString("task_id", issued.Task.Id);
            writer.WriteStartArray("authorization_details");
            issued.Task.Intent.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted);
    }
}
