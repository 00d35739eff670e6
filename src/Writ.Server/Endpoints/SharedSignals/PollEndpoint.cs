using System.Text.Json;

namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>
/// RFC 8936 poll delivery: <c>POST /ssf/poll/{stream_id}</c> with <c>maxEvents</c>, <c>returnImmediately</c>,
/// <c>ack</c> and <c>setErrs</c>; answers <c>{"sets":{jti:SET},"moreAvailable":…}</c>. Acknowledged SETs (and
/// SETs the receiver reports errors for) leave the queue; unacknowledged ones are offered again.
/// </summary>
internal static partial class PollEndpoint
{
    private const int MaxEvents = 1000;
    private const int DefaultEvents = 100;
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(15);

    public static async Task<IResult> PollAsync(string streamId, HttpContext http, SharedSignalsEndpoints.Dependencies d, ILoggerFactory loggers)
    {
        var stream = await SharedSignalsEndpoints.FindAsync(d, streamId, http.RequestAborted);
        if (stream is null || stream.DeliveryMethod != Core.Revocation.SharedSignalsEvents.Poll)
        {
            return SharedSignalsEndpoints.NotFound();
        }

        var (body, error) = await SharedSignalsEndpoints.ReadJsonAsync(http, d.Settings);
        if (error is not null)
        {
            return error;
        }

        using var document = body;
        var (request, invalid) = Read(body!.RootElement);
        if (invalid is not null)
        {
            return Results.Json(new Dictionary<string, string> { ["err"] = "invalid_request", ["description"] = invalid }, statusCode: StatusCodes.Status400BadRequest);
        }

        var logger = loggers.CreateLogger("Writ.Server.SharedSignals.Poll");
        foreach (var (jti, err) in request!.Errors)
        {
            LogSetError(logger, stream.Id, jti, err);
        }

        await d.Store.RevocationEvents.AcknowledgeAsync(stream.Id, [.. request.Ack, .. request.Errors.Keys], http.RequestAborted);
        if (stream.Status != StreamStatus.Enabled)
        {
            // Paused and disabled streams transmit nothing (SSF 1.0 §8.1.2); a paused one keeps its SETs for later.
            return Results.Json(new { sets = new Dictionary<string, string>(), moreAvailable = false });
        }

        if (request.MaxEvents == 0)
        {
            var any = await d.Store.RevocationEvents.PeekQueueAsync(stream.Id, 1, http.RequestAborted);
            return Results.Json(new { sets = new Dictionary<string, string>(), moreAvailable = any.Count > 0 });
        }

        var queued = d.Transmitter.Queued;
        var sets = await d.Store.RevocationEvents.PeekQueueAsync(stream.Id, request.MaxEvents + 1, http.RequestAborted);
        if (sets.Count == 0 && !request.ReturnImmediately)
        {
            await Task.WhenAny(queued, Task.Delay(LongPoll, TimeProvider.System, http.RequestAborted));
            sets = await d.Store.RevocationEvents.PeekQueueAsync(stream.Id, request.MaxEvents + 1, http.RequestAborted);
        }

        return Results.Json(new
        {
            sets = sets.Take(request.MaxEvents).ToDictionary(s => s.Jti, s => s.Token, StringComparer.Ordinal),
            moreAvailable = sets.Count > request.MaxEvents,
        });
    }

    private static (PollRequest? Request, string? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object");
        }

        int maxEvents = DefaultEvents;
        var returnImmediately = false;
        var ack = new List<string>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "maxEvents":
                    if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt32(out maxEvents) || maxEvents is < 0 or > MaxEvents)
                    {
                        return (null, $"'maxEvents' must be an integer from 0 to {MaxEvents}");
                    }

                    break;
                case "returnImmediately":
                    if (member.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return (null, "'returnImmediately' must be true or false");
                    }

                    returnImmediately = member.Value.GetBoolean();
                    break;
                case "ack":
                    if (member.Value.ValueKind != JsonValueKind.Array || member.Value.GetArrayLength() > MaxEvents || member.Value.EnumerateArray().Any(j => j.ValueKind != JsonValueKind.String || j.GetString()!.Length is 0 or > 128))
                    {
                        return (null, $"'ack' must be an array of at most {MaxEvents} SET jti strings");
                    }

                    ack.AddRange(member.Value.EnumerateArray().Select(j => j.GetString()!));
                    break;
                case "setErrs":
                    if (member.Value.ValueKind != JsonValueKind.Object)
                    {
                        return (null, "'setErrs' must be an object of jti → {err, description}");
                    }

                    foreach (var entry in member.Value.EnumerateObject())
                    {
                        if (entry.Name.Length is 0 or > 128 || entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("err", out var err) || err.ValueKind != JsonValueKind.String || errors.Count >= MaxEvents)
                        {
                            return (null, "each 'setErrs' entry is a jti with {\"err\": code, \"description\": text}");
                        }

                        var code = err.GetString()!;
                        errors[entry.Name] = code.Length > 64 ? code[..64] : code;
                    }

                    break;
                default:
                    return (null, $"unknown member '{(member.Name.Length > 64 ? member.Name[..64] : member.Name)}'");
            }
        }

        return (new PollRequest(maxEvents, returnImmediately, ack, errors), null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiver of stream {StreamId} reported error {Error} for SET {Jti}")]
    private static partial void LogSetError(ILogger logger, string streamId, string jti, string error);

    private sealed record PollRequest(int MaxEvents, bool ReturnImmediately, IReadOnlyList<string> Ack, IReadOnlyDictionary<string, string> Errors);
}
