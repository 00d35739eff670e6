using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

/// <summary>The outcome of evaluating an expression: a value or an error.</summary>
/// <param name="Value">The value, when evaluation succeeded.</param>
/// <param name="Error">The error, when it failed.</param>
public sealed record EvaluationResult(Value? Value, EvaluationError? Error)
{
    /// <summary>Whether evaluation produced a value.</summary>
    public bool IsSuccess => Value is not null;
}

/// <summary>Evaluates Cedar expressions against a request and entities, exactly as the Cedar semantics define.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="expr"/>.</summary>
    public static EvaluationResult Evaluate(Expr expr, Request request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var node = ExprCompiler.Compile(expr);
        var ctx = new EvalContext(request, entities);
        var v = node.Eval(ctx);
        return new EvaluationResult(v, v is null ? ctx.Error ?? new EvaluationError(EvaluationErrorKind.TypeError, "evaluation failed") : null);
    }
}
