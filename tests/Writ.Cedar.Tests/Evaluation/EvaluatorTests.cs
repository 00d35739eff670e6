using Writ.Cedar.Evaluation;
using Writ.Cedar.Values;
using static Writ.Cedar.Tests.Evaluation.EvalHelper;

namespace Writ.Cedar.Tests.Evaluation;

public sealed class EvaluatorTests
{
    [Theory]
    [InlineData("1 + 2 == 3")]
    [InlineData("2 * 3 - 1 == 5")]
    [InlineData("-(3) == -3")]
    [InlineData("\"a\" != \"b\"")]
    [InlineData("[1, 2] == [2, 1, 1]")]
    [InlineData("{a: 1, b: [2]} == {b: [2], a: 1}")]
    [InlineData("User::\"a\" != Group::\"a\"")]
    [InlineData("1 != \"1\"")]
    [InlineData("if 1 < 2 then true else 1")]
    [InlineData("!(false && (1 + \"x\"))")]
    [InlineData("true || (1 + \"x\")")]
    [InlineData("principal in Group::\"all\"")]
    [InlineData("principal in [Group::\"x\", Group::\"staff\"]")]
    [InlineData("User::\"bob\" in Group::\"all\"")]
    [InlineData("User::\"nobody\" in User::\"nobody\"")]
    [InlineData("!(User::\"nobody\" in Group::\"all\")")]
    [InlineData("principal has age && !(principal has height)")]
    [InlineData("!(User::\"nobody\" has age)")]
    [InlineData("principal.manager == User::\"bob\"")]
    [InlineData("principal.manager in Group::\"staff\"")]
    [InlineData("context.tags.contains(\"a\")")]
    [InlineData("context.tags.containsAll([\"a\"]) && context.tags.containsAny([\"z\", \"b\"])")]
    [InlineData("[].isEmpty() && ![1].isEmpty()")]
    [InlineData("\"hello world\" like \"h*o w*\"")]
    [InlineData("\"a*b\" like \"a\\*b\" && !(\"axb\" like \"a\\*b\")")]
    [InlineData("\"\" like \"*\"")]
    [InlineData("principal is User && !(principal is Group)")]
    [InlineData("principal is User in Group::\"all\"")]
    [InlineData("!(resource is User in Group::\"all\")")]
    [InlineData("principal.hasTag(\"level\") && principal.getTag(\"level\") == 3")]
    [InlineData("!User::\"nobody\".hasTag(\"level\")")]
    [InlineData("context.rec has x && context.rec.x == 1")]
    [InlineData("{\"a b\": 1}[\"a b\"] == 1")]
    [InlineData("action in Action::\"read\"")]
    [InlineData("9223372036854775807 > -9223372036854775808")]
    public void Expression_EvaluatesToTrue(string expr) => Assert.Equal(BoolValue.True, Ok(expr));

    [Theory]
    [InlineData("9223372036854775807 + 1")]
    [InlineData("-9223372036854775808 - 1")]
    [InlineData("4611686018427387904 * 2")]
    [InlineData("-(-9223372036854775808)")]
    [InlineData("-9223372036854775808 * -1")]
    public void Overflow_IsAnError(string expr) => Assert.Equal(EvaluationErrorKind.Overflow, Err(expr));

    [Theory]
    [InlineData("1 + true")]
    [InlineData("!1")]
    [InlineData("1 && true")]
    [InlineData("true && 1")]
    [InlineData("if 1 then true else false")]
    [InlineData("1 in Group::\"all\"")]
    [InlineData("principal in [1]")]
    [InlineData("principal in 1")]
    [InlineData("1 has a")]
    [InlineData("1.contains(1)")]
    [InlineData("[1].containsAll(1)")]
    [InlineData("1 like \"*\"")]
    [InlineData("1 is User")]
    [InlineData("\"a\" < \"b\"")]
    [InlineData("1 < decimal(\"1.0\")")]
    [InlineData("1.isEmpty()")]
    [InlineData("principal.getTag(1)")]
    [InlineData("decimal(1)")]
    public void WrongOperandType_IsATypeError(string expr) => Assert.Equal(EvaluationErrorKind.TypeError, Err(expr));

    [Fact]
    public void MissingAttribute_IsAnError() => Assert.Equal(EvaluationErrorKind.AttributeDoesNotExist, Err("principal.height"));

