using Writ.Cedar.Authorization;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Validation;

public sealed class RequestValidatorTests
{
    private static readonly CedarSchema Schema = CedarSchema.Parse("""
        entity User;
        entity Doc;
        entity Kind enum ["a", "b"];
        action read appliesTo { principal: [User, Kind], resource: Doc, context: { mfa: Bool, ip?: ipaddr } };
        """);

    private static readonly EntityUid Read = new("Action", "read");

    private static RecordValue Context(bool mfa) => new([new("mfa", BoolValue.Of(mfa))]);

    [Fact]
    public void ConformingRequest_IsValid() =>
        Assert.Empty(RequestValidator.Validate(new Request(new EntityUid("User", "u"), Read, new EntityUid("Doc", "d"), Context(true)), Schema));

    [Fact]
    public void UndeclaredAction_IsRejected() =>
        Assert.NotEmpty(RequestValidator.Validate(new Request(new EntityUid("User", "u"), new EntityUid("Action", "write"), new EntityUid("Doc", "d"), Context(true)), Schema));

    [Fact]
    public void PrincipalTypeNotInAppliesTo_IsRejected() =>
        Assert.Contains(RequestValidator.Validate(new Request(new EntityUid("Doc", "x"), Read, new EntityUid("Doc", "d"), Context(true)), Schema), e => e.Contains("principal", StringComparison.Ordinal));

    [Fact]
    public void ResourceTypeNotInAppliesTo_IsRejected() =>
        Assert.Contains(RequestValidator.Validate(new Request(new EntityUid("User", "u"), Read, new EntityUid("User", "d"), Context(true)), Schema), e => e.Contains("resource", StringComparison.Ordinal));

    [Fact]
    public void UndeclaredEnumId_IsRejected() =>
        Assert.NotEmpty(RequestValidator.Validate(new Request(new EntityUid("Kind", "c"), Read, new EntityUid("Doc", "d"), Context(true)), Schema));

    [Fact]
    public void ContextMissingRequiredAttribute_IsRejected() =>
        Assert.Contains(RequestValidator.Validate(new Request(new EntityUid("User", "u"), Read, new EntityUid("Doc", "d"), RecordValue.Empty), Schema), e => e.Contains("context", StringComparison.Ordinal));

    [Fact]
    public void ContextWithUndeclaredAttribute_IsRejected()
    {
        var context = new RecordValue([new("mfa", BoolValue.Of(true)), new("extra", LongValue.Of(1))]);
        Assert.NotEmpty(RequestValidator.Validate(new Request(new EntityUid("User", "u"), Read, new EntityUid("Doc", "d"), context), Schema));
    }

    [Fact]
    public void ContextWithWrongAttributeType_IsRejected()
    {
        var context = new RecordValue([new("mfa", BoolValue.Of(true)), new("ip", new StringValue("10.0.0.1"))]);
        Assert.NotEmpty(RequestValidator.Validate(new Request(new EntityUid("User", "u"), Read, new EntityUid("Doc", "d"), context), Schema));
    }
}
