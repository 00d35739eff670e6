using Writ.Core.Policy;

namespace Writ.Core.Tests.Policy;

public sealed class PolicyCompilerTests
{
    private const string Permit = "permit (principal, action == Writ::Action::\"CallTool\", resource);";

    [Fact]
    public void PolicyWithoutId_IsNamedAfterItsFileAndPosition()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("tools.cedar", Permit + "\n" + Permit)], WritSchema.Schema);

        Assert.True(result.Succeeded);
        Assert.Equal(["tools.policy0", "tools.policy1"], result.Policies!.Policies.Select(p => p.Id));
    }

    [Fact]
    public void IdAnnotation_NamesThePolicy()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", "@id(\"allow-calls\")\n" + Permit)], WritSchema.Schema);

        Assert.Equal("allow-calls", result.Policies!.Policies.Single().Id);
    }

    [Fact]
    public void SameIdInTwoFiles_IsRefusedNamingBothFiles()
    {
        var text = "@id(\"dup\")\n" + Permit;

        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", text), new PolicyFile("b.cedar", text)], WritSchema.Schema);

        var error = Assert.Single(result.Errors);
        Assert.Equal("duplicate-id", error.Kind);
        Assert.Equal("b.cedar", error.File);
        Assert.Contains("a.cedar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationError_CarriesPolicyFileAndPosition()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", Permit + "\n@id(\"bad\")\npermit (principal, action, resource) when { principal.nosuch };")], WritSchema.Schema);

        Assert.False(result.Succeeded);
        Assert.Null(result.Policies);
        Assert.All(result.Errors, e => Assert.Equal("bad", e.PolicyId));
        Assert.All(result.Errors, e => Assert.Equal("a.cedar", e.File));
        Assert.All(result.Errors, e => Assert.True(e.Line >= 3));
    }

    [Fact]
    public void ParseError_CarriesLineAndColumn()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", "permit (principal, action, resource)\nwhen { ;")], WritSchema.Schema);

        var error = Assert.Single(result.Errors);
        Assert.Equal("parse-error", error.Kind);
        Assert.Equal(2, error.Line);
        Assert.NotNull(error.Column);
    }

    [Fact]
    public void JsonPolicyFile_IsNamedAfterItsStem()
    {
        const string json = """
            {"effect":"permit","principal":{"op":"All"},"action":{"op":"==","entity":{"type":"Writ::Action","id":"CallTool"}},"resource":{"op":"All"},"conditions":[]}
            """;

        var result = PolicyCompiler.Compile([new PolicyFile("allow-calls.json", json)], WritSchema.Schema);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("allow-calls", result.Policies!.Policies.Single().Id);
    }

    [Theory]
    [InlineData("../escape.cedar")]
    [InlineData("dir/a.cedar")]
    [InlineData("a.txt")]
    [InlineData(".cedar")]
    [InlineData("")]
    [InlineData("bad\nname.cedar")]
    public void UnacceptableFileName_IsRefused(string name)
    {
        var result = PolicyCompiler.Compile([new PolicyFile(name, Permit)], WritSchema.Schema);

        Assert.Equal("invalid-file-name", Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public void DuplicateFileName_IsRefused()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", Permit), new PolicyFile("a.cedar", Permit)], WritSchema.Schema);

        Assert.Equal("duplicate-file", Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public void TooManyFiles_AreRefused()
    {
        var files = Enumerable.Range(0, PolicyCompiler.MaxFiles + 1).Select(i => new PolicyFile($"f{i}.cedar", Permit)).ToList();

        Assert.Equal("too-many-files", Assert.Single(PolicyCompiler.Compile(files, WritSchema.Schema).Errors).Kind);
    }

    [Fact]
    public void WithoutSchema_OnlyParsing_IsChecked()
    {
        var result = PolicyCompiler.Compile([new PolicyFile("a.cedar", "permit (principal, action, resource) when { principal.nosuch };")], schema: null);

        Assert.True(result.Succeeded);
    }
}
