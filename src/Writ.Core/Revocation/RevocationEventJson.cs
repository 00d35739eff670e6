using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Writ.Core.Revocation;

/// <summary>
/// The JSON of one event on the stream:
/// <c>{"id":42,"kind":"agent","subject":"spiffe://…","at":"2026-…Z","expires_at":"2026-…Z","cause":"…"}</c>.
/// </summary>
public static class RevocationEventJson
{
    /// <summary>Writes <paramref name="revocation"/> as one line of JSON.</summary>
    public static string Write(RevocationEvent revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", revocation.Id);
            writer.WriteString("kind", RevocationKindNames.Of(revocation.Kind));
            writer.WriteString("subject", revocation.Subject);
            writer.WriteString("at", revocation.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("expires_at", revocation.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            if (revocation.Cause is not null)
            {
                writer.WriteString("cause", revocation.Cause);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads one event; throws <see cref="JsonException"/> or <see cref="FormatException"/> when malformed.</summary>
    public static RevocationEvent Read(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        var root = document.RootElement;
        if (!RevocationKindNames.TryParse(root.GetProperty("kind").GetString(), out var kind))
        {
            throw new FormatException("unknown revocation kind");
        }

        var subject = root.GetProperty("subject").GetString();
        if (string.IsNullOrEmpty(subject))
        {
            throw new FormatException("an event without a subject");
        }

        return new RevocationEvent(
            root.GetProperty("id").GetInt64(),
            DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            kind,
            subject,
            DateTimeOffset.Parse(root.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            root.TryGetProperty("cause", out var cause) ? cause.GetString() : null);
    }
}
