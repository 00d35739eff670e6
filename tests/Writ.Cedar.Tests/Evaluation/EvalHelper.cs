using Writ.Cedar.Authorization;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Evaluation;

internal static class EvalHelper
{
    public static readonly EntityStore Entities = EntityJson.ParseStore("""
        [
          {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30, "name": "Alice", "manager": {"__entity": {"type": "User", "id": "bob"}}}, "parents": [{"type": "Group", "id": "staff"}], "tags": {"level": 3}},
          {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": [{"type": "Group", "id": "admins"}]},
          {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]},
          {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "all"}, "attrs": {}, "parents": []},
          {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]}
        ]
        """);

    public static readonly Request Request = new(
        new EntityUid("User", "alice"),
        new EntityUid("Action", "view"),
        new EntityUid("Doc", "d1"),
        EntityJson.ParseContext("""{"ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}, "n": 5, "tags": ["a", "b"], "rec": {"x": 1}}"""));

    public static EvaluationResult Eval(string expr) => Evaluator.Evaluate(PolicyParser.ParseExpression(expr), Request, Entities);

    public static Value Ok(string expr)
    {
        var r = Eval(expr);
        Assert.True(r.IsSuccess, $"{expr} failed: {r.Error}");
        return r.Value!;
    }

    public static EvaluationErrorKind Err(string expr)
    {
        var r = Eval(expr);
        Assert.False(r.IsSuccess, $"{expr} evaluated to {r.Value}");
        return r.Error!.Kind;
    }
}
