using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AdminToken_AddedThenReadByNameAndHash()
    {
        await AddOwnerAsync();
        var token = new AdminToken("ops", "alice", SecretHash.Compute("t1"), T0, null, "bootstrap");

        Assert.True((await Store.AdminTokens.AddAsync(token, Ct)).Succeeded);

        Assert.Equal(token, await Store.AdminTokens.GetAsync("ops", Ct));
        Assert.Equal(token, await Store.AdminTokens.FindByHashAsync(SecretHash.Compute("t1"), Ct));
        Assert.Null(await Store.AdminTokens.FindByHashAsync(SecretHash.Compute("t2"), Ct));
    }

    [Fact]
    public async Task DuplicateAdminTokenNameOrHash_ReturnsAlreadyExists()
    {
        var token = new AdminToken("ops", null, SecretHash.Compute("t1"), T0, null, "bootstrap");
        await Store.AdminTokens.AddAsync(token, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.AdminTokens.AddAsync(token with { TokenHash = "other" }, Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.AdminTokens.AddAsync(token with { Name = "other" }, Ct)).Outcome);
    }

    [Fact]
    public async Task AdminTokenScopedToUnknownOwner_ReturnsReferenceNotFound()
    {
        var token = new AdminToken("ops", "nobody", SecretHash.Compute("t1"), T0, null, "bootstrap");

        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.AdminTokens.AddAsync(token, Ct)).Outcome);
    }

    [Fact]
    public async Task RevokedAdminToken_KeepsFirstRevocationTime()
    {
        await Store.AdminTokens.AddAsync(new AdminToken("ops", null, SecretHash.Compute("t1"), T0, null, "bootstrap"), Ct);

        var first = await Store.AdminTokens.RevokeAsync("ops", T0.AddMinutes(1), Ct);
        var second = await Store.AdminTokens.RevokeAsync("ops", T0.AddMinutes(2), Ct);

        Assert.Equal(T0.AddMinutes(1), first.Value!.RevokedAt);
        Assert.Equal(T0.AddMinutes(1), second.Value!.RevokedAt);
        Assert.Equal(T0.AddMinutes(1), (await Store.AdminTokens.FindByHashAsync(SecretHash.Compute("t1"), Ct))!.RevokedAt);
        Assert.Equal(StoreOutcome.NotFound, (await Store.AdminTokens.RevokeAsync("nobody", T0, Ct)).Outcome);
    }

    [Fact]
    public async Task AdminTokens_AreListedByName()
    {
        await Store.AdminTokens.AddAsync(new AdminToken("b", null, "h1", T0, null, null), Ct);
        await Store.AdminTokens.AddAsync(new AdminToken("a", null, "h2", T0, null, null), Ct);

        Assert.Equal(["a", "b"], (await Store.AdminTokens.ListAsync(Ct)).Select(t => t.Name));
    }
}
