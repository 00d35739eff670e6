using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ExternalIssuer_AddedThenRead_RoundTrips()
    {
        var issuer = await AddIssuerAsync("k8s", "https://kubernetes.default.svc");

        AssertSameIssuer(issuer, await Store.ExternalIssuers.GetAsync("k8s", Ct));
        Assert.Null(await Store.ExternalIssuers.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DuplicateExternalIssuer_ReturnsAlreadyExists()
    {
        var issuer = await AddIssuerAsync("k8s", "https://kubernetes.default.svc");

        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.ExternalIssuers.AddAsync(issuer, Ct)).Outcome);
    }

    [Fact]
    public async Task ExternalIssuers_AreFoundByIssuerAndListedByName()
    {
        await AddIssuerAsync("ci-b", "https://ci.example.test");
        await AddIssuerAsync("k8s", "https://kubernetes.default.svc");
        await AddIssuerAsync("ci-a", "https://ci.example.test");

        var ci = await Store.ExternalIssuers.FindByIssuerAsync("https://ci.example.test", Ct);
        var all = await Store.ExternalIssuers.ListAsync(Ct);

        Assert.Equal(["ci-a", "ci-b"], ci.Select(i => i.Name));
        Assert.Equal(["ci-a", "ci-b", "k8s"], all.Select(i => i.Name));
        Assert.Empty(await Store.ExternalIssuers.FindByIssuerAsync("https://CI.example.test", Ct));
    }

    [Fact]
    public async Task ExternalIssuer_IsRemoved_ThenNotFound()
    {
        await AddIssuerAsync("k8s", "https://kubernetes.default.svc");

        Assert.Equal(StoreOutcome.Success, (await Store.ExternalIssuers.RemoveAsync("k8s", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.ExternalIssuers.RemoveAsync("k8s", Ct)).Outcome);
        Assert.Null(await Store.ExternalIssuers.GetAsync("k8s", Ct));
    }

    private async Task<ExternalIssuer> AddIssuerAsync(string name, string url)
    {
        var issuer = new ExternalIssuer(
            name,
            url,
            "writ",
            name == "k8s" ? null : url + "/jwks",
            name == "k8s" ? "{\"keys\":[]}" : null,
            [
                new ClaimRule(new Dictionary<string, string> { ["sub"] = "system:serviceaccount:ns:research" }, "research"),
                new ClaimRule(new Dictionary<string, string> { ["repository"] = "acme/app", ["ref"] = "refs/heads/main" }, "builder"),
            ],
            T0,
            "admin");
        Assert.Equal(StoreOutcome.Success, (await Store.ExternalIssuers.AddAsync(issuer, Ct)).Outcome);
        return issuer;
    }

    private static void AssertSameIssuer(ExternalIssuer expected, ExternalIssuer? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Rules = [] }, actual with { Rules = [] });
        Assert.Equal(expected.Rules.Count, actual.Rules.Count);
        for (var i = 0; i < expected.Rules.Count; i++)
        {
            Assert.Equal(expected.Rules[i].Agent, actual.Rules[i].Agent);
            Assert.Equal(expected.Rules[i].Claims.OrderBy(p => p.Key), actual.Rules[i].Claims.OrderBy(p => p.Key));
        }
    }
}
