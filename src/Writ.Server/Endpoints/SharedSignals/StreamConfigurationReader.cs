using System.Text.Json;
using Writ.Core.Revocation;

namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>A receiver's stream configuration as read from a request, before it is stored.</summary>
internal sealed record StreamConfigurationRequest(
    string? StreamId,
    string? Method,
    string? EndpointUrl,
    string? AuthorizationHeader,
    IReadOnlyList<string>? EventsRequested,
    string? Description,
    bool HasDelivery,
    bool HasDescription,
    IReadOnlyDictionary<string, JsonElement> TransmitterSupplied);

/// <summary>
/// Reads and checks stream configuration requests (SSF 1.0 §8.1.1): every member known and of its type,
/// transmitter-supplied members kept aside (an update must give them their current values), anything else refused
/// with the member named.
/// </summary>
internal static class StreamConfigurationReader
{
    public const int MaxEvents = 16;
    private const int MaxUrl = 2048;
    private const int MaxAuthorization = 4096;
    private const int MaxDescription = 256;

    private static readonly HashSet<string> TransmitterSupplied = new(StringComparer.Ordinal)
    {
        "iss", "aud", "events_supported", "events_delivered", "min_verification_interval", "inactivity_timeout",
    };

    public static (StreamConfigurationRequest? Request, string? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "the body must be a JSON object");
        }

        string? streamId = null, method = null, url = null, authorization = null, description = null;
        List<string>? events = null;
        bool hasDelivery = false, hasDescription = false;
        var transmitterSupplied = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "stream_id":
                    if (!TryString(member.Value, 128, out streamId))
                    {
                        return (null, "'stream_id' must be a string");
                    }

                    break;
                case "description":
                    hasDescription = true;
                    if (member.Value.ValueKind != JsonValueKind.Null && (!TryString(member.Value, MaxDescription, out description) || description!.Any(char.IsControl)))
                    {
                        return (null, $"'description' must be a string of at most {MaxDescription} printable characters");
                    }

                    break;
                case "events_requested":
                    if (member.Value.ValueKind != JsonValueKind.Array || member.Value.GetArrayLength() > MaxEvents)
                    {
                        return (null, $"'events_requested' must be an array of at most {MaxEvents} event type URIs");
                    }

                    events = [];
                    foreach (var item in member.Value.EnumerateArray())
                    {
                        if (!TryString(item, 256, out var uri))
                        {
                            return (null, "'events_requested' must hold event type URIs (strings of at most 256 characters)");
                        }

                        // SSF 1.0 §8.1.1: values the transmitter does not understand are ignored, not refused.
                        if (Uri.IsWellFormedUriString(uri, UriKind.Absolute) && !events.Contains(uri!))
                        {
                            events.Add(uri!);
                        }
                    }

                    break;
                case "delivery":
                    hasDelivery = true;
                    var (deliveryError, m, u, a) = ReadDelivery(member.Value);
                    if (deliveryError is not null)
                    {
                        return (null, deliveryError);
                    }

                    (method, url, authorization) = (m, u, a);
                    break;
                default:
                    if (!TransmitterSupplied.Contains(member.Name))
                    {
                        return (null, $"unknown member '{Shorten(member.Name)}' in the stream configuration");
                    }

                    transmitterSupplied[member.Name] = member.Value.Clone();
                    break;
            }
        }

        return (new StreamConfigurationRequest(streamId, method, url, authorization, events, description, hasDelivery, hasDescription, transmitterSupplied), null);
    }

    /// <summary>
    /// SSF 1.0 §8.1.1.3-4: transmitter-supplied members of an update or replacement may be present but must have
    /// their current values (<c>events_delivered</c> as before the change); the first that does not is named.
    /// </summary>
    public static string? CheckTransmitterSupplied(IReadOnlyDictionary<string, JsonElement> given, IReadOnlyDictionary<string, object?> current)
    {
        foreach (var (name, value) in given)
        {
            var matches = current.GetValueOrDefault(name) switch
            {
                string text => value.ValueKind == JsonValueKind.String ? value.GetString() == text
                    : value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1 && value[0].ValueKind == JsonValueKind.String && value[0].GetString() == text,
                IReadOnlyList<string> list => value.ValueKind == JsonValueKind.Array
                    && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                    && value.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal).SetEquals(list),
                _ => false,
            };
            if (!matches)
            {
                return $"'{name}' is set by the transmitter; leave it out or give its current value";
            }
        }

        return null;
    }

    /// <summary>Checks a delivery for a new or replaced stream; the error says what to change.</summary>
    public static string? CheckDelivery(string? method, string? url, string? authorization, bool allowLoopbackHttp)
    {
        switch (method)
        {
            case SharedSignalsEvents.Poll:
                if (url is not null)
                {
                    return "poll delivery takes no 'endpoint_url' from the receiver: the transmitter supplies its poll URL";
                }

                return authorization is not null ? "'authorization_header' is for push delivery only" : null;
            case SharedSignalsEvents.Push:
                if (url is null)
                {
                    return "push delivery needs 'endpoint_url': where Writ POSTs the SETs";
                }

                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
                {
                    return "'endpoint_url' must be an absolute URL without credentials or fragment";
                }

                var loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && allowLoopbackHttp;
                return uri.Scheme == Uri.UriSchemeHttps || loopbackHttp
                    ? null
                    : "'endpoint_url' must use https (plain http is accepted only for loopback receivers in development mode)";
            case null:
                return "'delivery.method' is required: " + SharedSignalsEvents.Push + " or " + SharedSignalsEvents.Poll;
            default:
                return $"delivery method '{Shorten(method)}' is not supported; use {SharedSignalsEvents.Push} (push) or {SharedSignalsEvents.Poll} (poll)";
        }
    }

    private static (string? Error, string? Method, string? Url, string? Authorization) ReadDelivery(JsonElement delivery)
    {
        if (delivery.ValueKind != JsonValueKind.Object)
        {
            return ("'delivery' must be an object", null, null, null);
        }

        string? method = null, url = null, authorization = null;
        foreach (var member in delivery.EnumerateObject())
        {
            switch (member.Name)
            {
                case "method":
                    if (!TryString(member.Value, 256, out method))
                    {
                        return ("'delivery.method' must be a string", null, null, null);
                    }

                    break;
                case "endpoint_url":
                    if (!TryString(member.Value, MaxUrl, out url))
                    {
                        return ($"'delivery.endpoint_url' must be a URL of at most {MaxUrl} characters", null, null, null);
                    }

                    break;
                case "authorization_header":
                    if (!TryString(member.Value, MaxAuthorization, out authorization) || authorization!.Any(char.IsControl))
                    {
                        return ($"'delivery.authorization_header' must be a header value of at most {MaxAuthorization} printable characters", null, null, null);
                    }

                    break;
                default:
                    return ($"unknown member '{Shorten(member.Name)}' in 'delivery'", null, null, null);
            }
        }

        return (null, method, url, authorization);
    }

    private static bool TryString(JsonElement value, int max, out string? text)
    {
        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null && text.Length > 0 && text.Length <= max;
    }

    private static string Shorten(string text) => text.Length > 64 ? text[..64] : text;
}
