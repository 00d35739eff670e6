using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;

namespace Writ.Cedar.Tests.Validation;

public sealed class PolicyValidatorTests
{
    private const string Schema = """
        entity Group;
        entity User in [Group] { name: String, age: Long, nick?: String, boss?: User, flags: Set<String>, home: { city: String, zip?: Long } } tags Long;
        entity Doc { owner: User, level: Long, ip: ipaddr, price: decimal, created: datetime };
        entity Folder;
        entity Color enum ["red", "blue"];
        action read appliesTo { principal: [User], resource: [Doc], context: { mfa: Bool, note?: String, when: datetime } };
        action write in [read] appliesTo { principal: [User], resource: [Doc, Folder] };
        action admin;
        """;

    private static readonly CedarSchema Parsed = CedarSchema.Parse(Schema);

    private static ValidationResult Validate(string policies) => PolicyValidator.Validate(PolicyParser.ParsePolicies(policies), Parsed);

    private static void AssertError(string policy, ValidationIssueKind kind)
    {
        var result = Validate(policy);
        Assert.False(result.Passed);
        Assert.Contains(result.Errors, e => e.Kind == kind);
    }

    private static void AssertValid(string policy)
    {
        var result = Validate(policy);
        Assert.True(result.Passed, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("permit(principal, action == Action::\"read\", resource) when { principal.name == \"a\" && resource.owner == principal };")]
    [InlineData("permit(principal, action, resource) when { principal has nick && principal.nick like \"a*\" };")]
    [InlineData("permit(principal, action, resource) when { if principal has boss then principal.boss.age > 3 else true };")]
    [InlineData("permit(principal, action, resource) when { principal.home has zip && principal.home.zip == 1 };")]
    [InlineData("permit(principal, action, resource) when { principal has nick || principal.age > 3 };")]
    [InlineData("permit(principal, action, resource) when { principal.hasTag(\"x\") && principal.getTag(\"x\") > 1 };")]
    [InlineData("permit(principal, action == Action::\"read\", resource) when { context.mfa && context.when < datetime(\"2024-01-01\") };")]
    [InlineData("permit(principal, action, resource is Doc) when { resource.ip.isInRange(ip(\"10.0.0.0/8\")) && resource.price.lessThan(decimal(\"1.5\")) };")]
    [InlineData("permit(principal in Group::\"g\", action, resource) when { principal.flags.contains(\"x\") && [1, 2].containsAll([1]) };")]
    [InlineData("permit(principal, action, resource) when { Color::\"red\" != Color::\"blue\" };")]
    [InlineData("permit(principal, action, resource) unless { context has note && context.note == \"\" };")]
    [InlineData("permit(principal, action == Action::\"read\", resource) when { context.when.offset(duration(\"1h\")) > context.when };")]
    public void WellTypedPolicy_Passes(string policy) => AssertValid(policy);

    [Fact]
    public void UnknownEntityType_IsUnrecognizedEntityTypeError() =>
        AssertError("permit(principal == Usr::\"a\", action, resource);", ValidationIssueKind.UnrecognizedEntityType);

    [Fact]
    public void UnknownEntityTypeInIs_IsUnrecognizedEntityTypeError() =>
        AssertError("permit(principal, action, resource) when { resource is Nope };", ValidationIssueKind.UnrecognizedEntityType);

    [Fact]
    public void UnknownAction_IsUnrecognizedActionIdError() =>
        AssertError("permit(principal, action == Action::\"raed\", resource);", ValidationIssueKind.UnrecognizedActionId);

    [Fact]
    public void EnumEntityWithUndeclaredId_IsInvalidEnumEntityError() =>
        AssertError("permit(principal, action, resource) when { Color::\"green\" == Color::\"red\" };", ValidationIssueKind.InvalidEnumEntity);

    [Theory]
    [InlineData("permit(principal, action, resource) when { principal.age + \"1\" > 0 };")]
    [InlineData("permit(principal, action, resource) when { principal.name };")]
    [InlineData("permit(principal, action, resource) when { principal.name < \"b\" };")]
    [InlineData("permit(principal, action, resource) when { principal.age in [Group::\"g\"] };")]
    [InlineData("permit(principal, action, resource) when { principal.flags has x };")]
    [InlineData("permit(principal, action, resource) when { !principal.age };")]
    public void WrongOperandType_IsUnexpectedTypeError(string policy) => AssertError(policy, ValidationIssueKind.UnexpectedType);

    [Theory]
    [InlineData("permit(principal, action, resource) when { [1, \"a\"].contains(1) };")]
    [InlineData("permit(principal, action, resource) when { principal.age == \"a\" };")]
    [InlineData("permit(principal, action, resource) when { (if principal.age > 1 then 1 else \"a\") == 1 };")]
    [InlineData("permit(principal, action, resource) when { principal.flags.contains(1) };")]
    [InlineData("permit(principal, action, resource) when { [principal, resource].contains(principal) };")]
    public void MixedTypes_AreIncompatibleTypesErrors(string policy) => AssertError(policy, ValidationIssueKind.IncompatibleTypes);

    [Fact]
    public void OptionalAttributeWithoutHas_IsUnsafeOptionalAttributeAccessError() =>
        AssertError("permit(principal, action, resource) when { principal.nick == \"a\" };", ValidationIssueKind.UnsafeOptionalAttributeAccess);

    [Fact]
    public void HasOnOneSideOfOr_DoesNotGuardAccess() =>
        AssertError("permit(principal, action, resource) when { (principal has nick || principal.age > 1) && principal.nick == \"a\" };", ValidationIssueKind.UnsafeOptionalAttributeAccess);

    [Fact]
    public void HasInElseBranch_DoesNotGuardAccess() =>
        AssertError("permit(principal, action, resource) when { if principal has nick then true else principal.nick == \"a\" };", ValidationIssueKind.UnsafeOptionalAttributeAccess);

    [Fact]
    public void HasOnDifferentExpression_DoesNotGuardAccess() =>
        AssertError("permit(principal, action, resource) when { resource.owner has nick && principal.nick == \"a\" };", ValidationIssueKind.UnsafeOptionalAttributeAccess);

    [Fact]
    public void UndeclaredAttribute_IsUnsafeAttributeAccessError() =>
        AssertError("permit(principal, action, resource) when { principal.nmae == \"a\" };", ValidationIssueKind.UnsafeAttributeAccess);

    [Fact]
    public void AttributeOfActionEntity_IsUnsafeAttributeAccessError() =>
        AssertError("permit(principal, action, resource) when { action.name == \"a\" };", ValidationIssueKind.UnsafeAttributeAccess);

    [Fact]
    public void TagWithoutHasTag_IsUnsafeTagAccessError() =>
        AssertError("permit(principal, action, resource) when { principal.getTag(\"x\") > 1 };", ValidationIssueKind.UnsafeTagAccess);

    [Fact]
    public void HasTagOnOtherTag_DoesNotGuardAccess() =>
        AssertError("permit(principal, action, resource) when { principal.hasTag(\"y\") && principal.getTag(\"x\") > 1 };", ValidationIssueKind.UnsafeTagAccess);

    [Fact]
    public void TagOnTypeWithoutTags_UnguardedRead_IsUnsafeTagAccessError() =>
        AssertError("permit(principal, action, resource is Doc) when { resource.hasTag(\"x\") || resource.getTag(\"x\") == 1 };", ValidationIssueKind.UnsafeTagAccess);

    [Theory]
    [InlineData("permit(principal, action, resource) when { ip(\"not an ip\").isIpv4() };")]
    [InlineData("permit(principal, action, resource) when { decimal(\"1.23456\") == decimal(\"1.0\") };")]
    [InlineData("permit(principal, action, resource) when { datetime(\"2024-13-01\") == datetime(\"2024-01-01\") };")]
    [InlineData("permit(principal, action, resource) when { duration(\"1x\") == duration(\"1h\") };")]
    public void InvalidExtensionLiteral_IsFunctionArgumentValidationError(string policy) =>
        AssertError(policy, ValidationIssueKind.FunctionArgumentValidation);

    [Fact]
    public void NonLiteralExtensionConstructorArgument_IsRejectedInStrictMode() =>
        AssertError("permit(principal, action, resource) when { ip(principal.name).isIpv4() };", ValidationIssueKind.NonLiteralExtensionConstructor);

    [Fact]
    public void ExtensionMethodOnWrongType_IsUnexpectedTypeError() =>
        AssertError("permit(principal, action, resource) when { principal.age.isIpv4() };", ValidationIssueKind.UnexpectedType);

    [Fact]
    public void EmptySetLiteral_IsEmptySetForbiddenError() =>
        AssertError("permit(principal, action, resource) when { principal.flags.containsAny([]) };", ValidationIssueKind.EmptySetForbidden);

    [Fact]
    public void ErrorAfterFalseShortCircuit_IsNotReported() =>
        AssertValid("permit(principal, action, resource) when { false && principal.nick == \"a\" };");

    [Fact]
    public void ErrorInUnreachableScope_IsNotReported() =>
        AssertValid("permit(principal, action == Action::\"write\", resource is Folder) when { resource is Doc && resource.nope };");

    [Fact]
    public void InvalidActionApplication_IsAWarningNotAnError()
    {
        var result = Validate("permit(principal, action == Action::\"read\", resource is Folder);");

        Assert.True(result.Passed);
        Assert.Contains(result.Warnings, w => w.Kind == ValidationIssueKind.InvalidActionApplication);
    }

    [Fact]
    public void ActionWithoutAppliesTo_IsAWarningNotAnError()
    {
        var result = Validate("permit(principal, action == Action::\"admin\", resource);");

        Assert.True(result.Passed);
        Assert.Contains(result.Warnings, w => w.Kind == ValidationIssueKind.InvalidActionApplication);
    }

    [Fact]
    public void AlwaysFalsePolicy_IsImpossiblePolicyWarning()
    {
        var result = Validate("permit(principal, action, resource) when { principal is Group };");

        Assert.True(result.Passed);
        Assert.Contains(result.Warnings, w => w.Kind == ValidationIssueKind.ImpossiblePolicy);
    }

    [Fact]
    public void ActionInActionGroup_IsTypedPrecisely() =>
        AssertValid("permit(principal, action, resource) when { Action::\"write\" in Action::\"read\" && (Action::\"read\" in Action::\"write\" || true) };");

    [Fact]
    public void Template_IsTypecheckedWithSlotTypes()
    {
        AssertValid("permit(principal in ?principal, action == Action::\"read\", resource == ?resource) when { resource.level > 1 };");
        AssertError("permit(principal == ?principal, action, resource) when { principal.nick == \"a\" };", ValidationIssueKind.UnsafeOptionalAttributeAccess);
    }

    [Fact]
    public void TemplateLinkedToUnknownType_IsUnrecognizedEntityTypeError()
    {
        var template = PolicyParser.ParsePolicy("permit(principal == ?principal, action, resource);", "t0");
        var link = template.Link("link0", new Dictionary<Ast.SlotId, Values.EntityUid> { [Ast.SlotId.Principal] = new("Nobody", "x") });

        var result = PolicyValidator.Validate([template, link], Parsed);

        Assert.Contains(result.Errors, e => e.Kind == ValidationIssueKind.UnrecognizedEntityType && e.PolicyId == "link0");
    }

    [Fact]
    public void ActionInGroup_ChecksEveryMemberAction() =>
        AssertError("permit(principal, action in Action::\"read\", resource) when { context.mfa };", ValidationIssueKind.UnsafeAttributeAccess);

    [Fact]
    public void PolicySet_WithTemplateAndLink_IsValidated()
    {
        var set = Writ.Cedar.Authorization.PolicySet.Parse("""
            permit(principal == ?principal, action == Action::"read", resource) when { principal.age > 1 };
            permit(principal, action, resource) when { principal.nick == "x" };
            """);
        set.Link("policy0", "link0", new Dictionary<Ast.SlotId, Values.EntityUid> { [Ast.SlotId.Principal] = new("User", "alice") });

        var result = PolicyValidator.Validate(set, Parsed);

        Assert.Equal(["policy1"], result.Errors.Select(e => e.PolicyId).Distinct());
    }

    [Fact]
    public void DeeplyNestedPolicy_FailsWithAnErrorNotACrash()
    {
        Ast.Expr deep = new Ast.LiteralExpr(Values.BoolValue.Of(true));
        for (var i = 0; i < 200_000; i++)
        {
            deep = new Ast.AndExpr(new Ast.LiteralExpr(Values.BoolValue.Of(true)), deep);
        }

        var policy = new Ast.Policy("deep", Ast.Effect.Permit, Ast.ScopeConstraint.Any, Ast.ActionConstraint.Any, Ast.ScopeConstraint.Any,
            [new Ast.Condition(Ast.ConditionKind.When, deep)], []);

        var result = PolicyValidator.Validate(policy, Parsed);

        Assert.Contains(result.Errors, e => e.Kind == ValidationIssueKind.NestingTooDeep);
    }
}
