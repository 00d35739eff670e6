using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Writ.Core.Revocation;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Revocation;

public sealed class RevocationStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RevocationSubscriber Subscriber(RevocationFixture f, Uri baseAddress) => new(
        new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
        new RevocationSubscriberOptions
        {
            EventsUri = new Uri(baseAddress, "revocations/v1/events"),
            Authorization = _ => ValueTask.FromResult("Bearer " + f.Host.AdminToken),
            MinBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        },
        f.Host.Time);

    private static async Task<long> RevokeJtiAsync(RevocationFixture f, string jti) =>
        (await f.RevokeAsync("token", jti))[0]!["id"]!.GetValue<long>();

    private static async Task<List<long>> LoggedIdsAsync(RevocationFixture f)
    {
        var log = await f.Host.AdminOkAsync(HttpMethod.Get, "revocations?limit=1000");
        return [.. log["events"]!.AsArray().Select(e => e!["id"]!.GetValue<long>())];
    }

    [Fact]
    public async Task SubscribedEnforcementPoint_RejectsARevokedToken()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();
        await using var subscriber = Subscriber(f, f.Host.Http.BaseAddress!);
        await subscriber.StartAsync(Ct);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(RevocationFixture.JwtPayload(token).GetProperty("iat").GetInt64());
        var query = new RevocationQuery(issuedAt, Jti: RevocationFixture.Jti(token), KeyId: RevocationFixture.Kid(token), Agents: ["spiffe://writ.local/agent/research"]);
        Assert.False(subscriber.IsRevoked(query));

        var id = (await f.RevokeAsync("agent", "research"))[0]!["id"]!.GetValue<long>();
        await subscriber.WaitForEventAsync(id, Ct);

        Assert.True(subscriber.IsRevoked(query));
    }

    [Fact]
    public async Task SubscriberWhoseConnectionIsCutRepeatedly_ResumesAndMissesNoEvent()
    {
        await using var f = await RevocationFixture.StartAsync();
        await using var proxy = new CuttableProxy(f.Host.Http.BaseAddress!);
        await using var subscriber = Subscriber(f, proxy.Address);
        var applied = new ConcurrentQueue<long>();
        subscriber.Applied += e => applied.Enqueue(e.Id);
        await subscriber.StartAsync(Ct);

        var first = await RevokeJtiAsync(f, "before-cut");
        await subscriber.WaitForEventAsync(first, Ct);
        long last = first;
        for (var round = 0; round < 5; round++)
        {
            // Cut while events are being written, then keep revoking while the subscriber is away.
            var writer = Task.Run(
                async () =>
                {
                    long id = 0;
                    for (var i = 0; i < 6; i++)
                    {
                        id = await RevokeJtiAsync(f, $"jti-{round}-{i}");
                    }

                    return id;
                },
                Ct);
            await Task.Delay(5, Ct);
            proxy.CutAll();
            last = await writer;
        }

        await subscriber.WaitForEventAsync(last, Ct);

        var logged = await LoggedIdsAsync(f);
        Assert.Equal(31, logged.Count);
        Assert.Equal(logged, applied.Distinct().Order());
        Assert.Equal(applied.Order(), applied);
        Assert.True(subscriber.Connections >= 2, $"expected reconnections, saw {subscriber.Connections} connection(s)");
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                Assert.True(subscriber.IsRevoked(new RevocationQuery(f.Host.Time.GetUtcNow(), Jti: $"jti-{round}-{i}")));
            }
        }
    }

    [Fact]
    public async Task LastEventId_ResumesRightAfterThatEvent()
    {
        await using var f = await RevocationFixture.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await RevokeJtiAsync(f, "jti-" + i));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", f.Host.AdminToken);
        request.Headers.Add("Last-Event-ID", ids[0].ToString(CultureInfo.InvariantCulture));
        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        var seen = new List<long>();
        while (seen.Count < 2)
        {
            var line = await reader.ReadLineAsync(Ct);
            if (line!.StartsWith("id: ", StringComparison.Ordinal))
            {
                seen.Add(long.Parse(line[4..], CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(ids[1..], seen);
    }

    [Fact]
    public async Task RegisteredClientWithBasicCredentials_MaySubscribe()
    {
        await using var f = await RevocationFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = f.ClientBasic;

        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic Z2F0ZXdheTp3cm9uZw==")]
    public async Task StreamWithoutValidCredentials_Returns401(string? authorization)
    {
        await using var f = await RevocationFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OwnerScopedAdminToken_Returns401()
    {
        await using var f = await RevocationFixture.StartAsync();
        var scoped = await f.Host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-admin", owner = "alice" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scoped["token"]!.GetValue<string>());

        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public async Task MalformedLastEventId_Returns400(string value)
    {
        await using var f = await RevocationFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", f.Host.AdminToken);
        request.Headers.TryAddWithoutValidation("Last-Event-ID", value);

        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LastEventIdBeyondTheLog_StartsAgainFromTheBeginning()
    {
        await using var f = await RevocationFixture.StartAsync();
        var id = await RevokeJtiAsync(f, "jti-0");
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", f.Host.AdminToken);
        request.Headers.Add("Last-Event-ID", "9999");
        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        string? line;
        do
        {
            line = await reader.ReadLineAsync(Ct);
        }
        while (line is not null && !line.StartsWith("id: ", StringComparison.Ordinal));

        Assert.Equal("id: " + id.ToString(CultureInfo.InvariantCulture), line);
    }

    [Fact]
    public async Task EventStream_HoldsNoSecret()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();
        var id = await RevokeJtiAsync(f, RevocationFixture.Jti(token));
        await f.RevokeAsync("agent", "research");
        using var request = new HttpRequestMessage(HttpMethod.Get, "revocations/v1/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", f.Host.AdminToken);
        using var response = await f.Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        var text = new System.Text.StringBuilder();
        var events = 0;
        while (events < 2)
        {
            var line = await reader.ReadLineAsync(Ct);
            text.AppendLine(line);
            if (line!.StartsWith("id: ", StringComparison.Ordinal))
            {
                events++;
            }
        }

        await reader.ReadLineAsync(Ct);
        var all = text.ToString();
        Assert.Contains(RevocationFixture.Jti(token), all, StringComparison.Ordinal);
        Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Host.AdminToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(f.ClientSecret, all, StringComparison.Ordinal);
        Assert.True(id > 0);
    }
}
