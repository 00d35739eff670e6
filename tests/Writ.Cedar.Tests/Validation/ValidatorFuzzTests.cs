using CsCheck;
using Writ.Cedar.Ast;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Validation;

/// <summary>Generated policies of every shape must validate to a result, never crash, whatever their types.</summary>
public sealed class ValidatorFuzzTests
{
    private static readonly CedarSchema Schema = CedarSchema.Parse("""
        entity Group;
        entity User in [Group] { name: String, age?: Long, tags: Set<String>, rec: { a: Long, b?: Bool }, ip: ipaddr } tags String;
        entity Doc { owner: User, at: datetime };
        entity Color enum ["red"];
        action read appliesTo { principal: [User], resource: [Doc], context: { n: Long, s?: String } };
        action write in [read] appliesTo { principal: [User, Group], resource: [Doc, Group] };
        """);

    private static readonly string[] Attributes = ["name", "age", "tags", "rec", "a", "b", "ip", "owner", "at", "n", "s", "nope"];

    private static readonly string[] Functions =
    [
        "ip", "decimal", "datetime", "duration", "isIpv4", "isInRange", "lessThan", "offset", "toDays", "durationSince", "nope",
    ];

    private static readonly Value[] Literals =
    [
        BoolValue.Of(true), BoolValue.Of(false), LongValue.Of(1), LongValue.Of(-7), new StringValue("10.0.0.1"), new StringValue("2024-01-01"),
        new StringValue("1h"), new StringValue("1.5"), new StringValue(""), new EntityUid("User", "u"), new EntityUid("Group", "g"),
        new EntityUid("Doc", "d"), new EntityUid("Color", "red"), new EntityUid("Color", "blue"), new EntityUid("Action", "read"),
        new EntityUid("Action", "nope"), new EntityUid("Nope", "x"),
    ];

    private static readonly Gen<Expr> Leaf = Gen.OneOf<Expr>(
        Gen.Int[0, 3].Select(i => (Expr)new VarExpr((Var)i)),
        Gen.Int[0, Literals.Length - 1].Select(i => (Expr)new LiteralExpr(Literals[i])));

    private static readonly Gen<Expr> Expression = Gen.Recursive<Expr>((depth, self) =>
        depth >= 6
            ? Leaf
            : Gen.Frequency<Expr>(
                (3, Leaf),
                (2, Gen.Select(self, self).Select(t => (Expr)new AndExpr(t.Item1, t.Item2))),
                (1, Gen.Select(self, self).Select(t => (Expr)new OrExpr(t.Item1, t.Item2))),
                (1, Gen.Select(self, self, self).Select(t => (Expr)new IfExpr(t.Item1, t.Item2, t.Item3))),
                (1, Gen.Select(Gen.Int[0, 2], self).Select(t => (Expr)new UnaryExpr((UnaryOp)t.Item1, t.Item2))),
                (3, Gen.Select(Gen.Int[0, 14], self, self).Select(t => (Expr)new BinaryExpr((BinaryOp)t.Item1, t.Item2, t.Item3))),
                (3, Gen.Select(Gen.Int[0, Attributes.Length - 1], self).Select(t => (Expr)new GetAttrExpr(t.Item2, Attributes[t.Item1]))),
                (2, Gen.Select(Gen.Int[0, Attributes.Length - 1], self).Select(t => (Expr)new HasAttrExpr(t.Item2, Attributes[t.Item1]))),
                (1, self.Select(e => (Expr)new LikeExpr(e, new LikePattern([PatternElement.Wildcard])))),
                (1, Gen.Select(Gen.Int[0, 2], self, Gen.Bool).Select(t => (Expr)new IsExpr(t.Item2, new EntityType(new[] { "User", "Doc", "Nope" }[t.Item1]), t.Item3 ? t.Item2 : null))),
                (1, self.List[0, 3].Select(items => (Expr)new SetExpr(items))),
                (1, self.List[0, 3].Select(items => (Expr)new RecordExpr(items.Select((e, i) => new KeyValuePair<string, Expr>("k" + i, e)).ToList()))),
                (1, Gen.Select(Gen.Int[0, Functions.Length - 1], self.List[0, 2]).Select(t => (Expr)new ExtensionCallExpr(Functions[t.Item1], t.Item2)))));

    [Fact]
    public void GeneratedConditions_AlwaysValidateToAResult() =>
        Gen.Select(Expression, Gen.Bool).Sample(t =>
        {
            var policy = new Policy("p", Effect.Permit, ScopeConstraint.Any, ActionConstraint.Any, ScopeConstraint.Any,
                [new Condition(t.Item2 ? ConditionKind.When : ConditionKind.Unless, t.Item1)], []);
            var result = PolicyValidator.Validate(policy, Schema);
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
        }, iter: 3000, threads: 1);
}
