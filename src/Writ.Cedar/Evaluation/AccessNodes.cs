using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

internal sealed class GetAttrNode(Node target, string attribute) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = target.Eval(c);
        if (v is null)
        {
            return null;
        }

        RecordValue record;
        if (v is RecordValue r)
        {
            record = r;
        }
        else if (v is EntityUid uid)
        {
            if (!c.Entities.TryGet(uid, out var entity))
            {
                return c.Fail(EvaluationErrorKind.EntityDoesNotExist, $"entity {uid} does not exist");
            }

            record = entity.Attributes;
            if (!record.TryGetValue(attribute, out var ev))
            {
                return c.Fail(EvaluationErrorKind.AttributeDoesNotExist, $"entity {uid} does not have the attribute {CedarText.Quote(attribute)}");
            }

            return ev;
        }
        else
        {
            return c.TypeError("entity or record", v);
        }

        return record.TryGetValue(attribute, out var value)
            ? value
            : c.Fail(EvaluationErrorKind.AttributeDoesNotExist, $"record does not have the attribute {CedarText.Quote(attribute)}");
    }
}

internal sealed class HasAttrNode(Node target, string attribute) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = target.Eval(c);
        if (v is null)
        {
            return null;
        }

        if (v is RecordValue r)
        {
            return BoolValue.Of(r.ContainsKey(attribute));
        }

        if (v is EntityUid uid)
        {
            return BoolValue.Of(c.Entities.TryGet(uid, out var entity) && entity.Attributes.ContainsKey(attribute));
        }

        return c.TypeError("entity or record", v);
    }
}

internal sealed class SetNode(Node[] items) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var values = new Value[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var v = items[i].Eval(c);
            if (v is null)
            {
                return null;
            }

            values[i] = v;
        }

        return values.Length <= 1 ? SetValue.FromDistinct(values) : new SetValue(values);
    }
}

internal sealed class RecordNode(string[] keys, Node[] values) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var dict = new Dictionary<string, Value>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            var v = values[i].Eval(c);
            if (v is null)
            {
                return null;
            }

            dict[keys[i]] = v;
        }

        return RecordValue.FromOwned(dict);
    }
}

internal sealed class CallNode(string name, Func<Value[], EvalContext, Value?> function, Node[] args) : Node
{
    public string Name => name;

    public override Value? Eval(EvalContext c)
    {
        var values = new Value[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var v = args[i].Eval(c);
            if (v is null)
            {
                return null;
            }

            values[i] = v;
        }

        return function(values, c);
    }
}
