using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class RequestedAudienceTests
{
    private static OAuthResult<string> From(params (string Name, string Value)[] parameters) =>
        RequestedAudience.From(parameters.ToDictionary(p => p.Name, p => p.Value));

    [Fact]
    public void Audience_IsUsed() => Assert.Equal("tools", From(("audience", "tools")).Value);

    [Fact]
    public void Resource_IsUsed() => Assert.Equal("https://api.example/", From(("resource", "https://api.example/")).Value);

    [Fact]
    public void EqualAudienceAndResource_AreAccepted() =>
        Assert.True(From(("audience", "https://api.example/"), ("resource", "https://api.example/")).Succeeded);

    [Fact]
    public void Missing_IsInvalidRequest() => Assert.Equal(OAuthError.InvalidRequest, From().Error!.Error);

    [Fact]
    public void DifferentAudienceAndResource_AreInvalidRequest() =>
        Assert.Equal(OAuthError.InvalidRequest, From(("audience", "a"), ("resource", "https://b.example/")).Error!.Error);

    [Fact]
    public void RelativeResource_IsInvalidTarget() => Assert.Equal(OAuthError.InvalidTarget, From(("resource", "/relative")).Error!.Error);

    [Fact]
    public void AudienceWithSpaces_IsInvalidRequest() => Assert.Equal(OAuthError.InvalidRequest, From(("audience", "a b")).Error!.Error);
}
