namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>The SSF stream statuses.</summary>
internal static class StreamStatus
{
    public const string Enabled = "enabled";
    public const string Paused = "paused";
    public const string Disabled = "disabled";

    public static bool IsValid(string? status) => status is Enabled or Paused or Disabled;
}
