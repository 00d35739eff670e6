using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Client_AddedThenRead_RoundTrips()
    {
        await AddOwnerAsync();
        var secretClient = new Client("gateway", "alice", ClientAuthMethod.ClientSecret, SecretHash.Compute("s"), null, T0, false);
        var jwtClient = new Client("pdp", null, ClientAuthMethod.PrivateKeyJwt, null, "{\"keys\":[]}", T0, false);

        Assert.True((await Store.Clients.AddAsync(secretClient, Ct)).Succeeded);
        Assert.True((await Store.Clients.AddAsync(jwtClient, Ct)).Succeeded);

        Assert.Equal(secretClient, await Store.Clients.GetAsync("gateway", Ct));
        Assert.Equal(jwtClient, await Store.Clients.GetAsync("pdp", Ct));
        Assert.Null(await Store.Clients.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DuplicateClient_ReturnsAlreadyExists()
    {
        var client = new Client("gateway", null, ClientAuthMethod.ClientSecret, SecretHash.Compute("s"), null, T0, false);
        await Store.Clients.AddAsync(client, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Clients.AddAsync(client, Ct)).Outcome);
    }

    [Fact]
    public async Task ClientOfUnknownOwner_ReturnsReferenceNotFound()
    {
        var client = new Client("gateway", "nobody", ClientAuthMethod.ClientSecret, SecretHash.Compute("s"), null, T0, false);

        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.Clients.AddAsync(client, Ct)).Outcome);
    }

    [Fact]
    public async Task Clients_AreListed_DisabledAndRemoved()
    {
        await AddOwnerAsync();
        await Store.Clients.AddAsync(new Client("b", "alice", ClientAuthMethod.ClientSecret, "h1", null, T0, false), Ct);
        await Store.Clients.AddAsync(new Client("a", null, ClientAuthMethod.ClientSecret, "h2", null, T0, false), Ct);

        Assert.Equal(["a", "b"], (await Store.Clients.ListAsync(null, Ct)).Select(c => c.Name));
        Assert.Equal(["b"], (await Store.Clients.ListAsync("alice", Ct)).Select(c => c.Name));

        var disabled = await Store.Clients.SetDisabledAsync("a", true, Ct);
        Assert.True(disabled.Value!.Disabled);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Clients.SetDisabledAsync("zzz", true, Ct)).Outcome);

        Assert.Equal(StoreOutcome.Success, (await Store.Clients.RemoveAsync("a", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.Clients.RemoveAsync("a", Ct)).Outcome);
        Assert.Equal(["b"], (await Store.Clients.ListAsync(null, Ct)).Select(c => c.Name));
    }
}
