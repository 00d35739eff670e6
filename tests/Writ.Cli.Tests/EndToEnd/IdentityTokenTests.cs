namespace Writ.Cli.Tests.EndToEnd;

// The main job end to end: register with the real CLI, attest with a join token over HTTP, verify the JWT-SVID with jose.
public abstract class IdentityTokenTests(DevServerFixture fixture)
{
    private const string Audience = "https://tools.acme.test";

    private WritHost Server => fixture.Server;

    [Fact]
    public async Task JoinToken_ExchangedAtTokenEndpoint_YieldsJwtSvidThatJoseVerifies()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("research", "alice");

        var (status, body) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);

        Assert.True(status == 200, body.ToJsonString());
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:jwt", (string?)body["issued_token_type"]);
        Assert.True((int?)body["expires_in"] is > 0 and <= 3600, body.ToJsonString());

        var verified = await JoseVerifier.VerifyAsync((string)body["access_token"]!, "--jwks", Server.Server + "/.well-known/jwks.json", Server.Server, Audience);

        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("ES256", (string?)verified.Header["alg"]);
        Assert.Equal("JWT", (string?)verified.Header["typ"]);
        Assert.False(string.IsNullOrEmpty((string?)verified.Header["kid"]));
        Assert.Equal("spiffe://writ.local/agent/research", (string?)verified.Payload["sub"]);
        Assert.Equal(Server.Server, (string?)verified.Payload["iss"]);
        var iat = (long)verified.Payload["iat"]!;
        var exp = (long)verified.Payload["exp"]!;
        Assert.InRange(exp - iat, 1, 3600);
        Assert.False(string.IsNullOrEmpty((string?)verified.Payload["jti"]));
    }

    [Fact]
    public async Task IdentityToken_VerifiesAgainstSpiffeTrustBundle()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("bundle-check", "bob");
        var (status, body) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);
        Assert.True(status == 200, body.ToJsonString());

        var verified = await JoseVerifier.VerifyAsync((string)body["access_token"]!, "--bundle", Server.Server + "/.well-known/spiffe-bundle", Server.Server, Audience);

        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("spiffe://writ.local/agent/bundle-check", (string?)verified.Payload["sub"]);
    }

    [Fact]
    public async Task IdentityTokenForOtherAudience_IsRejectedByJose()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("audience-check", "carol");
        var (status, body) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);
        Assert.True(status == 200, body.ToJsonString());

        var verified = await JoseVerifier.VerifyAsync((string)body["access_token"]!, "--jwks", Server.Server + "/.well-known/jwks.json", Server.Server, "https://other.acme.test");

        Assert.Equal(1, verified.ExitCode);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", verified.Error);
    }

    [Fact]
    public async Task ReplayedJoinToken_IsRejected()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("replay-check", "dave");
        var (first, _) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);
        Assert.Equal(200, first);

        var (second, body) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);

        Assert.Equal(400, second);
        Assert.Equal("invalid_grant", (string?)body["error"]);
    }

    [Fact]
    public async Task SuspendedAgent_GetsNoIdentityToken_UntilResumed()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("suspend-check", "erin");
        var suspended = CliJson.Of(await Server.CliAsync("agent", "suspend", "suspend-check", "--json"));
        Assert.Equal("suspended", (string?)suspended["status"]);

        var (status, body) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);
        Assert.Equal(400, status);
        Assert.Equal("invalid_grant", (string?)body["error"]);

        var resumed = await Server.CliAsync("agent", "resume", "suspend-check");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("active", resumed.Output, StringComparison.Ordinal);
        var fresh = (string?)CliJson.Of(await Server.CliAsync("join-token", "create", "suspend-check", "--json"))["token"];
        var (again, _) = await Server.ExchangeJoinTokenAsync(fresh!, Audience);
        Assert.Equal(200, again);
    }

    [Fact]
    public async Task RetiredAgent_CannotGetJoinTokenOrIdentityToken()
    {
        var joinToken = await RegisterAgentAndCreateJoinTokenAsync("retire-check", "frank");
        Assert.Equal(0, (await Server.CliAsync("agent", "retire", "retire-check")).ExitCode);

        var (status, _) = await Server.ExchangeJoinTokenAsync(joinToken, Audience);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task RegisteredKey_AssertionSignedByJose_YieldsJwtSvid_AndIsSingleUse()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "gina")).ExitCode);
        var (privateJwk, publicJwk) = await JoseAgent.GenerateKeyPairAsync();
        var keyFile = Path.Combine(Server.WorkingDirectory, "keyed-agent.jwk.json");
        await File.WriteAllTextAsync(keyFile, publicJwk.ToJsonString(), TestContext.Current.CancellationToken);

        var registered = await Server.CliAsync("agent", "register", "keyed-agent", "--owner", "gina", "--attestation", "registered_key", "--public-key", keyFile);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var agent = CliJson.Of(await Server.CliAsync("agent", "show", "keyed-agent", "--json"));
        var kid = (string?)agent["publicKeys"]?[0]?["kid"];
        Assert.False(string.IsNullOrEmpty(kid), agent.ToJsonString());

        var assertion = await JoseAgent.SignAssertionAsync(privateJwk, kid!, "spiffe://writ.local/agent/keyed-agent", Server.Server + "/oauth2/token");
        var (status, body) = await Server.PresentAssertionAsync(assertion, Audience);
        Assert.True(status == 200, body.ToJsonString());

        var verified = await JoseVerifier.VerifyAsync((string)body["access_token"]!, "--jwks", Server.Server + "/.well-known/jwks.json", Server.Server, Audience);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("spiffe://writ.local/agent/keyed-agent", (string?)verified.Payload["sub"]);

        var (replayed, replayBody) = await Server.PresentAssertionAsync(assertion, Audience);
        Assert.Equal(400, replayed);
        Assert.Equal("invalid_grant", (string?)replayBody["error"]);
    }

    [Fact]
    public async Task AgentKeyRotation_NewKeyAttests_RemovedKeyIsRefused()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "ivy")).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("agent", "register", "rotating", "--owner", "ivy", "--attestation", "registered_key")).ExitCode);
        var (oldPrivate, oldPublic) = await JoseAgent.GenerateKeyPairAsync();
        var (newPrivate, newPublic) = await JoseAgent.GenerateKeyPairAsync();
        var oldFile = Path.Combine(Server.WorkingDirectory, "rotating-old.jwk.json");
        var newFile = Path.Combine(Server.WorkingDirectory, "rotating-new.jwk.json");
        await File.WriteAllTextAsync(oldFile, oldPublic.ToJsonString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(newFile, newPublic.ToJsonString(), TestContext.Current.CancellationToken);

        var addOld = await Server.CliAsync("agent-key", "add", "rotating", "--public-key", oldFile);
        Assert.True(addOld.ExitCode == 0, addOld.ToString());
        Assert.Equal(0, (await Server.CliAsync("agent-key", "add", "rotating", "--public-key", newFile)).ExitCode);
        var keys = (System.Text.Json.Nodes.JsonArray)CliJson.Of(await Server.CliAsync("agent-key", "list", "rotating", "--json"))["items"]!;
        Assert.Equal(2, keys.Count);
        var oldKid = (string)keys[0]!["kid"]!;
        var newKid = (string)keys[1]!["kid"]!;
        Assert.Contains(oldKid, (await Server.CliAsync("agent-key", "list", "rotating")).Output, StringComparison.Ordinal);

        var removed = await Server.CliAsync("agent-key", "remove", "rotating", "--", oldKid);
        Assert.True(removed.ExitCode == 0, removed.ToString());

        var spiffeId = "spiffe://writ.local/agent/rotating";
        var tokenEndpoint = Server.Server + "/oauth2/token";
        var (withNew, newBody) = await Server.PresentAssertionAsync(await JoseAgent.SignAssertionAsync(newPrivate, newKid, spiffeId, tokenEndpoint), Audience);
        Assert.True(withNew == 200, newBody.ToJsonString());
        var (withOld, oldBody) = await Server.PresentAssertionAsync(await JoseAgent.SignAssertionAsync(oldPrivate, oldKid, spiffeId, tokenEndpoint), Audience);
        Assert.Equal(400, withOld);
        Assert.Equal("invalid_grant", (string?)oldBody["error"]);
    }

    [Fact]
    public async Task ExternalIssuerAddedWithCli_ItsTokenAttestsTheRuleAgent_OtherSubjectsGetNothing()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "jack")).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("agent", "register", "ci-bot", "--owner", "jack", "--attestation", "external_issuer")).ExitCode);
        var (ciPrivate, ciPublic) = await JoseAgent.GenerateKeyPairAsync();
        ciPublic["kid"] = "ci-1";
        var jwksFile = Path.Combine(Server.WorkingDirectory, "ci-jwks.json");
        await File.WriteAllTextAsync(jwksFile, new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(ciPublic.DeepClone()) }.ToJsonString(), TestContext.Current.CancellationToken);

        const string CiIssuer = "https://ci.acme.test";
        var added = await Server.CliAsync("issuer", "add", "ci", "--issuer", CiIssuer, "--jwks-file", jwksFile, "--audience", "writ",
            "--rule", "ci-bot:sub=repo:acme/app:ref:refs/heads/main");
        Assert.True(added.ExitCode == 0, added.ToString());

        var matching = await JoseAgent.SignExternalTokenAsync(ciPrivate, "ci-1", CiIssuer, "repo:acme/app:ref:refs/heads/main", "writ");
        var (status, body) = await Server.ExchangeExternalTokenAsync(matching, Audience);
        Assert.True(status == 200, body.ToJsonString());
        var verified = await JoseVerifier.VerifyAsync((string)body["access_token"]!, "--jwks", Server.Server + "/.well-known/jwks.json", Server.Server, Audience);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal("spiffe://writ.local/agent/ci-bot", (string?)verified.Payload["sub"]);

        var other = await JoseAgent.SignExternalTokenAsync(ciPrivate, "ci-1", CiIssuer, "repo:acme/app:ref:refs/heads/feature", "writ");
        var (otherStatus, otherBody) = await Server.ExchangeExternalTokenAsync(other, Audience);
        Assert.Equal(400, otherStatus);
        Assert.Equal("invalid_grant", (string?)otherBody["error"]);
    }

    [Fact]
    public async Task JoinTokenForAgentWithoutJoinTokenAttestation_IsRefused_Exit1()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "hank")).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("agent", "register", "key-only", "--owner", "hank", "--attestation", "registered_key")).ExitCode);

        var created = await Server.CliAsync("join-token", "create", "key-only", "--json");

        Assert.True(created.ExitCode == 1, created.ToString());
        Assert.Contains("attestation_method_not_allowed", created.Error, StringComparison.Ordinal);
        Assert.Empty(created.Output);
    }

    private async Task<string> RegisterAgentAndCreateJoinTokenAsync(string agent, string owner)
    {
        var ownerAdded = await Server.CliAsync("owner", "add", owner);
        Assert.True(ownerAdded.ExitCode == 0, ownerAdded.ToString());
        var registered = await Server.CliAsync("agent", "register", agent, "--owner", owner);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Contains($"spiffe://writ.local/agent/{agent}", registered.Output, StringComparison.Ordinal);

        var created = CliJson.Of(await Server.CliAsync("join-token", "create", agent, "--json"));
        Assert.Equal(agent, (string?)created["agent"]);
        var token = (string?)created["token"];
        Assert.False(string.IsNullOrEmpty(token), created.ToJsonString());
        return token!;
    }
}

// On SQLite, the store `writ dev` uses by default.
public sealed class SqliteIdentityTokenTests(SqliteDevServerFixture fixture) : IdentityTokenTests(fixture), IClassFixture<SqliteDevServerFixture>;

// On PostgreSQL, the production store.
public sealed class PostgresIdentityTokenTests(PostgresDevServerFixture fixture) : IdentityTokenTests(fixture), IClassFixture<PostgresDevServerFixture>;
