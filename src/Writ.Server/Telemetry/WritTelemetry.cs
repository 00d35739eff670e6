using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Writ.Server.Telemetry;

/// <summary>Writ's own trace source and meter, next to the ASP.NET Core instrumentation.</summary>
internal static class WritTelemetry
{
    public const string Name = "Writ";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Token endpoint outcomes, tagged by grant and result (issued or the OAuth error code).</summary>
    public static readonly Counter<long> TokenRequests =
        Meter.CreateCounter<long>("writ.token.requests", unit: "{request}", description: "Token endpoint requests by grant and outcome");

    /// <summary>Admin API changes, tagged by resource and result.</summary>
    public static readonly Counter<long> AdminChanges =
        Meter.CreateCounter<long>("writ.admin.changes", unit: "{change}", description: "Admin API changes by resource and outcome");
}
