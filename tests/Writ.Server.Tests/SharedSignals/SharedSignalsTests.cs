using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Core.Revocation;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Revocation;

namespace Writ.Server.Tests.SharedSignals;

public sealed class SharedSignalsTests
{
    private const string PushSecret = "Bearer receiver-secret-5f1c9e";

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

    private static async Task<JsonObject> CreateStreamAsync(WritHost host, object configuration)
    {
        using var response = await SsfAsync(host, HttpMethod.Post, "ssf/streams", System.Text.Json.JsonSerializer.Serialize(configuration));
        var body = await WritHost.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    [Fact]
    public async Task Configuration_NamesEndpointsAndBothDeliveryMethods()
    {
        await using var f = await RevocationFixture.StartAsync();

        var config = JsonNode.Parse(await f.Host.Http.GetStringAsync(".well-known/ssf-configuration", Ct))!.AsObject();

        Assert.Equal("1_0", config["spec_version"]!.GetValue<string>());
        Assert.Equal(f.Host.Issuer, config["issuer"]!.GetValue<string>());
        Assert.EndsWith("/.well-known/jwks.json", config["jwks_uri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([SharedSignalsEvents.Push, SharedSignalsEvents.Poll], config["delivery_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.EndsWith("/ssf/streams", config["configuration_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/ssf/status", config["status_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("/ssf/verify", config["verification_endpoint"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndependentReceiver_GetsEveryEventByPush_VerifiedWithJose()
    {
        await using var f = await RevocationFixture.StartAsync();
        var logs = CapturedLogs.AttachTo(f.Host.App.Services);
        var jwks = f.Host.Issuer.TrimEnd('/') + "/.well-known/jwks.json";
        var token = await f.IdentityTokenAsync();

        await using var live = await SsfReceiver.StartAsync("push", "--jwks", jwks, "--issuer", f.Host.Issuer, "--audience", "-", "--authorization", PushSecret);
        var port = (await live.NextAsync())["listening"]!.GetValue<int>();
        var stream = await CreateStreamAsync(f.Host, new
        {
            delivery = new { method = SharedSignalsEvents.Push, endpoint_url = $"http://127.0.0.1:{port}/events", authorization_header = PushSecret },
            events_requested = new[] { SharedSignalsEvents.SessionRevoked, SharedSignalsEvents.CredentialChange, SharedSignalsEvents.Verification },
            description = "jose receiver",
        });
        Assert.DoesNotContain(PushSecret, stream.ToJsonString(), StringComparison.Ordinal);
        await live.SendLineAsync(stream["aud"]!.GetValue<string>());
        {
            using var verify = await SsfAsync(f.Host, HttpMethod.Post, "ssf/verify", $"{{\"stream_id\":\"{stream["stream_id"]}\",\"state\":\"hello\"}}");
            Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
            var verification = await live.NextAsync();
            Assert.Equal("hello", verification["payload"]!["events"]![SharedSignalsEvents.Verification]!["state"]!.GetValue<string>());

            var tokenEvent = (await f.RevokeAsync("token", RevocationFixture.Jti(token)))[0]!["id"]!.GetValue<long>();
            var tokenSet = await live.NextAsync();
            var agentEvent = (await f.RevokeAsync("agent", "research"))[0]!["id"]!.GetValue<long>();
            var agentSet = await live.NextAsync();
            var keyEvent = (await f.RevokeAsync("key", RevocationFixture.Kid(token)))[0]!["id"]!.GetValue<long>();
            var keySet = await live.NextAsync();

            Assert.Equal("secevent+jwt", tokenSet["header"]!["typ"]!.GetValue<string>());
            Assert.Equal(tokenEvent.ToString(System.Globalization.CultureInfo.InvariantCulture), tokenSet["payload"]!["txn"]!.GetValue<string>());
            Assert.Equal("jwt_id", tokenSet["payload"]!["sub_id"]!["format"]!.GetValue<string>());
            Assert.Equal(RevocationFixture.Jti(token), tokenSet["payload"]!["sub_id"]!["jti"]!.GetValue<string>());
            Assert.NotNull(tokenSet["payload"]!["events"]![SharedSignalsEvents.SessionRevoked]);
            Assert.Equal(agentEvent.ToString(System.Globalization.CultureInfo.InvariantCulture), agentSet["payload"]!["txn"]!.GetValue<string>());
            Assert.Equal("iss_sub", agentSet["payload"]!["sub_id"]!["format"]!.GetValue<string>());
            Assert.Equal(f.Host.Issuer, agentSet["payload"]!["sub_id"]!["iss"]!.GetValue<string>());
            Assert.Equal("spiffe://writ.local/agent/research", agentSet["payload"]!["sub_id"]!["sub"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(agentSet["payload"]!["events"]![SharedSignalsEvents.SessionRevoked]!["reason_admin"]!["en"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(keySet["payload"]!["events"]![SharedSignalsEvents.CredentialChange]!["reason_admin"]!["en"]!.GetValue<string>()));
            Assert.Equal(keyEvent.ToString(System.Globalization.CultureInfo.InvariantCulture), keySet["payload"]!["txn"]!.GetValue<string>());
            Assert.Equal("revoke", keySet["payload"]!["events"]![SharedSignalsEvents.CredentialChange]!["change_type"]!.GetValue<string>());
            Assert.NotEqual(RevocationFixture.Kid(token), keySet["header"]!["kid"]!.GetValue<string>());
        }

        Assert.DoesNotContain(PushSecret["Bearer ".Length..], logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Host.AdminToken, logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, logs.Text, StringComparison.Ordinal);
        using var read = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams");
        Assert.DoesNotContain(PushSecret["Bearer ".Length..], await read.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndependentReceiver_GetsEveryEventByPoll_AndAcknowledgedSetsAreNotOfferedAgain()
    {
        await using var f = await RevocationFixture.StartAsync();
        await f.Host.RegisterAgentAsync("writer", "alice");
        var stream = await CreateStreamAsync(f.Host, new
        {
            delivery = new { method = SharedSignalsEvents.Poll },
            events_requested = new[] { SharedSignalsEvents.SessionRevoked },
        });
        var pollUrl = stream["delivery"]!["endpoint_url"]!.GetValue<string>();
        Assert.StartsWith(f.Host.Issuer.TrimEnd('/') + "/ssf/poll/", pollUrl, StringComparison.Ordinal);

        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await f.RevokeAsync("token", "jti-" + i))[0]!["id"]!.GetValue<long>());
        }

        ids.Add((await f.RevokeAsync("agent", "writer"))[0]!["id"]!.GetValue<long>());
        await using var receiver = await SsfReceiver.StartAsync(
            "poll", "--url", pollUrl, "--token", f.Host.AdminToken, "--jwks", f.Host.Issuer.TrimEnd('/') + "/.well-known/jwks.json",
            "--issuer", f.Host.Issuer, "--audience", stream["aud"]!.GetValue<string>(), "--count", "5");
        var txns = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            txns.Add(long.Parse((await receiver.NextAsync())["payload"]!["txn"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, await receiver.WaitForExitAsync());
        Assert.Equal(ids, txns);
        using var again = await SsfAsync(f.Host, HttpMethod.Post, "ssf/poll/" + stream["stream_id"], "{\"returnImmediately\":true}");
        Assert.Empty((await WritHost.JsonAsync(again))["sets"]!.AsObject());
    }

    [Fact]
    public async Task PausedStream_HoldsEvents_UntilEnabled()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await CreateStreamAsync(f.Host, new { delivery = new { method = SharedSignalsEvents.Poll }, events_requested = new[] { SharedSignalsEvents.SessionRevoked } });
        var id = stream["stream_id"]!.GetValue<string>();
        using (var paused = await SsfAsync(f.Host, HttpMethod.Post, "ssf/status", $"{{\"stream_id\":\"{id}\",\"status\":\"paused\",\"reason\":\"maintenance\"}}"))
        {
            Assert.Equal("paused", (await WritHost.JsonAsync(paused))["status"]!.GetValue<string>());
        }

        await f.RevokeAsync("token", "held");
        using (var empty = await SsfAsync(f.Host, HttpMethod.Post, "ssf/poll/" + id, "{\"returnImmediately\":true}"))
        {
            Assert.Empty((await WritHost.JsonAsync(empty))["sets"]!.AsObject());
        }

        using (await SsfAsync(f.Host, HttpMethod.Post, "ssf/status", $"{{\"stream_id\":\"{id}\",\"status\":\"enabled\"}}"))
        {
        }

        // Long poll: waits for the transmitter to queue the held event.
        using var held = await SsfAsync(f.Host, HttpMethod.Post, "ssf/poll/" + id, "{\"returnImmediately\":false}");
        Assert.Single((await WritHost.JsonAsync(held))["sets"]!.AsObject());
    }

    [Fact]
    public async Task StreamLifecycle_ReadUpdateDelete()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await CreateStreamAsync(f.Host, new { delivery = new { method = SharedSignalsEvents.Poll }, events_requested = new[] { SharedSignalsEvents.SessionRevoked, "https://example.com/unknown-event" } });
        var id = stream["stream_id"]!.GetValue<string>();
        Assert.Equal([SharedSignalsEvents.SessionRevoked], stream["events_delivered"]!.AsArray().Select(e => e!.GetValue<string>()));

        using var read = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams?stream_id=" + id);
        Assert.Equal(id, (await WritHost.JsonAsync(read))["stream_id"]!.GetValue<string>());
        using var replaced = await SsfAsync(f.Host, HttpMethod.Put, "ssf/streams", $"{{\"stream_id\":\"{id}\",\"delivery\":{{\"method\":\"{SharedSignalsEvents.Poll}\"}},\"events_requested\":[\"{SharedSignalsEvents.CredentialChange}\"],\"description\":\"keys only\"}}");
        var body = await WritHost.JsonAsync(replaced);
        Assert.Equal("keys only", body["description"]!.GetValue<string>());
        Assert.Equal([SharedSignalsEvents.CredentialChange], body["events_delivered"]!.AsArray().Select(e => e!.GetValue<string>()));

        using var deleted = await SsfAsync(f.Host, HttpMethod.Delete, "ssf/streams?stream_id=" + id);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams?stream_id=" + id);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"},\"colour\":\"blue\"}", "invalid_stream_configuration")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\",\"extra\":1}}", "invalid_stream_configuration")]
    [InlineData("{\"delivery\":{\"method\":\"urn:example:carrier-pigeon\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"http://receiver.example/events\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"https://user:pw@receiver.example/events\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"ftp://receiver.example/events\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\",\"endpoint_url\":\"https://receiver.example/poll\"}}", "invalid_delivery")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"https://receiver.example/e\",\"authorization_header\":\"Bearer a\\nb\"}}", "invalid_stream_configuration")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"},\"events_requested\":\"all\"}", "invalid_stream_configuration")]
    [InlineData("{\"delivery\":{\"method\":\"urn:ietf:rfc:8936\"},\"stream_id\":\"mine\"}", "invalid_stream_configuration")]
    [InlineData("[1,2,3]", "invalid_stream_configuration")]
    public async Task BadStreamConfiguration_Returns400_AndCreatesNothing(string json, string code)
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await SsfAsync(f.Host, HttpMethod.Post, "ssf/streams", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await WritHost.JsonAsync(response))["code"]!.GetValue<string>());
        using var list = await SsfAsync(f.Host, HttpMethod.Get, "ssf/streams");
        Assert.Equal("[]", await list.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task NonHttpsPushEndpointOnLoopback_IsRefusedOutsideDevelopmentMode()
    {
        Assert.Null(Endpoints.SharedSignals.StreamConfigurationReader.CheckDelivery(SharedSignalsEvents.Push, "http://127.0.0.1:9/e", null, allowLoopbackHttp: true));
        Assert.NotNull(Endpoints.SharedSignals.StreamConfigurationReader.CheckDelivery(SharedSignalsEvents.Push, "http://127.0.0.1:9/e", null, allowLoopbackHttp: false));
        Assert.NotNull(Endpoints.SharedSignals.StreamConfigurationReader.CheckDelivery(SharedSignalsEvents.Push, "http://10.0.0.1/e", null, allowLoopbackHttp: true));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("{\"maxEvents\":-1}")]
    [InlineData("{\"maxEvents\":\"ten\"}")]
    [InlineData("{\"returnImmediately\":\"yes\"}")]
    [InlineData("{\"ack\":\"jti\"}")]
    [InlineData("{\"ack\":[1]}")]
    [InlineData("{\"setErrs\":{\"jti\":{\"description\":\"no err\"}}}")]
    [InlineData("{\"wait\":true}")]
    public async Task BadPollRequest_Returns400WithErr(string json)
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await CreateStreamAsync(f.Host, new { delivery = new { method = SharedSignalsEvents.Poll } });

        using var response = await SsfAsync(f.Host, HttpMethod.Post, "ssf/poll/" + stream["stream_id"], json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await WritHost.JsonAsync(response))["err"]!.GetValue<string>());
    }

    [Fact]
    public async Task PollOfUnknownStream_Returns404()
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await SsfAsync(f.Host, HttpMethod.Post, "ssf/poll/nope", "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("ssf/streams")]
    [InlineData("ssf/status?stream_id=x")]
    public async Task StreamManagementWithoutAdminToken_Returns401(string path)
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await SsfAsync(f.Host, HttpMethod.Get, path, token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BadStatus_Returns400()
    {
        await using var f = await RevocationFixture.StartAsync();
        var stream = await CreateStreamAsync(f.Host, new { delivery = new { method = SharedSignalsEvents.Poll } });

        using var response = await SsfAsync(f.Host, HttpMethod.Post, "ssf/status", $"{{\"stream_id\":\"{stream["stream_id"]}\",\"status\":\"asleep\"}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
