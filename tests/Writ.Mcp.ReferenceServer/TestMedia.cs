namespace Writ.Mcp.ReferenceServer;

/// <summary>Tiny media payloads for the content scenarios.</summary>
internal static class TestMedia
{
    /// <summary>A 1×1 RGB PNG.</summary>
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNQSFgAAAHEASFiX4r9AAAAAElFTkSuQmCC";

    /// <summary>Four silent samples of 16-bit mono WAV at 8 kHz.</summary>
    public const string WavBase64 = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQgAAAAAAAAAAAAAAA==";

    public static ReadOnlyMemory<byte> Png => Convert.FromBase64String(PngBase64);

    public static ReadOnlyMemory<byte> Wav => Convert.FromBase64String(WavBase64);
}
