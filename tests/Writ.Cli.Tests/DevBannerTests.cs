using Writ.Cli.Hosting;
using Writ.Cli.Output;
using Writ.Cli.Tests.Support;
using Writ.Server;

namespace Writ.Cli.Tests;

public sealed class DevBannerTests
{
    [Fact]
    public void FirstStartInDefaultPlace_PrintsTokenAndPlainNextSteps()
    {
        using var cli = new InProcessCli();
        var text = Render(cli, Info(cli, "http://127.0.0.1:7600", Path.Combine(cli.WorkingDirectory, ".writ", "admin-token"), generated: true));

        Assert.Contains("  wat.secret-token-value", text, StringComparison.Ordinal);
        Assert.Contains("in another terminal in this directory:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("export", text, StringComparison.Ordinal);
        Assert.Contains("  writ join-token create research", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LaterStart_SaysWhereTheTokenIs_WithoutPrintingIt()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, ".writ", "admin-token");
        var text = Render(cli, Info(cli, "http://127.0.0.1:7600", file, generated: false));

        Assert.DoesNotContain("wat.secret-token-value", text, StringComparison.Ordinal);
        Assert.Contains("stored in " + file, text, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherPortAndDataDirectory_NextStepsExportServerAndToken()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, "elsewhere", "admin-token");
        var text = Render(cli, Info(cli, "http://127.0.0.1:8080", file, generated: false));

        Assert.Contains("export WRIT_SERVER=http://127.0.0.1:8080", text, StringComparison.Ordinal);
        Assert.Contains($"export WRIT_TOKEN=$(cat {file})", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenFromEnvironment_IsNeverPrinted()
    {
        using var cli = new InProcessCli();
        var text = Render(cli, Info(cli, "http://127.0.0.1:7600", null, generated: false));

        Assert.DoesNotContain("wat.secret-token-value", text, StringComparison.Ordinal);
        Assert.Contains("WRIT_ADMIN_TOKEN", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_CarriesTheTokenOnlyWhenGenerated()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, ".writ", "admin-token");

        Assert.Equal("wat.secret-token-value", (string?)new DevBanner(Info(cli, "http://127.0.0.1:7600", file, generated: true), cli.WorkingDirectory).ToJson()["adminToken"]);
        Assert.False(new DevBanner(Info(cli, "http://127.0.0.1:7600", file, generated: false), cli.WorkingDirectory).ToJson().ContainsKey("adminToken"));
    }

    private static WritStartupInfo Info(InProcessCli cli, string url, string? tokenFile, bool generated) =>
        new([url], url, "writ.local", Path.Combine(cli.WorkingDirectory, ".writ"), "wat.secret-token-value", tokenFile, generated, DevMode: true);

    private static string Render(InProcessCli cli, WritStartupInfo info)
    {
        var text = new StringWriter();
        new DevBanner(info, cli.WorkingDirectory).Write(new CommandOutput(cli.Context(text, new StringWriter()), json: false));
        return text.ToString();
    }
}
