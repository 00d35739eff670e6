namespace Writ.Cli.Tests.Cedar;

// `writ cedar format`: canonical text; --check tells, --write rewrites but never drops comments.
public sealed class FormatCommandTests
{
    private const string Messy = "@id(\"p\")   permit(principal==User::\"a\",action,resource)when{1+2>  1};";

    [Fact]
    public async Task Format_PrintsCanonicalText()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Messy);
        var result = await ws.RunAsync("format", "-p", "policies.cedar");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("@id(\"p\")\npermit (\n", result.Output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("1 + 2 > 1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Exits1OnUnformatted_And0OnCanonical()
    {
        using var ws = new CedarWorkspace();
        ws.Write("messy.cedar", Messy);
        var formatted = await ws.RunAsync("format", "-p", "messy.cedar");
        ws.Write("clean.cedar", formatted.Output);

        var messy = await ws.RunAsync("format", "-p", "messy.cedar", "--check");
        var clean = await ws.RunAsync("format", "-p", "clean.cedar", "--check");

        Assert.True(messy.ExitCode == 1, messy.ToString());
        Assert.Contains("not in canonical form", messy.Error, StringComparison.Ordinal);
        Assert.Empty(messy.Output);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Empty(clean.Output);
    }

    [Fact]
    public async Task Write_RewritesTheFile_AndIsIdempotent()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Messy);

        var first = await ws.RunAsync("format", "-p", "policies.cedar", "--write");
        var afterFirst = ws.Read("policies.cedar");
        var second = await ws.RunAsync("format", "-p", "policies.cedar", "--write");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("formatted policies.cedar", first.Output.TrimEnd());
        Assert.Contains("1 + 2 > 1", afterFirst, StringComparison.Ordinal);
        Assert.Equal("policies.cedar is already formatted", second.Output.TrimEnd());
        Assert.Equal(afterFirst, ws.Read("policies.cedar"));
    }

    [Fact]
    public async Task WriteOnFileWithComments_IsRefused_AndFileUnchanged()
    {
        using var ws = new CedarWorkspace();
        var original = "// only admins\n" + Messy;
        ws.Write("policies.cedar", original);
        var result = await ws.RunAsync("format", "-p", "policies.cedar", "--write");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("comments", result.Error, StringComparison.Ordinal);
        Assert.Equal(original, ws.Read("policies.cedar"));
    }

    [Fact]
    public async Task SlashesInsideStrings_AreNotComments()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", "permit(principal,action,resource)when{context.url like \"https://*\"};");
        var result = await ws.RunAsync("format", "-p", "policies.cedar", "--write");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task WriteAndCheckTogether_AreRefused()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Messy);
        var result = await ws.RunAsync("format", "-p", "policies.cedar", "--write", "--check");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(Messy, ws.Read("policies.cedar"));
    }

    [Fact]
    public async Task StandardInput_IsFormatted()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunWithInputAsync(Messy, "format");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("principal == User::\"a\"", result.Output, StringComparison.Ordinal);
    }
}
