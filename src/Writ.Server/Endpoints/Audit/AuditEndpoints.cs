using System.Buffers;
using System.Text.Json;
using Writ.Core.Audit;
using Writ.Core.Storage;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Audit;

/// <summary>The audit API under <c>/admin/v1/audit</c> (unscoped admin tokens), and the public verifier key; see docs/reference/audit-api.md.</summary>
internal static class AuditEndpoints
{
    public const string WellKnownKeyPath = "/.well-known/writ-audit-key";

    private const int ExportFlushEvery = 256;

    public static void Map(WebApplication app)
    {
        // Verifiers need the key without holding an admin token.
        app.MapGet(WellKnownKeyPath, async Task<IResult> (HttpContext http, AuditLogService log) =>
        {
            var key = await log.GetVerifierKeyAsync(http.RequestAborted);
            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Text(key + "\n", "text/plain; charset=utf-8");
        });

        var audit = app.MapGroup("/admin/v1/audit").RequireAdminToken().AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Caller();
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return caller.IsScoped
                ? new ProblemResult(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", $"admin token '{caller.Name}' is scoped to owner '{caller.Owner}' and cannot read the audit log; use an unscoped admin token")
                : await next(context);
        });

        // Retention: delete the records below a checkpoint's size, keeping their frontier so the rest still verifies.
        audit.MapPost("/prune", async Task<IResult> (HttpContext http, AuditRetention retention, Writ.Server.Configuration.WritSettings settings) =>
        {
            var (body, error) = await JsonRequest.ReadAsync<PruneBody>(http.Request, settings.MaxJsonBytes);
            if (error is not null)
            {
                return error;
            }

            if (body?.Before is not > 0)
            {
                return Problems.Invalid("invalid_before", "'before' must be the tree size of a signed checkpoint (a whole number above 0)");
            }

            var result = await retention.PruneAsync(http.Caller(), body.Before.Value, http.RequestAborted);
            return result.Succeeded
                ? Results.Json(new { prunedBefore = result.Value!.PrunedBefore, deleted = result.Value.Deleted, checkpoint = result.Value.Checkpoint }, JsonRequest.Options)
                : Problems.From(result.Error!);
        });

        audit.MapGet("/records", async Task<IResult> (HttpContext http, AuditReader reader) =>
        {
            var (query, error) = AuditQueryParser.ParseSearch(http.Request.Query);
            if (error is not null)
            {
                return error;
            }

            var entries = await reader.SearchAsync(query!, http.RequestAborted);
            return Results.Json(
                new
                {
                    items = entries.Select(AuditViews.Record),
                    nextCursor = entries.Count == query!.Limit ? entries[^1].Record.Sequence : (long?)null,
                },
                JsonRequest.Options);
        });

