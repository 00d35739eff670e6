using Writ.Cedar.Authorization;
using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

/// <summary>Per-request evaluation state. Nodes report an error by setting <see cref="Error"/> and returning null.</summary>
internal sealed class EvalContext
{
    public EvalContext(Request request, EntityStore entities)
    {
        Principal = request.Principal;
        Action = request.Action;
        Resource = request.Resource;
        Context = request.Context;
        Entities = entities;
    }

    public EntityUid Principal { get; }

    public EntityUid Action { get; }

    public EntityUid Resource { get; }

    public RecordValue Context { get; }

    public EntityStore Entities { get; }

    public EvaluationError? Error { get; set; }

    public Value? Fail(EvaluationErrorKind kind, string message)
    {
        Error = new EvaluationError(kind, message);
        return null;
    }

    public Value? TypeError(string expected, Value actual) =>
        Fail(EvaluationErrorKind.TypeError, $"type error: expected {expected}, got {actual.TypeName}");
}
