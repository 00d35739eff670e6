using Writ.Core.Audit;
using Writ.Core.Leases;
using Writ.Server.Tests.Connections;

namespace Writ.Server.Tests.Leases;

/// <summary>
/// OAuth client credentials connections are brokered: Writ gets an access token from the upstream token endpoint
/// (a real one on loopback), caches it until shortly before it expires and injects it; the client secret never
/// leaves towards anything but that endpoint.
/// </summary>
public sealed class OAuthClientCredentialsBrokeringTests : IAsyncLifetime
{
    private const string ClientSecret = "cs-9Qw:+/ &x=Zr71";

    private ConnectionTestHost _host = null!;
    private UpstreamTokenServer _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BrokeredSecrets Brokered => _host.Service<BrokeredSecrets>();

    private async Task<List<AuditRecord>> RecordsAsync(string type)
    {
        var stored = await _host.Store.Audit.SearchAsync(new AuditQuery { Type = type, NewestFirst = false }, Ct);
        return [.. stored.Select(r => AuditRecordEncoding.Decode(r.Canonical))];
    }

    public async ValueTask InitializeAsync()
    {
        _upstream = await UpstreamTokenServer.StartAsync(ClientSecret);
        _host = await ConnectionTestHost.StartAsync();
        await _host.OkAsync(HttpMethod.Post, "owners", new { name = "alice" });
        await _host.OkAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice" });
        await StoredTasks.AddAsync(_host.Store, _host.Time.GetUtcNow(), "tsk_1", "tsk_2");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
        await _upstream.DisposeAsync();
    }

    private async Task AddConnectionAsync(string authMethod = "client_secret_basic", string? audience = "https://api.upstream.test", string name = "crm")
    {
        await _host.OkAsync(HttpMethod.Post, "connections", new
        {
            name,
            owner = "alice",
            kind = "oauth_client_credentials",
            secret = ClientSecret,
            tokenEndpoint = _upstream.TokenEndpoint,
            clientId = "writ-client",
            scopes = new[] { "contacts:read", "deals:read" },
            authMethod,
            audience,
        });
    }

    private LeaseRequest Request(string task = "tsk_1", string connection = "crm") =>
        new(task, "research", "alice", _host.Time.GetUtcNow() + TimeSpan.FromMinutes(30), connection);

    [Fact]
    public async Task UpstreamToken_IsFetchedWithClientSecretBasic_AndInjectedAsBearer()
    {
        await AddConnectionAsync();

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(error);
        Assert.Equal("Authorization", credential!.HeaderName);
        Assert.Equal("Bearer upstream-at-1", credential.HeaderValue);
        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal(("writ-client", ClientSecret), sent.BasicCredentials());
        Assert.Equal("client_credentials", sent.Form["grant_type"]);
        Assert.Equal("contacts:read deals:read", sent.Form["scope"]);
        Assert.Equal("https://api.upstream.test", sent.Form["audience"]);
        Assert.False(sent.Form.ContainsKey("client_secret"));
        var lease = await _host.Store.Leases.GetAsync(credential.LeaseId, Ct);
        Assert.Equal(LeaseKind.BrokeredSecret, lease!.Kind);
        Assert.Equal("crm", lease.Connection);
    }

    [Fact]
    public async Task ClientSecretPost_SendsTheCredentialsInTheBody()
    {
        await AddConnectionAsync("client_secret_post", audience: null);

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(error);
        Assert.NotNull(credential);
        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal(string.Empty, sent.Authorization);
        Assert.Equal("writ-client", sent.Form["client_id"]);
        Assert.Equal(ClientSecret, sent.Form["client_secret"]);
        Assert.False(sent.Form.ContainsKey("audience"));
    }

    [Fact]
    public async Task UpstreamToken_IsReused_AcrossCallsAndTasks_UntilShortlyBeforeItExpires()
    {
        _upstream.ExpiresIn = 300;
        await AddConnectionAsync();

        var (first, _) = await Brokered.ResolveAsync(Request("tsk_1"), Ct);
        var (second, _) = await Brokered.ResolveAsync(Request("tsk_1"), Ct);
        var (other, _) = await Brokered.ResolveAsync(Request("tsk_2"), Ct);
        Assert.Single(_upstream.Requests);
        Assert.Equal(first!.HeaderValue, second!.HeaderValue);
        Assert.Equal(first.HeaderValue, other!.HeaderValue);
        Assert.NotEqual(first.LeaseId, other.LeaseId);

        // 30 s before its expiry the token is no longer used: the next call fetches a new one.
        _host.Time.Advance(TimeSpan.FromSeconds(269));
        Assert.Equal("Bearer upstream-at-1", (await Brokered.ResolveAsync(Request("tsk_1"), Ct)).Credential!.HeaderValue);
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("Bearer upstream-at-2", (await Brokered.ResolveAsync(Request("tsk_1"), Ct)).Credential!.HeaderValue);
        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Fact]
    public async Task ShortLivedUpstreamToken_IsNeverUsedPastItsExpiry()
    {
        _upstream.ExpiresIn = 10;
        await AddConnectionAsync();

        await Brokered.ResolveAsync(Request(), Ct);
        _host.Time.Advance(TimeSpan.FromSeconds(9));
        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);
        Assert.Null(error);

