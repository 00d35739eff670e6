using Writ.Cli.Commands;

namespace Writ.Cli.Tests;

public sealed class InputParsingTests
{
    [Theory]
    [InlineData("600", "PT600S")]
    [InlineData("90s", "PT90S")]
    [InlineData("10m", "PT10M")]
    [InlineData("1h", "PT1H")]
    [InlineData("PT10M", "PT10M")]
    [InlineData("pt5m", "PT5M")]
    [InlineData("P1DT2H", "P1DT2H")]
    public void Duration_IsSentAsIso8601(string input, string expected) =>
        Assert.Equal(expected, InputParsing.Duration(input, "--ttl"));

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5m")]
    [InlineData("10 minutes")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("10d")]
    public void MalformedDuration_IsAUsageError(string input)
    {
        var e = Assert.Throws<CliException>(() => InputParsing.Duration(input, "--ttl"));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("--ttl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_SplitsOnFirstEquals()
    {
        var metadata = InputParsing.Metadata(["purpose=summaries", "query=a=b"]);

        Assert.Equal("summaries", (string?)metadata["purpose"]);
        Assert.Equal("a=b", (string?)metadata["query"]);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    public void MalformedMetadata_IsAUsageError(string pair) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => InputParsing.Metadata([pair])).ExitCode);

    [Fact]
    public void DuplicateMetadataKey_IsAUsageError() =>
        Assert.Throws<CliException>(() => InputParsing.Metadata(["a=1", "a=2"]));

    [Fact]
    public void Rule_MapsClaimsToAgent_ValuesMayHoldColons()
    {
        var rule = InputParsing.Rule("research:sub=system:serviceaccount:agents:research,iss=https://k8s");

        Assert.Equal("research", (string?)rule["agent"]);
        Assert.Equal("system:serviceaccount:agents:research", (string?)rule["claims"]!["sub"]);
        Assert.Equal("https://k8s", (string?)rule["claims"]!["iss"]);
    }

    [Theory]
    [InlineData("research")]
    [InlineData(":sub=x")]
    [InlineData("research:")]
    [InlineData("research:sub")]
    [InlineData("research:sub=")]
    [InlineData("research:sub=a,sub=b")]
    public void MalformedRule_IsAUsageError(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => InputParsing.Rule(text)).ExitCode);

    [Fact]
    public void CommaSeparated_AcceptsRepeatsAndCommas() =>
        Assert.Equal(
            ["join_token", "registered_key"],
            InputParsing.CommaSeparated(["join_token,registered_key", "join_token"], AgentCommands.AttestationMethods, "--attestation"));

    [Fact]
    public void UnknownAttestationMethod_IsAUsageError() =>
        Assert.Throws<CliException>(() => InputParsing.CommaSeparated(["password"], AgentCommands.AttestationMethods, "--attestation"));

    [Fact]
    public void PublicJwkFile_IsRead()
    {
        var path = TempFile("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""");

        Assert.Equal("EC", (string?)InputParsing.PublicJwkFile(path)["kty"]);
    }

    [Fact]
    public void PrivateKeyFile_IsRefused()
    {
        var path = TempFile("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}""");

        var e = Assert.Throws<CliException>(() => InputParsing.PublicJwkFile(path));
        Assert.Contains("private", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JwksFileWithSymmetricKey_IsRefused()
    {
        var path = TempFile("""{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""");

        Assert.Throws<CliException>(() => InputParsing.JwksFile(path, "--jwks-file"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"keys\":\"none\"}")]
    public void MalformedJwksFile_IsRefused(string content) =>
        Assert.Throws<CliException>(() => InputParsing.JwksFile(TempFile(content), "--jwks-file"));

    [Fact]
    public void MissingKeyFile_IsRefused() =>
        Assert.Throws<CliException>(() => InputParsing.PublicJwkFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));

    [Fact]
    public void HugeKeyFile_IsRefusedWithoutParsing()
    {
        var path = TempFile(new string(' ', 300 * 1024) + "{}");

        Assert.Contains("KiB", Assert.Throws<CliException>(() => InputParsing.PublicJwkFile(path)).Message, StringComparison.Ordinal);
    }

    private static string TempFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "writ-cli-test-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        return path;
    }
}