    [Fact]
    public void MissingRecordField_IsAnError() => Assert.Equal(EvaluationErrorKind.AttributeDoesNotExist, Err("context.missing"));

    [Fact]
    public void AttributeOfUnknownEntity_IsEntityDoesNotExist() => Assert.Equal(EvaluationErrorKind.EntityDoesNotExist, Err("User::\"nobody\".age"));

    [Fact]
    public void TagOfUnknownEntity_IsEntityDoesNotExist() => Assert.Equal(EvaluationErrorKind.EntityDoesNotExist, Err("User::\"nobody\".getTag(\"x\")"));

    [Fact]
    public void MissingTag_IsTagDoesNotExist() => Assert.Equal(EvaluationErrorKind.TagDoesNotExist, Err("principal.getTag(\"nope\")"));

    [Fact]
    public void ShortCircuit_SkipsErrorsOnTheRight()
    {
        Assert.Equal(BoolValue.False, Ok("principal has height && principal.height > 1"));
        Assert.Equal(BoolValue.True, Ok("!(principal has height) || principal.height > 1"));
        Assert.Equal(LongValue.Of(1), Ok("if true then 1 else principal.height"));
    }

    [Fact]
    public void Records_AndSets_EvaluateTheirElements()
    {
        var r = Assert.IsType<RecordValue>(Ok("{a: 1 + 1, b: [principal]}"));
        Assert.Equal(LongValue.Of(2), r.Fields["a"]);
        Assert.Equal(new SetValue([new EntityUid("User", "alice")]), r.Fields["b"]);
        Assert.Equal(EvaluationErrorKind.Overflow, Err("[1, 9223372036854775807 + 1]"));
    }

    [Fact]
    public void UnlinkedSlot_IsAnError() => Assert.Equal(EvaluationErrorKind.UnlinkedSlot, Err("?principal == principal"));

    [Fact]
    public void WrongExtensionArity_IsAnError() => Assert.Equal(EvaluationErrorKind.WrongArity, Err("ip(\"1.2.3.4\", \"x\")"));

    [Fact]
    public void CyclicParents_AreRejected()
    {
        var ex = Assert.Throws<Writ.Cedar.Json.CedarJsonException>(() => Writ.Cedar.Json.EntityJson.ParseStore("""
            [{"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]},
             {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "c"}]},
             {"uid": {"type": "G", "id": "c"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]}]
            """));
        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Writ.Cedar.Authorization.EntityStore([
            new Writ.Cedar.Authorization.Entity(new EntityUid("G", "self"), parents: [new EntityUid("G", "self")])]));
    }

    [Fact]
    public void DiamondHierarchy_IsNotACycle()
    {
        var store = Writ.Cedar.Json.EntityJson.ParseStore("""
            [{"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}, {"type": "G", "id": "c"}]},
             {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "d"}]},
             {"uid": {"type": "G", "id": "c"}, "attrs": {}, "parents": [{"type": "G", "id": "d"}]},
             {"uid": {"type": "G", "id": "d"}, "attrs": {}, "parents": []}]
            """);
        Assert.True(store.IsIn(new EntityUid("G", "a"), new EntityUid("G", "d")));
        Assert.False(store.IsIn(new EntityUid("G", "d"), new EntityUid("G", "a")));
    }

    [Fact]
    public void DeepAncestorChain_HasFullClosure()
    {
        var entities = Enumerable.Range(0, 5000).Select(i => new Writ.Cedar.Authorization.Entity(
            new EntityUid("G", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            parents: i + 1 < 5000 ? [new EntityUid("G", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))] : null));
        var store = new Writ.Cedar.Authorization.EntityStore(entities);
        Assert.True(store.IsIn(new EntityUid("G", "0"), new EntityUid("G", "4999")));
    }

    [Fact]
    public void HugeSet_ContainsIsCorrect()
    {
        var set = new SetValue(Enumerable.Range(0, 100_000).Select(i => (Value)LongValue.Of(i)));
        Assert.True(set.Contains(LongValue.Of(99_999)));
        Assert.False(set.Contains(LongValue.Of(100_000)));
        Assert.Equal(set, new SetValue(Enumerable.Range(0, 100_000).Reverse().Select(i => (Value)LongValue.Of(i))));
    }
}
