using System.Net;
using System.Text.Json.Nodes;
using Writ.Core.Policy;
using Writ.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Writ.Server.Tests.Policy;

public sealed class PolicySetApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BeforeAnyApply_ActiveSetIsEmptyVersionZero()
    {
        await using var host = await WritHost.StartAsync();

        var current = host.App.Services.GetRequiredService<IActivePolicySet>().Current;

        Assert.Equal(0, current.Version);
        Assert.Empty(current.Policies.Policies);
    }

    [Fact]
    public async Task ValidSet_IsStoredAsVersionOne_ActivatedAndAttributed()
    {
        await using var host = await WritHost.StartAsync();

        var applied = await host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("tools.cedar", PolicyTestData.PermitSearch)), description = "first" });

        Assert.Equal(1, applied["version"]!.GetValue<long>());
        Assert.True(applied["active"]!.GetValue<bool>());
        Assert.Equal("bootstrap", applied["createdBy"]!.GetValue<string>());
        var current = host.App.Services.GetRequiredService<IActivePolicySet>().Current;
        Assert.Equal(1, current.Version);
        Assert.True(current.Policies.TryGetPolicy("permit-search", out _));
    }

    [Fact]
    public async Task InvalidSet_Returns400WithEachErrorAndLocation_AndActiveSetStays()
    {
        await using var host = await WritHost.StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("tools.cedar", PolicyTestData.PermitSearch)) });

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("bad.cedar", PolicyTestData.Invalid)) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await WritHost.JsonAsync(response);
        Assert.Equal("invalid_policies", problem["code"]!.GetValue<string>());
        var error = problem["errors"]!.AsArray().Single()!.AsObject();
        Assert.Equal("bad-attribute", error["policyId"]!.GetValue<string>());
        Assert.Equal("bad.cedar", error["file"]!.GetValue<string>());
        Assert.True(error["line"]!.GetValue<int>() >= 1);
        Assert.Equal(1, host.App.Services.GetRequiredService<IActivePolicySet>().Current.Version);
        var list = await host.AdminOkAsync(HttpMethod.Get, "policy-sets");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task SetThatDoesNotParse_Returns400WithLineAndColumn()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("broken.cedar", "permit (principal, action, resource)\nwhen { ;")) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await WritHost.JsonAsync(response))["errors"]!.AsArray().Single()!.AsObject();
        Assert.Equal("parse-error", error["kind"]!.GetValue<string>());
        Assert.Equal("broken.cedar", error["file"]!.GetValue<string>());
        Assert.Equal(2, error["line"]!.GetValue<int>());
    }

    [Fact]
    public async Task ApplyWithoutActivate_StoresButKeepsActiveVersion_ThenActivateSwitches()
    {
        await using var host = await WritHost.StartAsync();
        await host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("a.cedar", PolicyTestData.PermitSearch)) });

        var second = await host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("b.cedar", PolicyTestData.PermitGithub)), activate = false });

        Assert.Equal(2, second["version"]!.GetValue<long>());
        Assert.False(second["active"]!.GetValue<bool>());
        var active = host.App.Services.GetRequiredService<IActivePolicySet>();
        Assert.Equal(1, active.Current.Version);

        await host.AdminOkAsync(HttpMethod.Post, "policy-sets/2/activate");
        Assert.Equal(2, active.Current.Version);
        Assert.True(active.Current.Policies.TryGetPolicy("permit-github", out _));

        await host.AdminOkAsync(HttpMethod.Post, "policy-sets/1/activate");
        Assert.Equal(1, active.Current.Version);
        var shown = await host.AdminOkAsync(HttpMethod.Get, "policy-sets/1");
        Assert.True(shown["active"]!.GetValue<bool>());
        Assert.Equal("a.cedar", shown["files"]!.AsArray()[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ActivateUnknownVersion_Returns404()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets/7/activate");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ApplyWithoutAdminToken_Returns401()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("a.cedar", PolicyTestData.PermitSearch)) }, token: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, host.App.Services.GetRequiredService<IActivePolicySet>().Current.Version);
    }

    [Fact]
    public async Task EmptyFileList_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task FileNameWithPathSeparator_IsRefused()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("../x.cedar", PolicyTestData.PermitSearch)) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-file-name", (await WritHost.JsonAsync(response))["errors"]!.AsArray()[0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ActiveVersion_SurvivesRestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-policy-restart-" + Guid.NewGuid().ToString("N"));
        await using (var first = await WritHost.StartAsync(dataDirectory: data, keepData: true))
        {
            await first.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("a.cedar", PolicyTestData.PermitSearch)) });
        }

        await using var second = await WritHost.StartAsync(dataDirectory: data);

        Assert.Equal(1, second.App.Services.GetRequiredService<IActivePolicySet>().Current.Version);
    }

    [Fact]
    public async Task ActivationOnOneServer_ReachesAnotherSharingTheStore()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-policy-shared-" + Guid.NewGuid().ToString("N"));
        await using var a = await WritHost.StartAsync(dataDirectory: data, keepData: true);
        await using var b = await WritHost.StartAsync(dataDirectory: data);
        var onB = b.App.Services.GetRequiredService<IActivePolicySet>();
        Assert.Equal(0, onB.Current.Version);

        await a.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("a.cedar", PolicyTestData.PermitSearch)) });
        await b.App.Services.GetRequiredService<PolicySetRefresher>().RefreshAsync(Ct);

        Assert.Equal(1, onB.Current.Version);
    }
}
