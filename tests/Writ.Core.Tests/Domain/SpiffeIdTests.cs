using Writ.Core.Domain;

namespace Writ.Core.Tests.Domain;

public sealed class SpiffeIdTests
{
    [Theory]
    [InlineData("spiffe://writ.local/agent/research", "writ.local", "/agent/research")]
    [InlineData("spiffe://example.org", "example.org", "")]
    [InlineData("spiffe://a-b_c.9/Path.With-Mixed_Case/x", "a-b_c.9", "/Path.With-Mixed_Case/x")]
    public void ValidId_IsParsed(string text, string domain, string path)
    {
        var id = SpiffeId.Parse(text);

        Assert.Equal(domain, id.TrustDomain.Name);
        Assert.Equal(path, id.Path);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://writ.local/agent/a")]
    [InlineData("SPIFFE://writ.local/agent/a")]
    [InlineData("spiffe://")]
    [InlineData("spiffe:///agent/a")]
    [InlineData("spiffe://Writ.local/agent/a")]
    [InlineData("spiffe://writ.local:8443/agent/a")]
    [InlineData("spiffe://user@writ.local/agent/a")]
    [InlineData("spiffe://writ.local/agent/a?x=1")]
    [InlineData("spiffe://writ.local/agent/a#frag")]
    [InlineData("spiffe://writ.local/")]
    [InlineData("spiffe://writ.local/agent//a")]
    [InlineData("spiffe://writ.local/agent/./a")]
    [InlineData("spiffe://writ.local/agent/../a")]
    [InlineData("spiffe://writ.local/agent/a%20b")]
    [InlineData("spiffe://writ.local/agent/a b")]
    [InlineData("spiffe://wr!t.local/agent/a")]
    public void InvalidId_IsRejectedWithReason(string text)
    {
        Assert.False(SpiffeId.TryParse(text, out var id, out var error));
        Assert.Null(id);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => SpiffeId.Parse(text));
    }

    [Fact]
    public void OverlongId_IsRejected()
    {
        var text = "spiffe://writ.local/" + new string('a', 2100);

        Assert.False(SpiffeId.TryParse(text, out _, out _));
    }

    [Fact]
    public void AgentId_IsBuiltAndRecognized()
    {
        var id = SpiffeId.ForAgent(TrustDomain.Parse("writ.local"), "research");

        Assert.Equal("spiffe://writ.local/agent/research", id.ToString());
        Assert.True(id.TryGetAgentName(out var name));
        Assert.Equal("research", name);
        Assert.Equal(id, SpiffeId.Parse("spiffe://writ.local/agent/research"));
    }

    [Theory]
    [InlineData("spiffe://writ.local/workload/research")]
    [InlineData("spiffe://writ.local/agent/research/sub")]
    [InlineData("spiffe://writ.local/agent/Research")]
    [InlineData("spiffe://writ.local")]
    public void NonAgentId_IsNotAnAgent(string text)
    {
        Assert.False(SpiffeId.Parse(text).TryGetAgentName(out _));
    }

    [Theory]
    [InlineData("Research")]
    [InlineData("-lead")]
    [InlineData("a/b")]
    [InlineData("")]
    public void InvalidAgentName_IsRefused(string name)
    {
        Assert.Throws<FormatException>(() => SpiffeId.ForAgent(TrustDomain.Parse("writ.local"), name));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("research-agent_2.v1", true)]
    [InlineData("9lives", true)]
    [InlineData("", false)]
    [InlineData(".hidden", false)]
    [InlineData("UPPER", false)]
    [InlineData("sp ace", false)]
    [InlineData("ünïcode", false)]
    public void ResourceNames_FollowTheRule(string name, bool valid)
    {
        Assert.Equal(valid, ResourceName.IsValid(name));
    }

    [Fact]
    public void OverlongResourceName_IsInvalid()
    {
        Assert.True(ResourceName.IsValid(new string('a', 63)));
        Assert.False(ResourceName.IsValid(new string('a', 64)));
    }

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var status in Enum.GetValues<AgentStatus>())
        {
            Assert.True(WireName.TryParse(WireName.Of(status), out AgentStatus parsed));
            Assert.Equal(status, parsed);
        }

        foreach (var method in Enum.GetValues<AttestationMethod>())
        {
            Assert.True(WireName.TryParse(WireName.Of(method), out AttestationMethod parsed));
            Assert.Equal(method, parsed);
        }

        Assert.Equal("join_token", WireName.Of(AttestationMethod.JoinToken));
        Assert.Equal("private_key_jwt", WireName.Of(ClientAuthMethod.PrivateKeyJwt));
        Assert.False(WireName.TryParse("Active", out AgentStatus _));
    }

    [Fact]
    public void RandomInput_NeverThrows_AndAcceptedIdsRoundTrip()
    {
        // A fixed seed keeps failures reproducible; the alphabet mixes valid and hostile characters.
        var random = new Random(20260301);
        const string alphabet = "spiffe:/.-_aZ09@?#%: \u00e9";
        for (var i = 0; i < 20_000; i++)
        {
            var text = (random.Next(3) == 0 ? "" : "spiffe://") + new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

            if (SpiffeId.TryParse(text, out var id, out var error))
            {
                Assert.Null(error);
                Assert.Equal(text, id.ToString());
                Assert.Equal(id, SpiffeId.Parse(id.ToString()));
            }
            else
            {
                Assert.NotNull(error);
            }
        }
    }
}