        audit.MapGet("/records/{seq}", async Task<IResult> (string seq, HttpContext http, AuditReader reader) =>
        {
            if (!long.TryParse(seq, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
            {
                return Problems.Invalid("invalid_seq", "the sequence number must be a whole number from 0");
            }

            AuditEntryWithProof? found;
            try
            {
                found = await reader.GetWithProofAsync(sequence, http.RequestAborted);
            }
            catch (AuditProofUnavailableException ex)
            {
                return new ProblemResult(StatusCodes.Status409Conflict, "proof_unavailable", "Proof unavailable", ex.Message);
            }

            if (found is null)
            {
                return Problems.NotFound($"audit record {sequence} does not exist (or was pruned)");
            }

            return Results.Json(
                new
                {
                    record = AuditViews.Record(found.Entry),
                    checkpoint = found.Checkpoint is null ? null : AuditViews.Checkpoint(found.Checkpoint),
                    inclusionProof = found.InclusionProof is null ? null : AuditViews.Proof(found.InclusionProof),
                },
                JsonRequest.Options);
        });

        audit.MapGet("/checkpoints", async Task<IResult> (HttpContext http, IWritStore store) =>
        {
            var parser = new AuditQueryParser(http.Request.Query);
            parser.OnlyKnown(["before", "limit"]);
            var before = parser.Number("before", 1, long.MaxValue);
            var limit = parser.Number("limit", 1, 1000);
            if (parser.Error is { } error)
            {
                return error;
            }

            var checkpoints = await store.Audit.ListCheckpointsAsync(before, (int)(limit ?? 100), http.RequestAborted);
            return Results.Json(new { items = checkpoints.Select(AuditViews.Checkpoint) }, JsonRequest.Options);
        });

        audit.MapGet("/checkpoints/latest", async Task<IResult> (HttpContext http, IWritStore store) =>
        {
            var latest = await store.Audit.GetLatestCheckpointAsync(http.RequestAborted);
            return latest is null ? Problems.NotFound("the audit log has no checkpoint yet") : Results.Json(AuditViews.Checkpoint(latest), JsonRequest.Options);
        });

        audit.MapGet("/consistency", async Task<IResult> (HttpContext http, AuditReader reader, IWritStore store) =>
        {
            var parser = new AuditQueryParser(http.Request.Query);
            parser.OnlyKnown(["first", "second"]);
            var first = parser.Number("first", 0, long.MaxValue);
            var second = parser.Number("second", 0, long.MaxValue);
            if (parser.Error is { } error)
            {
                return error;
            }

            if (first is null || second is null)
            {
                return Problems.Invalid("invalid_sizes", "give the tree sizes 'first' and 'second'");
            }

            try
            {
                var proof = await reader.GetConsistencyProofAsync(first.Value, second.Value, http.RequestAborted);
                var firstCheckpoint = await store.Audit.GetCheckpointAsync(first.Value, http.RequestAborted);
                var secondCheckpoint = await store.Audit.GetCheckpointAsync(second.Value, http.RequestAborted);
                return Results.Json(
                    new
                    {
                        first,
                        second,
                        proof = AuditViews.Proof(proof),
                        firstCheckpoint = firstCheckpoint is null ? null : AuditViews.Checkpoint(firstCheckpoint),
                        secondCheckpoint = secondCheckpoint is null ? null : AuditViews.Checkpoint(secondCheckpoint),
                    },
                    JsonRequest.Options);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                return Problems.Invalid("invalid_sizes", ex.Message.Split(" (Parameter", 2)[0]);
            }
            catch (AuditProofUnavailableException ex)
            {
                return new ProblemResult(StatusCodes.Status409Conflict, "proof_unavailable", "Proof unavailable", ex.Message);
            }
        });

        audit.MapGet("/export", async Task (HttpContext http, AuditReader reader, IWritStore store) =>
        {
            var parser = new AuditQueryParser(http.Request.Query);
            parser.OnlyKnown(["from", "to"]);
            var from = parser.Number("from", 0, long.MaxValue);
            var to = parser.Number("to", 0, long.MaxValue);
            if (parser.Error is { } error)
            {
                await error.ExecuteAsync(http);
                return;
            }

            // The end is fixed when the export starts, so a busy log still gives a finite stream.
            var head = await store.Audit.GetHeadAsync(http.RequestAborted);
            var end = Math.Min(to ?? head.TreeSize, head.TreeSize);
            http.Response.ContentType = "application/jsonl; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            await using var writer = new Utf8JsonWriter(http.Response.BodyWriter.AsStream(), new JsonWriterOptions { SkipValidation = true });
            var written = 0;
            await foreach (var entry in reader.ReadAsync(from ?? 0, end, http.RequestAborted))
            {
                JsonSerializer.Serialize(writer, AuditViews.Record(entry), JsonRequest.Options);
                writer.Flush();
                http.Response.BodyWriter.Write("\n"u8);
                if (++written % ExportFlushEvery == 0)
                {
                    await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
                }

                writer.Reset();
            }

            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        });

        audit.MapGet("/key", async Task<IResult> (HttpContext http, AuditLogService log) =>
        {
            var key = await log.GetVerifierKeyAsync(http.RequestAborted);
            return Results.Json(new { name = key.Name, keyId = key.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), verifierKey = key.ToString() }, JsonRequest.Options);
        });
    }

    private sealed record PruneBody(long? Before);
}
