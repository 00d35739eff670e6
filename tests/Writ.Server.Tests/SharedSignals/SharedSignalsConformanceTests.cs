using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Writ.Core.Revocation;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Revocation;

namespace Writ.Server.Tests.SharedSignals;

/// <summary>Rules of SSF 1.0 and the CAEP interoperability profile that a receiver or conformance suite relies on.</summary>
public sealed class SharedSignalsConformanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> SsfAsync(WritHost host, HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? host.AdminToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await host.Http.SendAsync(request, Ct);
    }

    private static async Task<JsonObject> OkAsync(WritHost host, HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SsfAsync(host, method, path, json);
        var body = await WritHost.JsonAsync(response);
        Assert.True(response.StatusCode == expected, $"{method} {path} → {(int)response.StatusCode}: {body.ToJsonString()}");
        return body;
    }

    private static async Task<JsonObject> PollAsync(WritHost host, string streamId, string body = "{\"returnImmediately\":true}") =>
        await OkAsync(host, HttpMethod.Post, "ssf/poll/" + streamId, body);

    private static JsonElement Payload(string set) => RevocationFixture.JwtPayload(set);

    [Fact]
    public async Task CreateWithoutDelivery_IsAPollStreamWithTheTransmittersUrl()
    {
        await using var f = await RevocationFixture.StartAsync();

        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { events_requested = new[] { SharedSignalsEvents.SessionRevoked } }), HttpStatusCode.Created);

        Assert.Equal(SharedSignalsEvents.Poll, stream["delivery"]!["method"]!.GetValue<string>());
        Assert.Equal(f.Host.Issuer.TrimEnd('/') + "/ssf/poll/" + stream["stream_id"], stream["delivery"]!["endpoint_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestedEventsItDoesNotUnderstand_AreIgnored()
    {
        await using var f = await RevocationFixture.StartAsync();

        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { events_requested = new[] { "not a uri", SharedSignalsEvents.SessionRevoked, "urn:example:secevent:events:type_2" } }), HttpStatusCode.Created);

        Assert.Equal([SharedSignalsEvents.SessionRevoked, "urn:example:secevent:events:type_2"], stream["events_requested"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal([SharedSignalsEvents.SessionRevoked], stream["events_delivered"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task OwnerScopedAdminToken_Returns403()
    {
        await using var f = await RevocationFixture.StartAsync();
        var scoped = (await f.Host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-admin", owner = "alice" }))["token"]!.GetValue<string>();

        using var response = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams", token: scoped);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ManagementResponses_AreNotStored()
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task ReplaceWithTheConfigurationAsRead_Succeeds()
    {
        await using var f = await RevocationFixture.StartAsync();
        var created = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll }, events_requested = new[] { SharedSignalsEvents.SessionRevoked } }), HttpStatusCode.Created);
        var read = await OkAsync(f.Host, HttpMethod.Get, "ssf/streams?stream_id=" + created["stream_id"]);
        read["description"] = "renamed";
        read["delivery"]!.AsObject().Remove("endpoint_url");

        var replaced = await OkAsync(f.Host, HttpMethod.Put, "ssf/streams", read.ToJsonString());
        var patched = await OkAsync(f.Host, HttpMethod.Patch, "ssf/streams", JsonSerializer.Serialize(new { stream_id = created["stream_id"]!.GetValue<string>(), iss = f.Host.Issuer, aud = new[] { created["aud"]!.GetValue<string>() }, events_requested = new[] { SharedSignalsEvents.CredentialChange } }));

        Assert.Equal("renamed", replaced["description"]!.GetValue<string>());
        Assert.Equal([SharedSignalsEvents.CredentialChange], patched["events_delivered"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Theory]
    [InlineData("\"iss\":\"https://someone-else.example\"")]
    [InlineData("\"aud\":\"urn:writ:ssf:stream:other\"")]
    [InlineData("\"events_delivered\":[\"https://schemas.openid.net/secevent/caep/event-type/credential-change\"]")]
    [InlineData("\"events_supported\":[]")]
    [InlineData("\"min_verification_interval\":30")]
    public async Task UpdateWithAWrongTransmitterSuppliedValue_Returns400_AndChangesNothing(string member)
    {
        await using var f = await RevocationFixture.StartAsync();
        var created = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll }, events_requested = new[] { SharedSignalsEvents.SessionRevoked } }), HttpStatusCode.Created);
        var id = created["stream_id"]!.GetValue<string>();

        using var response = await SsfAsync(f.Host, HttpMethod.Patch, "ssf/streams", "{\"stream_id\":\"" + id + "\",\"description\":\"changed\"," + member + "}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await OkAsync(f.Host, HttpMethod.Get, "ssf/streams?stream_id=" + id))["description"]);
    }

    [Fact]
    public async Task PausedPollStream_TransmitsNothing_EvenWhatWasQueuedBefore()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll } }), HttpStatusCode.Created);
        var id = stream["stream_id"]!.GetValue<string>();
        using (var verify = await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", "{\"stream_id\":\"" + id + "\",\"state\":\"s1\"}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        }

        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"paused\"}");
        var whilePaused = await PollAsync(f.Host, id);
        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"enabled\"}");
        var afterwards = await PollAsync(f.Host, id);

        Assert.Empty(whilePaused["sets"]!.AsObject());
        Assert.False(whilePaused["moreAvailable"]!.GetValue<bool>());
        Assert.Single(afterwards["sets"]!.AsObject());
    }

    [Fact]
    public async Task VerificationOnAPausedStream_IsHeldUntilEnabled_AndOnADisabledOneIs409()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll } }), HttpStatusCode.Created);
        var id = stream["stream_id"]!.GetValue<string>();
        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"paused\"}");

        using (var paused = await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", "{\"stream_id\":\"" + id + "\",\"state\":\"later\"}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, paused.StatusCode);
        }

        var whilePaused = await PollAsync(f.Host, id);
        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"enabled\"}");
        var afterwards = await PollAsync(f.Host, id);
        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"disabled\"}");
        using var disabled = await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", "{\"stream_id\":\"" + id + "\"}");

        Assert.Empty(whilePaused["sets"]!.AsObject());
        var set = Payload(Assert.Single(afterwards["sets"]!.AsObject()).Value!.GetValue<string>());
        Assert.Equal("later", set.GetProperty("events").GetProperty(SharedSignalsEvents.Verification).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, disabled.StatusCode);
    }

    [Fact]
    public async Task DisabledStream_DropsWhatWasQueued()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll } }), HttpStatusCode.Created);
        var id = stream["stream_id"]!.GetValue<string>();
        using (await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", "{\"stream_id\":\"" + id + "\"}"))
        {
        }

        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"disabled\"}");
        var whileDisabled = await PollAsync(f.Host, id);
        await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"enabled\"}");
        var afterwards = await PollAsync(f.Host, id);

        Assert.Empty(whileDisabled["sets"]!.AsObject());
        Assert.Empty(afterwards["sets"]!.AsObject());
    }

    [Fact]
    public async Task StatusAndVerifyRequests_IgnoreUnknownMembers()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll } }), HttpStatusCode.Created);
        var id = stream["stream_id"]!.GetValue<string>();

        var status = await OkAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + id + "\",\"status\":\"enabled\",\"subject\":{\"format\":\"opaque\",\"id\":\"x\"}}");
        using var verify = await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", "{\"stream_id\":\"" + id + "\",\"state\":\"s\",\"future\":true}");

        Assert.Equal("enabled", status["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
    }

    [Theory]
    [InlineData("\"reason\":7")]
    [InlineData("\"reason\":\"line\\nbreak\"")]
    public async Task StatusWithABadReason_Returns400(string member)
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { delivery = new { method = SharedSignalsEvents.Poll } }), HttpStatusCode.Created);

        using var response = await SsfAsync(f.Host, HttpMethod.Post, "ssf/status", "{\"stream_id\":\"" + stream["stream_id"] + "\",\"status\":\"paused\"," + member + "}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reason", (await WritHost.JsonAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "ssf/status", null)]
    [InlineData("POST", "ssf/status", "{\"status\":\"paused\"}")]
    [InlineData("POST", "ssf/verify", "{\"state\":\"s\"}")]
    [InlineData("POST", "ssf/verify", "{\"stream_id\":7}")]
    public async Task MissingStreamId_Returns400(string method, string path, string? json)
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await SsfAsync(f.Host, new HttpMethod(method), path, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RevocationWithoutCause_StillCarriesAReasonAdmin()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await OkAsync(f.Host, HttpMethod.Post, "ssf/streams", JsonSerializer.Serialize(new { events_requested = new[] { SharedSignalsEvents.SessionRevoked } }), HttpStatusCode.Created);
        await f.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" });

        var polled = await PollAsync(f.Host, stream["stream_id"]!.GetValue<string>(), "{\"returnImmediately\":false}");

        var payload = Payload(Assert.Single(polled["sets"]!.AsObject()).Value!.GetValue<string>());
        var reason = payload.GetProperty("events").GetProperty(SharedSignalsEvents.SessionRevoked).GetProperty("reason_admin").GetProperty("en").GetString();
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.Equal("iss_sub", payload.GetProperty("sub_id").GetProperty("format").GetString());
        Assert.False(payload.TryGetProperty("sub", out _));
        Assert.False(payload.TryGetProperty("exp", out _));
    }

    [Fact]
    public async Task IssuerWithPath_ConfigurationIsAtThePrefixFollowedByThePath()
    {
        await using var host = await WritHost.StartAsync(issuer: "https://ssf.example.test/tenant1");

        using var atPath = await host.Http.GetAsync(".well-known/ssf-configuration/tenant1", Ct);
        using var bare = await host.Http.GetAsync(".well-known/ssf-configuration", Ct);

        Assert.Equal(HttpStatusCode.OK, atPath.StatusCode);
        Assert.Equal("https://ssf.example.test/tenant1", (await WritHost.JsonAsync(atPath))["issuer"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
    }
}