        Assert.Equal("Bearer upstream-at-2", credential!.HeaderValue);
    }

    [Fact]
    public async Task TokenWithoutExpiry_IsNotCached()
    {
        _upstream.ExpiresIn = null;
        await AddConnectionAsync();

        await Brokered.ResolveAsync(Request(), Ct);
        await Brokered.ResolveAsync(Request(), Ct);

        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Fact]
    public async Task UpstreamRefusal_FailsClosed_WithTheUpstreamError()
    {
        await AddConnectionAsync();
        _upstream.Failure = (401, """{"error":"invalid_client","error_description":"client authentication failed"}""");

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("upstream_refused", error!.Code);
        Assert.False(error.Unavailable);
        Assert.Contains("401 invalid_client: client authentication failed", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamServerError_FailsClosed_AsUnavailable_AndIsRetriedOnTheNextCall()
    {
        await AddConnectionAsync();
        _upstream.Failure = (503, "<html>down</html>");

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);
        Assert.Null(credential);
        Assert.Equal("upstream_refused", error!.Code);
        Assert.True(error.Unavailable);

        _upstream.Failure = null;
        var (next, nextError) = await Brokered.ResolveAsync(Request(), Ct);
        Assert.Null(nextError);
        Assert.Equal("Bearer upstream-at-1", next!.HeaderValue);
    }

    [Fact]
    public async Task UnreachableTokenEndpoint_FailsClosed_AsUnavailable()
    {
        await _upstream.DisposeAsync();
        await AddConnectionAsync();

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("upstream_unavailable", error!.Code);
        Assert.True(error.Unavailable);
    }

    [Fact]
    public async Task NonBearerUpstreamToken_IsRefused()
    {
        _upstream.TokenType = "DPoP";
        await AddConnectionAsync();

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("upstream_invalid_response", error!.Code);
    }

    [Fact]
    public async Task MalformedUpstreamAnswer_IsRefused()
    {
        await AddConnectionAsync();
        _upstream.Failure = (200, """{"access_token":"has space","token_type":"Bearer"}""");

        var (credential, error) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Null(credential);
        Assert.Equal("upstream_invalid_response", error!.Code);
    }

    [Fact]
    public async Task RotatedClientSecret_GetsANewUpstreamToken()
    {
        await AddConnectionAsync();
        await Brokered.ResolveAsync(Request(), Ct);

        await _host.OkAsync(HttpMethod.Post, "connections/crm/rotate-secret");
        _host.Time.Advance(TimeSpan.FromSeconds(6));
        var (credential, _) = await Brokered.ResolveAsync(Request(), Ct);

        Assert.Equal("Bearer upstream-at-2", credential!.HeaderValue);
    }

    [Fact]
    public async Task ClientSecret_AppearsInNoLogNoResponseAndNoCredentialText()
    {
        await AddConnectionAsync();
        var (credential, _) = await Brokered.ResolveAsync(Request(), Ct);
        _upstream.Failure = (400, """{"error":"invalid_scope"}""");
        await Brokered.ResolveAsync(Request("tsk_2", "crm"), Ct);
        await _host.OkAsync(HttpMethod.Get, "connections/crm");

        Assert.DoesNotContain(ClientSecret, credential!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Logs.Lines, line => line.Contains(ClientSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Responses, body => body.Contains(ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamFetches_AreAudited()
    {
        await AddConnectionAsync();

        var (credential, _) = await Brokered.ResolveAsync(Request(), Ct);

        var used = await RecordsAsync(AuditEventTypes.LeaseUsed);
        var issued = await RecordsAsync(AuditEventTypes.LeaseIssued);
        Assert.Contains(used, r => r.Decision == "upstream_token" && r.Detail!["lease"] == credential!.LeaseId && r.Target == "connection:crm");
        Assert.Contains(issued, r => r.Detail!["lease"] == credential!.LeaseId);
    }

    [Fact]
    public async Task AudienceWithWhitespace_IsRefused_AndAudienceOnAStaticSecret_IsRefused()
    {
        var (badAudience, badText) = await _host.SendAsync(HttpMethod.Post, "connections", new { name = "crm2", owner = "alice", kind = "oauth_client_credentials", secret = ClientSecret, tokenEndpoint = _upstream.TokenEndpoint, clientId = "c", audience = "a b" });
        var (wrongKind, wrongText) = await _host.SendAsync(HttpMethod.Post, "connections", new { name = "static2", owner = "alice", kind = "static_secret", secret = "k", headerName = "X-Api-Key", audience = "https://api" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badAudience.StatusCode);
        Assert.Contains("invalid_audience", badText, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrongKind.StatusCode);
        Assert.Contains("fields_not_for_kind", wrongText, StringComparison.Ordinal);
        badAudience.Dispose();
        wrongKind.Dispose();
    }

    [Fact]
    public async Task Audience_IsShownByTheAdminApi()
    {
        await AddConnectionAsync();

        var shown = await _host.OkAsync(HttpMethod.Get, "connections/crm");

        Assert.Equal("https://api.upstream.test", shown["audience"]!.GetValue<string>());
        Assert.Null(shown["secret"]);
    }
}
