using Writ.Core.Revocation;

namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>Stream configurations as receivers see them; the push authorization header is never shown.</summary>
internal static class StreamViews
{
    public static Dictionary<string, object?> Configuration(SignalStream stream, string issuer)
    {
        var delivery = new Dictionary<string, object?> { ["method"] = stream.DeliveryMethod };
        if (stream.EndpointUrl is not null)
        {
            delivery["endpoint_url"] = stream.EndpointUrl;
        }

        var view = new Dictionary<string, object?>
        {
            ["stream_id"] = stream.Id,
            ["iss"] = issuer,
            ["aud"] = stream.Audience,
            ["events_supported"] = SharedSignalsEvents.Supported,
            ["events_requested"] = stream.EventsRequested,
            ["events_delivered"] = Delivered(stream),
            ["delivery"] = delivery,
        };
        if (stream.Description is not null)
        {
            view["description"] = stream.Description;
        }

        return view;
    }

    public static IReadOnlyList<string> Delivered(SignalStream stream) =>
        [.. stream.EventsRequested.Where(SharedSignalsEvents.Supported.Contains)];

    public static object Status(SignalStream stream) => stream.StatusReason is null
        ? new Dictionary<string, object?> { ["stream_id"] = stream.Id, ["status"] = stream.Status }
        : new Dictionary<string, object?> { ["stream_id"] = stream.Id, ["status"] = stream.Status, ["reason"] = stream.StatusReason };
}
