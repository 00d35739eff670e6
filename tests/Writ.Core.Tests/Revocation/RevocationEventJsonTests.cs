using System.Text.Json;
using Writ.Core.Revocation;

namespace Writ.Core.Tests.Revocation;

public sealed class RevocationEventJsonTests
{
    [Fact]
    public void Event_RoundTrips()
    {
        var revocation = new RevocationEvent(42, new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero), RevocationKind.Agent, "spiffe://d/agent/a", new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero), "incident \"7\"");

        Assert.Equal(revocation, RevocationEventJson.Read(RevocationEventJson.Write(revocation)));
    }

    [Theory]
    [InlineData("{\"id\":1,\"kind\":\"planet\",\"subject\":\"x\",\"at\":\"2026-03-01T12:00:00Z\",\"expires_at\":\"2026-03-01T13:00:00Z\"}")]
    [InlineData("{\"id\":1,\"kind\":\"token\",\"subject\":\"\",\"at\":\"2026-03-01T12:00:00Z\",\"expires_at\":\"2026-03-01T13:00:00Z\"}")]
    [InlineData("{\"id\":1,\"kind\":\"token\",\"subject\":\"x\",\"at\":\"yesterday\",\"expires_at\":\"2026-03-01T13:00:00Z\"}")]
    public void MalformedEvent_IsRejected(string json)
    {
        Assert.ThrowsAny<Exception>(() => RevocationEventJson.Read(json));
    }

    [Fact]
    public void DeeplyNestedEvent_IsRejected()
    {
        var json = "{\"id\":1,\"kind\":\"token\",\"subject\":\"x\",\"x\":" + new string('[', 50) + new string(']', 50) + "}";

        Assert.ThrowsAny<JsonException>(() => RevocationEventJson.Read(json));
    }
}
